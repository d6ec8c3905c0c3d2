import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError, errorResponse } from "./errors.ts";
import { internalSignatureHex, pathWithQuery } from "./internal-signature.ts";
import type { ReplayStore } from "./replay-store.ts";

export interface HmacAuthOptions {
  /** WEBHOOK_SIGNING_SECRET; several during a rotation (any one may sign). */
  secret: string | readonly string[];
  /** Accepted clock difference either way, default 300 s. */
  toleranceSeconds?: number;
  /** Where seen signatures are remembered (memory for one instance, the database for many). */
  replayStore: ReplayStore;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

const HEADER_RE = /^t=(\d{1,12}),\s*v1=([0-9a-fA-F]{64})$/;

/**
 * Authenticates internal requests (Cloud Scheduler jobs, CLI) by `X-Signature` (see
 * signInternalRequest in internal-signature.ts). 401 when the header is missing or malformed, the timestamp is more
 * than `toleranceSeconds` away, the HMAC does not match, or the same signature was already used.
 * The raw body stays readable for the handler (hono caches it).
 */
export function hmacAuth(options: HmacAuthOptions): MiddlewareHandler {
  const secrets = (typeof options.secret === "string" ? [options.secret] : [...options.secret]).filter(
    (s) => typeof s === "string" && s.length > 0,
  );
  if (secrets.length === 0) throw new TypeError("hmacAuth: secret is required");
  const tolerance = options.toleranceSeconds ?? 300;
  if (!Number.isFinite(tolerance) || tolerance <= 0) {
    throw new TypeError("hmacAuth: toleranceSeconds must be a positive number");
  }
  if (!options.replayStore) throw new TypeError("hmacAuth: replayStore is required");
  const now = options.now ?? Date.now;

  return async function hmacAuth(c, next) {
    const header = c.req.header("x-signature")?.trim();
    const m = header ? HEADER_RE.exec(header) : null;
    if (!m) return errorResponse(c, "UNAUTHORIZED", "missing or malformed X-Signature");
    const t = Number(m[1]);
    const given = Buffer.from(m[2]!, "hex");
    if (Math.abs(now() / 1000 - t) > tolerance) {
      return errorResponse(c, "UNAUTHORIZED", "signature timestamp outside the allowed window");
    }
    const request = { method: c.req.method, path: pathWithQuery(c.req.url), body: await c.req.text() };
    const valid = secrets.some((secret) =>
      timingSafeEqual(Buffer.from(internalSignatureHex(secret, t, request), "hex"), given),
    );
    if (!valid) return errorResponse(c, "UNAUTHORIZED", "invalid signature");
    let replayed: boolean;
    try {
      // Keyed by the signature itself; kept for twice the window so it outlives any accepted clock skew.
      replayed = await options.replayStore.seen(`hmac:${t}:${m[2]!.toLowerCase()}`, tolerance * 2);
    } catch (err) {
      throw new ApiError("SERVICE_UNAVAILABLE", "replay guard unavailable", { cause: err });
    }
    if (replayed) return errorResponse(c, "UNAUTHORIZED", "signature already used");
    await next();
  };
}
