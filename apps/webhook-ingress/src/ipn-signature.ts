import { verifyParsedIpnSignature } from "@telepay/payments";
import { errorResponse } from "@telepay/security";
import type { MiddlewareHandler } from "hono";

/** Hono variables set by {@link nowpaymentsSignature}. */
export interface IpnVariables {
  /** The verified IPN body, JSON-parsed once. */
  ipnBody: unknown;
}

/**
 * Verifies `x-nowpayments-sig` (HMAC-SHA512 over the recursively key-sorted JSON, constant-time)
 * and hands the parsed body on. 400 when the body is not JSON (it cannot be signed), 401 when the
 * signature is missing or wrong. The secret is checked up front so a misnamed env var fails at
 * start-up instead of rejecting every payment (legacy mistake 3).
 */
export function nowpaymentsSignature(options: {
  secret: string;
}): MiddlewareHandler<{ Variables: IpnVariables }> {
  const secret = options.secret?.trim();
  if (!secret) throw new TypeError("nowpaymentsSignature: the IPN secret is required");
  return async function nowpaymentsSignature(c, next) {
    const raw = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return errorResponse(c, "BAD_REQUEST", "body is not valid JSON");
    }
    if (!verifyParsedIpnSignature(body, c.req.header("x-nowpayments-sig"), secret)) {
      return errorResponse(c, "UNAUTHORIZED", "missing or invalid x-nowpayments-sig");
    }
    c.set("ipnBody", body);
    await next();
  };
}
