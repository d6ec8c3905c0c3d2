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

/**
 * Hex HMAC-SHA256 of `"<t>.<METHOD>.<path with query>.<raw body>"`. Method and path are signed so a
 * captured signature is good for its own route only (a `{}` body signed for /jobs/relay is not one
 * for /jobs/sweep, nor for the same route with another query).
 */
export function internalSignatureHex(secret: string, t: number, request: InternalRequest): string {
  if (!request.path.startsWith("/")) {
    throw new TypeError(`internal signature: path must start with "/", got ${JSON.stringify(request.path)}`);
  }
  return createHmac("sha256", secret)
    .update(`${t}.${request.method.toUpperCase()}.${request.path}.${request.body}`)
    .digest("hex");
}

/**
 * The `X-Signature` header value for an internal request: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<METHOD>.<path with query>.<raw body>">`. For the CLI (and so the Cloud Run jobs Scheduler
 * starts), tests and benchmarks.
 */
export function signInternalRequest(
  request: InternalRequest,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
): string {
  const t = Math.floor(now);
  return `t=${t},v1=${internalSignatureHex(secret, t, request)}`;
}
