import { ipnPayloadSchema, type OrderStatusValue } from "@telepay/payments";
import { describe, expect, it } from "vitest";
import { decideIpn, type OrderSnapshot, type PaymentSnapshot } from "./ipn-decision.ts";

const order = (status: OrderStatusValue = "waiting", amount = "4.99", currency = "USD"): OrderSnapshot => ({
  id: 1,
  status,
  amount,
  currency,
});
const ipn = (status: string, extra: Record<string, unknown> = {}) =>
  ipnPayloadSchema.parse({
    payment_id: 7,
    payment_status: status,
    price_amount: "4.99",
    price_currency: "usd",
    order_id: "ref",
    ...extra,
  });
const stored = (status: string, extra: Partial<PaymentSnapshot> = {}): PaymentSnapshot => ({
  status,
  orderId: 1,
  needsReview: false,
  reviewReason: null,
  remoteUpdatedAt: null,
  ...extra,
});

describe("decideIpn", () => {
  it("finished with the full amount pays the order", () => {
    expect(decideIpn(ipn("finished"), order(), null)).toMatchObject({
      outcome: "confirmed",
      paid: true,
      orderStatus: "finished",
      needsReview: false,
    });
  });

  it("overpaying still pays; underpaying, another currency or a child payment needs review", () => {
    expect(decideIpn(ipn("finished", { price_amount: 5 }), order(), null).paid).toBe(true);
    for (const [extra, reason] of [
      [{ price_amount: "4.98" }, "underpaid"],
      [{ price_currency: "eur" }, "currency_mismatch"],
      [{ price_amount: null }, "missing_amount"],
      [{ parent_payment_id: 6 }, "re_deposit"],
    ] as const) {
      const d = decideIpn(ipn("finished", extra), order(), null);
      expect(d, reason).toMatchObject({
        paid: false,
        reviewReason: reason,
        needsReview: true,
        orderStatus: "needs_review",
      });
    }
  });

  it("a repeated status is a duplicate and moves nothing", () => {
    const d = decideIpn(ipn("finished"), order("finished"), stored("finished"));
    expect(d).toMatchObject({ outcome: "duplicate", paid: false });
    expect(d.orderStatus).toBeUndefined();
  });

  it("a regression is ignored without touching the payment row", () => {
    expect(decideIpn(ipn("confirming"), order("finished"), stored("finished"))).toMatchObject({
      outcome: "ignored_regression",
      writePayment: false,
      paymentStatus: "finished",
    });
  });

  it("an older updated_at is stale even when the status would move forward", () => {
    const d = decideIpn(
      ipn("finished", { updated_at: 1 }),
      order("expired"),
      stored("expired", { remoteUpdatedAt: 2 }),
    );
    expect(d).toMatchObject({ outcome: "ignored_stale", paid: false });
  });

  it("user-facing statuses produce payment.updated only when the order moves", () => {
    expect(decideIpn(ipn("confirming"), order("waiting"), stored("waiting")).userUpdate).toBe("confirming");
    expect(decideIpn(ipn("confirming"), order("sending"), stored("waiting")).userUpdate).toBeUndefined();
  });

  it("partially_paid holds the payment for review and tells the payer", () => {
    expect(decideIpn(ipn("partially_paid"), order(), null)).toMatchObject({
      orderStatus: "partially_paid",
      userUpdate: "partially_paid",
      needsReview: true,
      reviewReason: "partially_paid",
    });
  });

  it("unknown orders and payments belonging to another order are stored for review", () => {
    expect(decideIpn(ipn("finished"), null, null)).toMatchObject({ outcome: "unknown_order", paid: false });
    expect(decideIpn(ipn("finished"), order(), stored("waiting", { orderId: 2 }))).toMatchObject({
      reviewReason: "order_mismatch",
      paid: false,
    });
  });
});
