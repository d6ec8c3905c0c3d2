import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** A Hono-style fetch handler served on 127.0.0.1 (random port unless given). */
export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `fetch` over real HTTP, so NOWPayments' emulator and child processes can reach it. */
export async function serveFetch(
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>,
  port = 0,
): Promise<Served> {
  let server!: ReturnType<typeof serve>;
  await new Promise<void>((resolve) => {
    server = serve({ fetch, port, hostname: "127.0.0.1" }, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { freePort } from "@telepay/testing";
