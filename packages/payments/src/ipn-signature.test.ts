import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signIpn, sortKeysDeep, verifyIpnSignature } from "./ipn-signature.ts";

const SECRET = "ipn-secret-for-tests";

/**
 * Independent canonical form: a hand-written serializer that sorts keys while writing, instead of
 * building a sorted copy and calling JSON.stringify on it. Numbers and strings go through
 * JSON.stringify (that is what NOWPayments' reference code does for scalars).
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
const independentSig = (rawBody: string, secret = SECRET) =>
  createHmac("sha512", secret)
    .update(canonical(JSON.parse(rawBody)))
    .digest("hex");

// What NOWPayments posts, keys deliberately out of order, with a nested fee object, tiny decimals,
// unicode, arrays and nulls.
const RAW = `{
  "payment_status": "finished",
  "payment_id": 5077125051,
  "pay_address": "0xd1cDE08A07cD25adEbEd35c3867a59228C09B606",
  "price_amount": 0.1,
  "price_currency": "usd",
  "pay_amount": 1e-7,
  "actually_paid": "0.000000100",
  "pay_currency": "btc",
  "order_id": "rA3_kZ-0pQ9vX2mN7cT1wY",
  "order_description": "Доступ на 30 дней — «VIP» 🚀",
  "purchase_id": "5837122679",
  "outcome_amount": 0.0000995,
  "outcome_currency": "btc",
  "parent_payment_id": null,
  "fee": { "withdrawalFee": 0, "serviceFee": 0.0000005, "depositFee": 0, "currency": "btc" },
  "tags": ["b", "a", { "z": 1, "y": [2, { "d": 4, "c": 3 }] }],
  "updated_at": 1700000000000
}`;

describe("verifyIpnSignature", () => {
  it("accepts the signature NOWPayments computes (keys sorted at every depth)", () => {
    const sig = independentSig(RAW);
    expect(verifyIpnSignature(RAW, sig, SECRET)).toBe(true);
    expect(signIpn(JSON.parse(RAW), SECRET)).toBe(sig);
  });

  it("accepts the signature in upper case and with surrounding whitespace", () => {
    expect(verifyIpnSignature(RAW, ` ${independentSig(RAW).toUpperCase()}\n`, SECRET)).toBe(true);
  });

  it("is independent of whitespace and key order in the raw body", () => {
    const parsed = JSON.parse(RAW) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()), null, 4);
    expect(verifyIpnSignature(reordered, independentSig(RAW), SECRET)).toBe(true);
  });

  it("rejects the old top-level-only sorting that drops nested keys", () => {
    const body = JSON.parse(RAW);
    const legacy = createHmac("sha512", SECRET)
      .update(JSON.stringify(body, Object.keys(body).sort()))
      .digest("hex");
    expect(verifyIpnSignature(RAW, legacy, SECRET)).toBe(false);
  });

  it("rejects a body changed after signing (amount, nested fee, status)", () => {
    const sig = independentSig(RAW);
    expect(verifyIpnSignature(RAW.replace('"price_amount": 0.1', '"price_amount": 100'), sig, SECRET)).toBe(
      false,
    );
    expect(verifyIpnSignature(RAW.replace('"serviceFee": 0.0000005', '"serviceFee": 0'), sig, SECRET)).toBe(
      false,
    );
    expect(verifyIpnSignature(RAW.replace('"finished"', '"waiting"'), sig, SECRET)).toBe(false);
  });

  it("rejects the wrong secret, missing, short, non-hex or empty signatures and an empty secret", () => {
    const sig = independentSig(RAW);
    expect(verifyIpnSignature(RAW, independentSig(RAW, "other"), SECRET)).toBe(false);
    expect(verifyIpnSignature(RAW, undefined, SECRET)).toBe(false);
    expect(verifyIpnSignature(RAW, "", SECRET)).toBe(false);
    expect(verifyIpnSignature(RAW, sig.slice(0, 64), SECRET)).toBe(false);
    expect(verifyIpnSignature(RAW, `${sig.slice(0, 127)}z`, SECRET)).toBe(false);
    expect(verifyIpnSignature(RAW, sig, "")).toBe(false);
  });

  it("returns false, never throws, for invalid JSON and absurdly deep nesting", () => {
    expect(verifyIpnSignature("{not json", "a".repeat(128), SECRET)).toBe(false);
    const deep = `${"[".repeat(60_000)}${"]".repeat(60_000)}`;
    expect(verifyIpnSignature(deep, "a".repeat(128), SECRET)).toBe(false);
  });
});

describe("sortKeysDeep", () => {
  it("sorts nested objects, keeps array order and scalars", () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });
});
