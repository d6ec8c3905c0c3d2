import { createHmac } from "node:crypto";
import { TOPICS } from "@telepay/events";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import {
  type App,
  baseConfig,
  counts,
  IPN_SECRET,
  ipnBody,
  memoryLogger,
  nextPaymentId,
  orderRow,
  outboxFor,
  paymentRow,
  postIpn,
  seedOrder,
} from "./helpers.ts";

type ErrorBody = { error: { code: string; message: string } };

let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  app = (await createApp({ db: database, config: baseConfig, logger: memoryLogger().logger })).app;
});
afterAll(async () => {
  await database?.close();
});

/**
 * The signature of a raw body over every member it holds (keys sorted while writing), computed
 * without the code under test: what a signer that drops nothing would send.
 */
function signEveryMember(raw: string): string {
  const write = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
  };
  return createHmac("sha512", IPN_SECRET)
    .update(write(JSON.parse(raw)))
    .digest("hex");
}

/** `raw` (a JSON object's text) with `member` added right after the `{` that `at` ends with. */
const addMember = (raw: string, at: string, member: string) => {
  const i = raw.indexOf(at);
  if (i < 0) throw new Error(`addMember: ${at} not in body`);
  return `${raw.slice(0, i + at.length)}${member},${raw.slice(i + at.length)}`;
};

describe("POST /webhooks/nowpayments — the signature covers every member of the body", () => {
  it.each([
    {
      name: "a top-level __proto__ object",
      at: "{",
      member: '"__proto__":{"parent_payment_id":null,"payment_status":"finished"}',
    },
    { name: "a top-level __proto__ scalar", at: "{", member: '"__proto__":"x"' },
    { name: "a __proto__ inside fee", at: '"fee":{', member: '"__proto__":{"serviceFee":0}' },
  ])("$name added to a genuinely signed IPN → 401, nothing recorded", async ({ at, member }) => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished");
    const raw = addMember(JSON.stringify(body), at, member);
    const before = await counts(database);
    // The genuine signature of `body`, sent with the extended text.
    const res = await postIpn(app, body, { raw });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe("UNAUTHORIZED");
    expect(await counts(database)).toEqual(before);
    expect((await orderRow(database, order.id)).status).toBe("waiting");
    expect(await paymentRow(database, body.payment_id as number)).toBeUndefined();
  });

  it("a body whose signature does include a __proto__ member is refused as malformed: it cannot be read back as signed", async () => {
    const order = await seedOrder(database);
    const raw = addMember(JSON.stringify(ipnBody(order, "finished")), '"fee":{', '"__proto__":{"x":1}');
    const before = await counts(database);
    const res = await postIpn(app, null, { raw, signature: signEveryMember(raw) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toContain("__proto__");
    expect(await counts(database)).toEqual(before);
  });

  it("a repeated key (the signed copy last, or spelled with escapes) → 400, nothing recorded", async () => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished");
    const text = JSON.stringify(body);
    const before = await counts(database);
    for (const raw of [
      addMember(text, "{", '"payment_status":"waiting"'),
      addMember(text, '"fee":{', '"currency":"btc"'),
      addMember(text, "{", '"order\\u005fid":"someone_else"'),
    ]) {
      expect(JSON.parse(raw)).toEqual(JSON.parse(text));
      const res = await postIpn(app, body, { raw });
      expect(res.status, raw).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/repeats the key/);
    }
    expect(await counts(database)).toEqual(before);
    expect((await orderRow(database, order.id)).status).toBe("waiting");
  });

  it("stores exactly the members that were verified: constructor, prototype and toString keys included", async () => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished", {
      constructor: { prototype: { polluted: true } },
      prototype: "p",
      toString: 1,
      fee: { currency: "usdttrc20", depositFee: 0, hasOwnProperty: null, valueOf: [1] },
    });
    const res = await postIpn(app, body);
    expect(await res.json()).toMatchObject({ outcome: "confirmed" });
    const stored = await paymentRow(database, body.payment_id as number);
    expect(stored!.raw).toEqual(JSON.parse(JSON.stringify(body)));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("numbers written unlike JSON.stringify (1.0, 1e0, 4.990) verify: NOWPayments signs the parsed values", async () => {
    const order = await seedOrder(database);
    const paymentId = nextPaymentId();
    const body = ipnBody(order, "finished", { payment_id: paymentId, pay_amount: 1, actually_paid: 1 });
    const raw = JSON.stringify(body)
      .replace('"price_amount":4.99', '"price_amount":4.990')
      .replace('"pay_amount":1', '"pay_amount":1.0')
      .replace('"actually_paid":1', '"actually_paid":1e0');
    expect(raw).toContain("4.990");
    const res = await postIpn(app, body, { raw });
    expect(await res.json()).toMatchObject({ outcome: "confirmed" });
    expect(await paymentRow(database, paymentId)).toMatchObject({ priceAmount: "4.99", actuallyPaid: "1" });
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });

  it("huge numbers: 40 digits are kept exactly, 41 are refused, and 1e999 cannot pose as a signed null", async () => {
    const order = await seedOrder(database);
    const before = await counts(database);
    const tooLong = await postIpn(app, ipnBody(order, "finished", { actually_paid: `1${"0".repeat(40)}` }));
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as ErrorBody).error.message).toContain("actually_paid");
    // Signed with parent_payment_id null; 1e999 parses to Infinity, which JSON.stringify writes as null.
    const signedNull = ipnBody(order, "finished", { parent_payment_id: null });
    const overflow = JSON.stringify(signedNull).replace(
      '"parent_payment_id":null',
      '"parent_payment_id":1e999',
    );
    const res = await postIpn(app, signedNull, { raw: overflow });
    expect(res.status).toBe(401);
    expect(await counts(database)).toEqual(before);

    const paymentId = nextPaymentId();
    const huge = `${"9".repeat(40)}.5`;
    const ok = await postIpn(
      app,
      ipnBody(order, "finished", { payment_id: paymentId, pay_amount: huge, actually_paid: huge }),
    );
    expect(await ok.json()).toMatchObject({ outcome: "confirmed" });
    expect(await paymentRow(database, paymentId)).toMatchObject({ payAmount: huge, actuallyPaid: huge });
  });
});
