import { request } from "node:http";

/** How the oversize body is framed. */
export type OversizeFraming = "content-length" | "chunked";

export interface OversizePostOptions {
  /** `content-length` announces the whole size up front; `chunked` sends no length at all. */
  framing: OversizeFraming;
  /** The most the client will send (default 8 MiB); it finishes the body only after that much. */
  totalBytes?: number;
  headers?: Record<string, string>;
  /** Give up after this long without an answer (default 30 s). */
  timeoutMs?: number;
}

export interface OversizePostResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes the client had handed to the socket when the answer came. */
  sentBytes: number;
  /** True if the client had finished its body before the answer: the server waited for all of it. */
  finished: boolean;
}

/**
 * POSTs a body far past a route's limit the way an attacker would, and keeps sending until the
 * server answers: a server that refuses before reading it all answers while the body is still
 * unfinished (`finished: false`); one that reads everything only answers after the client gave up
 * at `totalBytes` and ended it. Real HTTP over node:http, so chunked framing is what arrives.
 */
export function postOversize(url: string, options: OversizePostOptions): Promise<OversizePostResult> {
  const target = new URL(url);
  const totalBytes = options.totalBytes ?? 8 * 1024 * 1024;
  const chunk = Buffer.alloc(16 * 1024, "x");
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.framing === "content-length") headers["content-length"] = String(totalBytes);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let finished = false;
    let answered = false;
    const req = request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: "POST",
      headers,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer from ${url} within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    req.on("response", (res) => {
      answered = true;
      const atAnswer = { sentBytes: sent, finished };
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts).toString("utf8"),
          ...atAnswer,
        });
      });
    });
    // After the answer the server may drop the connection under our writes: that is expected.
    req.on("error", (err) => {
      if (answered) return;
      clearTimeout(timer);
      reject(err);
    });
    const pump = () => {
      while (!answered && sent < totalBytes) {
        const n = Math.min(chunk.length, totalBytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered && !finished) {
        finished = true;
        req.end();
      }
    };
    pump();
  });
}
