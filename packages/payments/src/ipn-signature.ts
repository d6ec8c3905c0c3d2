import { createHmac, timingSafeEqual } from "node:crypto";
import { parseIpnJson } from "./ipn-json.ts";

/** Keys JSON.stringify writes first, in numeric order, whatever order they were added in. */
const ARRAY_INDEX_RE = /^(?:0|[1-9]\d{0,9})$/;
const isArrayIndex = (key: string) => ARRAY_INDEX_RE.test(key) && Number(key) < 2 ** 32 - 1;

/**
 * Keys in the order JSON.stringify writes a copy built by adding them sorted (what NOWPayments'
 * reference signer does): array-index keys ascending by value, then the rest in code-unit order.
 */
function signedKeyOrder(keys: string[]): string[] {
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return indices.length === 0 ? keys.sort() : [...indices, ...keys.filter((k) => !isArrayIndex(k)).sort()];
}

/**
 * The text NOWPayments signs: the JSON of `value` with the keys of every object, at every depth,
 * sorted; arrays keep their order. Written member by member rather than by building a sorted copy,
 * because assigning `copy["__proto__"] = …` sets the copy's prototype instead of adding a member:
 * a `__proto__` member added to a signed body would drop out of the signed form and still verify.
 * Every member of `value` is written and nothing else; scalars go through JSON.stringify, as in
 * NOWPayments' reference code, so genuine bodies produce the same text. Throws a TypeError for
 * anything JSON cannot carry (1e999 parses to Infinity, which JSON.stringify would write as null).
 */
export function canonicalIpnJson(value: unknown): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalIpnJson: a number JSON cannot carry");
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? "null" : canonicalIpnJson(item))).join(",")}]`;
      }
      const object = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of signedKeyOrder(Object.keys(object))) {
        // Never in a parsed body; left out as JSON.stringify does, for bodies built in code.
        if (object[key] === undefined) continue;
        members.push(`${JSON.stringify(key)}:${canonicalIpnJson(object[key])}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalIpnJson: ${typeof value} is not a JSON value`);
  }
}

/** Hex HMAC-SHA512 of the canonical JSON of `body`: the `x-nowpayments-sig` NOWPayments sends. */
export function signIpn(body: unknown, secret: string): string {
  return createHmac("sha512", secret).update(canonicalIpnJson(body)).digest("hex");
}

const HEX_SHA512_RE = /^[0-9a-f]{128}$/i;

/**
 * Checks an IPN's `x-nowpayments-sig` against the raw request body. The body is parsed (a repeated
 * key refuses it) and re-serialised canonically exactly as NOWPayments does before signing, and the
 * digests are compared in constant time. False for a missing or malformed signature, unparseable
 * JSON or an empty secret; never throws.
 */
export function verifyIpnSignature(
  rawBody: string,
  signatureHex: string | undefined,
  secret: string,
): boolean {
  if (!secret || !signatureHex) return false;
  const parsed = parseIpnJson(rawBody);
  return parsed.ok && verifyParsedIpnSignature(parsed.value, signatureHex, secret);
}

/**
 * Same as {@link verifyIpnSignature} for a body the caller has already parsed with
 * {@link parseIpnJson} (saves a parse). The caller must go on using exactly this value.
 */
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
    // Absurd nesting overflows the stack, 1e999 has no JSON form: neither is a signed IPN.
    return false;
  }
  const expected = Buffer.from(expectedHex, "hex");
  const actual = Buffer.from(given, "hex");
  // Both are 64 bytes once the regex passed; the length check keeps timingSafeEqual from throwing.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
