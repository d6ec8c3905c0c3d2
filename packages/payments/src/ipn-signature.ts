import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Returns a copy of `value` with the keys of every object, at every depth, in ascending order.
 * Arrays keep their order (their object elements are sorted too). This is the canonical form
 * NOWPayments signs; the old `JSON.stringify(body, Object.keys(body).sort())` one-liner drops nested
 * keys (the `fee` object) and fails on today's payloads.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** Hex HMAC-SHA512 of the key-sorted JSON of `body`: the `x-nowpayments-sig` NOWPayments sends. */
export function signIpn(body: unknown, secret: string): string {
  return createHmac("sha512", secret)
    .update(JSON.stringify(sortKeysDeep(body)))
    .digest("hex");
}

const HEX_SHA512_RE = /^[0-9a-f]{128}$/i;

/**
 * Checks an IPN's `x-nowpayments-sig` against the raw request body. The body is parsed and
 * re-serialised with sorted keys exactly as NOWPayments does before signing, and the digests are
 * compared in constant time. False for a missing or malformed signature, unparseable JSON or an
 * empty secret; never throws.
 */
export function verifyIpnSignature(
  rawBody: string,
  signatureHex: string | undefined,
  secret: string,
): boolean {
  if (!secret || !signatureHex) return false;
  const given = signatureHex.trim();
  if (!HEX_SHA512_RE.test(given)) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return false;
  }
  return verifyParsedIpnSignature(parsed, given, secret);
}

/** Same as {@link verifyIpnSignature} for a body the caller has already parsed (saves a parse). */
export function verifyParsedIpnSignature(
  body: unknown,
  signatureHex: string | undefined,
  secret: string,
): boolean {
  if (!secret || !signatureHex) return false;
  const given = signatureHex.trim();
  if (!HEX_SHA512_RE.test(given)) return false;
  let expectedHex: string;
  try {
    expectedHex = signIpn(body, secret);
  } catch {
    // Absurdly deep nesting overflows the stack while sorting: such a body is not a valid IPN.
    return false;
  }
  const expected = Buffer.from(expectedHex, "hex");
  const actual = Buffer.from(given, "hex");
  // Both are 64 bytes once the regex passed; the length check keeps timingSafeEqual from throwing.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
