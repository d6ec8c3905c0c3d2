import { Agent, createServer, request } from "node:http";

/**
 * A network link in front of the Bot API emulator: each request waits `oneWayMs` ± `jitterMs` on
 * the way in and again on the way out, so the emulator (which counts a send on receipt, as
 * Telegram does) sees calls later than the sender sent them, by varying amounts.
 */
export async function startLink(target: string, oneWayMs: number, jitterMs: number) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const delay = () =>
    new Promise((r) => setTimeout(r, Math.max(0, oneWayMs + (Math.random() * 2 - 1) * jitterMs)));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      await delay();
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (up) => {
          const body: Buffer[] = [];
          up.on("data", (c: Buffer) => body.push(c));
          up.on("end", async () => {
            await delay();
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      out.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
