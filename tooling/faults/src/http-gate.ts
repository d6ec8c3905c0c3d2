import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP forwarder that can stop letting requests through, to freeze a client at a known point. */
export interface HttpGate {
  readonly url: string;
  /** Requests forwarded and not yet answered. */
  readonly inFlight: number;
  /** From now on, new requests are held (not forwarded) until open() — or forever. */
  hold(): void;
  /** Forwards the held requests and lets new ones through again. */
  open(): void;
  /** Drops the held requests unanswered (their sender is gone; they must never reach the target). */
  dropHeld(): number;
  /** Requests waiting at the gate. */
  readonly held: number;
  /** Resolves when no forwarded request is still waiting for its answer. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a forwarder on 127.0.0.1 in front of `target` (an http://host:port base). Used to stop a
 * process exactly between its outside calls: hold(), wait for drained(), then kill it — every call the
 * outside world saw got its answer back, and nothing more reaches the outside.
 */
export async function startHttpGate(target: string): Promise<HttpGate> {
  const base = new URL(target);
  let holding = false;
  let inFlight = 0;
  const waiting: { forward: () => void; destroy: () => void }[] = [];
  let drainWaiters: (() => void)[] = [];
  const settle = () => {
    if (inFlight === 0) {
      for (const w of drainWaiters) w();
      drainWaiters = [];
    }
  };
  const server = createServer((req, res) => {
    const forward = () => {
      inFlight++;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        inFlight--;
        settle();
      };
      const upstream = request(
        {
          host: base.hostname,
          port: base.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: base.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", finish);
          answer.on("error", finish);
        },
      );
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
        finish();
      });
      res.on("close", finish);
      req.pipe(upstream);
    };
    if (holding) {
      req.pause();
      waiting.push({ forward, destroy: () => req.socket.destroy() });
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get inFlight() {
      return inFlight;
    },
    get held() {
      return waiting.length;
    },
    hold() {
      holding = true;
    },
    open() {
      holding = false;
      for (const w of waiting.splice(0)) w.forward();
    },
    dropHeld() {
      const dropped = waiting.splice(0);
      for (const w of dropped) w.destroy();
      return dropped.length;
    },
    drained() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
