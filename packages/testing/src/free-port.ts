import { createServer } from "node:net";

/**
 * A TCP port free right now on 127.0.0.1: the OS picks it, the probe closes it, and the caller (a
 * child process, or a server that must come back on the same address) binds it moments later.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
