import { createServer, type Server, type Socket } from "node:net";

/** A TCP proxy whose link can be cut (every connection destroyed, new ones refused) and restored. */
export interface CuttableProxy {
  readonly host: string;
  readonly port: number;
  /** Destroys every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  readonly isCut: boolean;
  /** Connections accepted so far (refused ones not counted). */
  readonly accepted: number;
  /** Connections refused while cut. */
  readonly refused: number;
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on 127.0.0.1 (random port) to `target`. Cutting it is what a database (or
 * network) outage looks like to a client: established connections die mid-query (RST), new ones
 * are reset at once. Other users of the target are unaffected.
 */
export async function startCuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let cut = false;
  let accepted = 0;
  let refused = 0;
  const server: Server = createServer((client) => {
    if (cut) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = new (client.constructor as typeof Socket)();
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    upstream.connect(target.port, target.host, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    host: "127.0.0.1",
    port,
    get isCut() {
      return cut;
    },
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    cut() {
      cut = true;
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      cut = false;
    },
    close() {
      cut = true;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
