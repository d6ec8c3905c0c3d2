import { parseIpnJson, verifyParsedIpnSignature } from "@telepay/payments";
import { errorResponse } from "@telepay/security";
import type { MiddlewareHandler } from "hono";

/** Hono variables set by {@link nowpaymentsSignature}. */
export interface IpnVariables {
  /** The verified IPN body, JSON-parsed once. */
  ipnBody: unknown;
}

/**
 * Verifies `x-nowpayments-sig` (HMAC-SHA512 over the recursively key-sorted JSON of every member,
 * constant-time) and hands the parsed body on. 400 when the body is not JSON or repeats a key (it
 * cannot be what was signed), 401 when the signature is missing or wrong. The secret is checked up front so a misnamed env var fails at
 * start-up instead of rejecting every payment (docs/legacy-mistakes.md#lm-3).
 */
export function nowpaymentsSignature(options: {
  secret: string;
}): MiddlewareHandler<{ Variables: IpnVariables }> {
  const secret = options.secret?.trim();
  if (!secret) throw new TypeError("nowpaymentsSignature: the IPN secret is required");
  return async function nowpaymentsSignature(c, next) {
    const parsed = parseIpnJson(await c.req.text());
    if (!parsed.ok) return errorResponse(c, "BAD_REQUEST", parsed.reason);
    // The value verified here is the one handed on: nothing downstream parses the text again.
    if (!verifyParsedIpnSignature(parsed.value, c.req.header("x-nowpayments-sig"), secret)) {
      return errorResponse(c, "UNAUTHORIZED", "missing or invalid x-nowpayments-sig");
    }
    c.set("ipnBody", parsed.value);
    await next();
  };
}
