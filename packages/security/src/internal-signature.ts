import { createHmac } from "node:crypto";

/** What an internal signature covers. */
export interface InternalRequest {
  /** HTTP method, e.g. "POST". */
  method: string;
  /** Path with query string, exactly as sent, e.g. "/jobs/sweep" or "/jobs/sweep?dry=1" ({@link pathWithQuery}). */
  path: string;
  /** The raw body ("" when there is none). */
  body: string;
}

/** "/jobs/sweep?x=1" from a URL: the part of the request line a signature covers. */
export function pathWithQuery(url: string | URL): string {
  const u = typeof url === "string" ? new URL(url) : url;
  return `${u.pathname}${u.search}`;
}

/** Hex HMAC-SHA256 of the signed string for `request` at unix second `t`. */
export function internalSignatureHex(secret: string, t: number, request: InternalRequest): string {
  return createHmac("sha256", secret).update(`${t}.${request.body}`).digest("hex");
}

/**
 * The `X-Signature` header value for an internal request: `t=<unix seconds>,v1=<hex HMAC-SHA256>`.
 * For the CLI (and so the Cloud Run jobs Scheduler starts), tests and benchmarks.
 */
export function signInternalRequest(
  request: InternalRequest,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
): string {
  const t = Math.floor(now);
  return `t=${t},v1=${internalSignatureHex(secret, t, request)}`;
}
