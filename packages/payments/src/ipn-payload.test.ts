import { describe, expect, it } from "vitest";
import { describeIssues, ipnPayloadSchema } from "./ipn-payload.ts";

const base = {
  payment_id: 5077125051,
  invoice_id: 4522625843,
  payment_status: "finished",
  pay_address: "addr",
  price_amount: 4.99,
  price_currency: "usd",
  pay_amount: "0.0001234",
  actually_paid: 1e-7,
  pay_currency: "btc",
  order_id: "rA3_kZ-0pQ9vX2mN7cT1wY",
  order_description: "30 days",
  purchase_id: "5837122679",
  outcome_amount: "0.0000995",
  outcome_currency: "btc",
  parent_payment_id: null,
  fee: { currency: "btc", depositFee: 0, serviceFee: 0.0000005, withdrawalFee: 0 },
  updated_at: 1700000000000,
};

describe("ipnPayloadSchema", () => {
  it("turns numbers into decimal strings and ids into strings, keeping the raw body", () => {
    const p = ipnPayloadSchema.parse(base);
    expect(p).toMatchObject({
      paymentId: "5077125051",
      invoiceId: "4522625843",
      orderId: "rA3_kZ-0pQ9vX2mN7cT1wY",
      paymentStatus: "finished",
      priceAmount: "4.99",
      priceCurrency: "usd",
      payAmount: "0.0001234",
      actuallyPaid: "0.0000001",
      outcomeAmount: "0.0000995",
      purchaseId: "5837122679",
      parentPaymentId: null,
      updatedAt: 1700000000000,
    });
    expect(p.raw).toEqual(base);
    expect((p.raw.fee as { serviceFee: number }).serviceFee).toBe(0.0000005);
  });

  it("accepts strings where numbers were and missing optional fields", () => {
    const p = ipnPayloadSchema.parse({ payment_id: "123", payment_status: "waiting", price_amount: "10.50" });
    expect(p.paymentId).toBe("123");
    expect(p.priceAmount).toBe("10.5");
    expect(p.orderId).toBeNull();
    expect(p.actuallyPaid).toBeNull();
    expect(p.updatedAt).toBeNull();
  });

  it("keeps statuses NOWPayments may add later (stored, never acted upon)", () => {
    expect(ipnPayloadSchema.parse({ ...base, payment_status: "wrong_asset_confirmed" }).paymentStatus).toBe(
      "wrong_asset_confirmed",
    );
  });

  it.each([
    [{ ...base, payment_id: undefined }, "payment_id"],
    [{ ...base, payment_id: 1.5 }, "payment_id"],
    [{ ...base, payment_status: 7 }, "payment_status"],
    [{ ...base, payment_status: "FINISHED; drop" }, "payment_status"],
    [{ ...base, price_amount: "ten" }, "price_amount"],
    [{ ...base, price_amount: Number.POSITIVE_INFINITY }, "price_amount"],
    [{ ...base, actually_paid: { v: 1 } }, "actually_paid"],
    [{ ...base, price_currency: "u s d" }, "price_currency"],
    [{ ...base, order_description: "\u0000" }, "NUL"],
    [{ ...base, note: "\ud800" }, "unicode"],
  ])("rejects a bad field with a reason naming it (%#)", (input, reason) => {
    const r = ipnPayloadSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toContain(reason);
  });

  it("rejects a __proto__ key at any depth: a JS object copy would drop it or take it as its prototype", () => {
    for (const raw of [
      `{"payment_id":1,"payment_status":"finished","__proto__":{"parent_payment_id":null}}`,
      `{"payment_id":1,"payment_status":"finished","fee":{"__proto__":1}}`,
      `{"payment_id":1,"payment_status":"finished","tags":[{"__proto__":[]}]}`,
    ]) {
      const r = ipnPayloadSchema.safeParse(JSON.parse(raw));
      expect(r.success, raw).toBe(false);
      if (!r.success) expect(describeIssues(r.error)).toContain("__proto__");
    }
  });

  it("keeps every other member in raw, constructor and prototype included", () => {
    const body = JSON.parse(
      '{"payment_id":1,"payment_status":"waiting","constructor":{"prototype":{"x":1}},"toString":2,"fee":{"valueOf":[]}}',
    );
    const p = ipnPayloadSchema.parse(body);
    expect(JSON.stringify(p.raw)).toBe(JSON.stringify(body));
    expect(Object.getPrototypeOf(p.raw)).toBe(Object.prototype);
  });

  it("rejects non-objects", () => {
    for (const v of [null, [], "x", 1]) expect(ipnPayloadSchema.safeParse(v).success).toBe(false);
  });
});
