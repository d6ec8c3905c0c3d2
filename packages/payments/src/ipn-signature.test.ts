import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalIpnJson, signIpn, verifyIpnSignature } from "./ipn-signature.ts";

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

/**
 * NOWPayments' reference signer: build a key-sorted copy by assignment, then JSON.stringify it.
 * Its output is what every genuine IPN is signed over (for bodies without a "__proto__" member,
 * which this construction silently drops and NOWPayments never sends).
 */
function referenceSortedJson(value: unknown): string {
  const sortCopy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortCopy);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = sortCopy((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sortCopy(value));
}

/** RAW with `member` (a JSON fragment) added as the first member of the object that `at` opens. */
const withMember = (raw: string, at: string, member: string) => raw.replace(at, `${at} ${member},`);

describe("canonicalIpnJson", () => {
  it("sorts nested objects, keeps array order and scalars", () => {
    expect(canonicalIpnJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });

  it("equals NOWPayments' reference form for genuine bodies: integer-like keys, unicode, escapes", () => {
    const bodies = [
      JSON.parse(RAW),
      { "10": "ten", "9": "nine", b: 1, a: 2, "01": "not an index", "4294967295": "too big for an index" },
      { "e\u0301": 1, é: 2, e: 3, "\ud83d\ude80": 7, E: 4, "": 5, " ": 6, "\n": { '"': [] } },
      { constructor: { prototype: 1 }, toString: "x", hasOwnProperty: null, valueOf: [true, false] },
      { n: [0, -0, 1.5, 1e21, 1e-7, 123456789012345680000, -2.5e-8] },
      [],
      {},
      "just a string",
    ];
    for (const body of bodies) expect(canonicalIpnJson(body)).toBe(referenceSortedJson(body));
  });

  it("keeps a __proto__ member (the reference form drops it: that is how a member is smuggled)", () => {
    const body = JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}');
    expect(canonicalIpnJson(body)).toBe('{"__proto__":{"x":1},"a":2,"b":1}');
    expect(referenceSortedJson(body)).toBe('{"a":2,"b":1}');
  });

  it("refuses numbers JSON cannot carry, so 1e999 cannot pose as a signed null", () => {
    expect(() => canonicalIpnJson(JSON.parse('{"a":1e999}'))).toThrow(TypeError);
    expect(() => canonicalIpnJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalIpnJson({ a: 1n })).toThrow(TypeError);
  });

  it("leaves out undefined members and writes undefined array items as null, like JSON.stringify", () => {
    const built = { b: undefined, a: [undefined, 1] };
    expect(canonicalIpnJson(built)).toBe(referenceSortedJson(built));
  });
});

describe("verifyIpnSignature — members the signature does not cover are refused", () => {
  const sig = independentSig(RAW);

  it.each([
    [
      "a top-level __proto__ object",
      "{",
      '"__proto__": {"payment_status": "finished", "parent_payment_id": null}',
    ],
    ["a top-level __proto__ scalar", "{", '"__proto__": 1'],
    ["a __proto__ inside fee", '"fee": {', '"__proto__": {"serviceFee": 0}'],
    ["a __proto__ inside an array element", '{ "z": 1,', '"__proto__": {"d": 0}'],
  ])("%s added to a signed body", (_name, at, member) => {
    const smuggled = withMember(RAW, at, member);
    expect(smuggled).not.toBe(RAW);
    expect(() => JSON.parse(smuggled)).not.toThrow();
    expect(verifyIpnSignature(smuggled, sig, SECRET)).toBe(false);
  });

  it("a body signed with the __proto__ member included verifies (nothing is dropped either way)", () => {
    const raw = withMember(RAW, '"fee": {', '"__proto__": {"serviceFee": 0}');
    expect(verifyIpnSignature(raw, independentSig(raw), SECRET)).toBe(true);
  });

  it("a repeated key is refused even when the last copy is the signed one, also spelled with escapes", () => {
    for (const raw of [
      withMember(RAW, "{", '"payment_status": "waiting"'),
      withMember(RAW, '"fee": {', '"currency": "eth"'),
      withMember(RAW, "{", '"payment\\u005fstatus": "waiting"'),
    ]) {
      expect(JSON.parse(raw)).toEqual(JSON.parse(RAW));
      expect(verifyIpnSignature(raw, sig, SECRET)).toBe(false);
    }
  });

  it("1e999 cannot stand in for a signed null", () => {
    const raw = RAW.replace('"parent_payment_id": null', '"parent_payment_id": 1e999');
    expect(verifyIpnSignature(raw, sig, SECRET)).toBe(false);
  });

  it("numbers written differently from JSON.stringify still verify: NOWPayments signs the parsed value", () => {
    const body = { payment_id: 1, price_amount: 100, pay_amount: 5.04, actually_paid: 1 };
    const signature = createHmac("sha512", SECRET).update(referenceSortedJson(body)).digest("hex");
    const raw = '{"payment_id":1.0,"price_amount":1e2,"pay_amount":5.040,"actually_paid":10E-1}';
    expect(verifyIpnSignature(raw, signature, SECRET)).toBe(true);
  });
});
