import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { errorResponse } from "./errors.ts";

export type SecurityHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * hono's secureHeaders with defaults for a JSON API that no browser should render or frame:
 * `default-src 'none'`, no framing, no referrer, same-origin resources, HSTS for two years, and
 * `Cache-Control: no-store` unless a handler set its own. Options override the defaults.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const inner = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: "same-origin",
    referrerPolicy: "no-referrer",
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xFrameOptions: "DENY",
    ...options,
  });
  return async function securityHeaders(c, next) {
    await inner(c, next);
    if (!c.res.headers.has("cache-control")) c.res.headers.set("Cache-Control", "no-store");
  };
}

/** hono's bodyLimit answering 413 with the standard error body. */
export function limitBody(options: { maxBytes: number }): MiddlewareHandler {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes <= 0) {
    throw new TypeError("limitBody: maxBytes must be a positive whole number");
  }
  return bodyLimit({
    maxSize: options.maxBytes,
    onError: (c) => errorResponse(c, "PAYLOAD_TOO_LARGE", `request body exceeds ${options.maxBytes} bytes`),
  });
}

/**
 * hono's requestId: reuses a sane incoming `X-Request-Id` (so a proxy's id follows the request
 * through the logs), else a new UUID; echoed in the response header and in every error body.
 */
export function requestIds(options: Parameters<typeof requestId>[0] = {}): MiddlewareHandler {
  return requestId({ limitLength: 128, ...options });
}
