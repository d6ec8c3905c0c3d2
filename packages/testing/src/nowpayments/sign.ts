import { createHmac } from "node:crypto";

/** A copy of `value` with object keys sorted at every depth; arrays keep their order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * The `x-nowpayments-sig` of an IPN body: hex HMAC-SHA512, keyed with the IPN secret, of
 * JSON.stringify of the body with keys sorted recursively (nested objects such as `fee` too).
 * Written independently of packages/payments so the two implementations check each other.
 */
export function signIpnBody(body: unknown, secret: string): string {
  return createHmac("sha512", secret)
    .update(JSON.stringify(sortKeysDeep(body)))
    .digest("hex");
}
