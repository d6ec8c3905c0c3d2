import { describe, expect, it } from "vitest";
import { ipnPayloadSchema } from "./ipn-payload.ts";
import { decidePayment, type OrderSnapshot, type PaymentSnapshot } from "./payment-decision.ts";
import { ipnToPaymentReport } from "./payment-report.ts";
import type { OrderStatusValue } from "./status.ts";

const order = (status: OrderStatusValue = "waiting", amount = "4.99", currency = "USD"): OrderSnapshot => ({
  id: 1,
  status,
  amount,
  currency,
  invoiceId: null,
});
/** The payment report of a NOWPayments IPN with these fields. */
const ipn = (status: string, extra: Record<string, unknown> = {}) =>
  ipnToPaymentReport(
    ipnPayloadSchema.parse({
      payment_id: 7,
      payment_status: status,
      price_amount: "4.99",
      price_currency: "usd",
      pay_amount: "4.99",
      actually_paid: "4.99",
      pay_currency: "usdttrc20",
      order_id: "ref",
      ...extra,
    }),
  );
/** decidePayment with PAYMENT_UNDERPAID_TOLERANCE_PERCENT = `tolerance` (1 unless given). */
const decideIpn = (
  i: Parameters<typeof decidePayment>[0],
  o: OrderSnapshot | null,
  e: PaymentSnapshot | null,
  tolerance = "1",
  now = new Date(),
) => decidePayment(i, o, e, { underpaidTolerancePercent: tolerance }, now);
const stored = (status: string, extra: Partial<PaymentSnapshot> = {}): PaymentSnapshot => ({
  status,
  orderId: 1,
  needsReview: false,
  reviewReason: null,
  providerUpdatedAt: null,
  payAmount: null,
  payCurrency: null,
  // A payment stored as finished is, in these tests, the one that paid its order.
  paidOrder: status === "finished",
  ...extra,
});

describe("decidePayment (NOWPayments IPNs)", () => {
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

  it("actually_paid beyond pay_amount by more than the tolerance pays, and flags the excess for review", () => {
    const paid = (actuallyPaid: string) =>
      decideIpn(ipn("finished", { pay_amount: "10", actually_paid: actuallyPaid }), order(), null, "1");
    // 10 is within 1% of 10.1 (10.1 × 0.99 = 9.999): a rounding difference, not a review.
    expect(paid("10.1")).toMatchObject({ outcome: "confirmed", paid: true, needsReview: false });
    expect(paid("10.2")).toMatchObject({
      outcome: "confirmed",
      paid: true,
      orderStatus: "finished",
      needsReview: true,
      reviewReason: "overpaid",
    });
  });

  describe("what was paid against what was asked (actually_paid vs pay_amount, in pay_currency)", () => {
    const paid = (actuallyPaid: unknown, extra: Record<string, unknown> = {}) =>
      ipn("finished", { pay_amount: "4.99", actually_paid: actuallyPaid, ...extra });
    const shortReview = {
      outcome: "review",
      paid: false,
      needsReview: true,
      reviewReason: "paid_short",
      orderStatus: "needs_review",
    };

    it("exactly at the tolerance grants; one unit below goes to review", () => {
      // 1% of 4.99 is 0.0499.
      expect(decideIpn(paid("4.9401"), order(), null, "1")).toMatchObject({
        outcome: "confirmed",
        paid: true,
      });
      expect(decideIpn(paid("4.94009999"), order(), null, "1")).toMatchObject(shortReview);
      expect(decideIpn(paid("4.99"), order(), null, "0")).toMatchObject({ paid: true });
      expect(decideIpn(paid("4.98999999"), order(), null, "0")).toMatchObject(shortReview);
      expect(decideIpn(paid("4.94009999"), order(), null, "1.5")).toMatchObject({ paid: true });
    });

    it("0.01 paid of 4.99 asked is never granted, whatever the tolerance", () => {
      for (const tolerance of ["0", "1", "50"]) {
        expect(decideIpn(paid("0.01"), order(), null, tolerance), tolerance).toMatchObject(shortReview);
      }
    });

    it("paying more than asked grants", () => {
      expect(decideIpn(paid(6), order(), null)).toMatchObject({ paid: true });
    });

    it("a missing, zero or negative amount on finished goes to review", () => {
      for (const [extra, reason] of [
        [{ actually_paid: null }, "missing_amount"],
        [{ actually_paid: undefined }, "missing_amount"],
        [{ pay_amount: null }, "missing_amount"],
        [{ pay_currency: null }, "missing_amount"],
        [{ pay_amount: 0, actually_paid: 0 }, "missing_amount"],
        [{ pay_amount: -4.99, actually_paid: -4.99 }, "missing_amount"],
        [{ actually_paid: 0 }, "paid_short"],
        [{ actually_paid: -4.99 }, "paid_short"],
      ] as const) {
        expect(decideIpn(ipn("finished", extra), order(), null), JSON.stringify(extra)).toMatchObject({
          paid: false,
          needsReview: true,
          reviewReason: reason,
          orderStatus: "needs_review",
        });
      }
    });

    it("a short finished payment on an order another payment already paid is flagged, order left alone", () => {
      const d = decideIpn(paid("0.01"), order("finished"), null);
      expect(d).toMatchObject({ paid: false, reviewReason: "paid_short" });
      expect(d.orderStatus).toBeUndefined();
    });

    it("statuses before finished are not judged on the amount", () => {
      expect(decideIpn(ipn("confirming", { actually_paid: 0 }), order(), null)).toMatchObject({
        outcome: "applied",
        needsReview: false,
        orderStatus: "confirming",
      });
    });
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
      stored("expired", { providerUpdatedAt: 2 }),
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

  it("a payment first stored without an order cannot later claim one", () => {
    const orphan = stored("waiting", { orderId: null, needsReview: true, reviewReason: "unknown_order" });
    const d = decideIpn(ipn("finished"), order(), orphan);
    expect(d).toMatchObject({ reviewReason: "order_mismatch", paid: false, needsReview: true });
    expect(d.orderStatus).toBeUndefined();
    expect(decideIpn(ipn("confirming"), order(), orphan).orderStatus).toBeUndefined();
  });

  it("a refund of the payment that paid the order moves it to refunded; of a second payment, never", () => {
    expect(decideIpn(ipn("refunded"), order("finished"), stored("finished"))).toMatchObject({
      orderStatus: "refunded",
      userUpdate: "refunded",
    });
    const second = stored("finished", {
      needsReview: true,
      reviewReason: "duplicate_payment",
      paidOrder: false,
    });
    const refund = decideIpn(ipn("refunded"), order("finished"), second);
    expect(refund).toMatchObject({
      outcome: "applied",
      paymentStatus: "refunded",
      reviewReason: "duplicate_payment",
    });
    expect(refund.orderStatus).toBeUndefined();
    expect(refund.userUpdate).toBeUndefined();
    // Nor a partial deposit, a waiting attempt or a payment first seen refunded on the paid invoice.
    for (const other of [stored("partially_paid"), stored("waiting"), null]) {
      expect(decideIpn(ipn("refunded"), order("finished"), other).orderStatus).toBeUndefined();
    }
    // A payment a person granted on its review did pay the order: its refund reverses it.
    const granted = stored("partially_paid", {
      needsReview: true,
      reviewReason: "partially_paid",
      paidOrder: true,
    });
    expect(decideIpn(ipn("refunded"), order("finished"), granted).orderStatus).toBe("refunded");
  });

  describe("what the IPN review found", () => {
    it("a finished IPN that switches pay_currency or pay_amount from what the payment said before goes to review", () => {
      const said = stored("confirming", { payCurrency: "usdttrc20", payAmount: "4.99" });
      for (const extra of [
        { pay_currency: "btc", pay_amount: "0.0001", actually_paid: "0.0001" },
        { pay_amount: "0.5", actually_paid: "0.5" },
      ]) {
        expect(
          decideIpn(ipn("finished", extra), order("confirming"), said),
          JSON.stringify(extra),
        ).toMatchObject({
          outcome: "review",
          paid: false,
          needsReview: true,
          reviewReason: "pay_changed",
          orderStatus: "needs_review",
        });
      }
      // The same asset and amount (tickers in any case, amounts in any notation) still pay.
      const same = ipn("finished", { pay_currency: "USDTTRC20", pay_amount: "4.990" });
      expect(decideIpn(same, order("confirming"), said)).toMatchObject({ outcome: "confirmed", paid: true });
      // Nothing said before (first IPN, or earlier IPNs without amounts): nothing to compare.
      expect(decideIpn(ipn("finished"), order(), null).paid).toBe(true);
      expect(decideIpn(ipn("finished"), order("confirming"), stored("confirming")).paid).toBe(true);
    });

    it("an IPN for another invoice than the order's goes to review; an order without an invoice id yet is fine", () => {
      const invoiced = { ...order(), invoiceId: "4522625843" };
      expect(decideIpn(ipn("finished", { invoice_id: 999 }), invoiced, null)).toMatchObject({
        outcome: "review",
        paid: false,
        reviewReason: "invoice_mismatch",
        orderStatus: "needs_review",
      });
      expect(decideIpn(ipn("finished", { invoice_id: null }), invoiced, null)).toMatchObject({
        paid: false,
        reviewReason: "invoice_mismatch",
      });
      const waiting = decideIpn(ipn("confirming", { invoice_id: 999 }), invoiced, stored("waiting"));
      expect(waiting).toMatchObject({
        outcome: "review",
        reviewReason: "invoice_mismatch",
        needsReview: true,
      });
      expect(waiting.orderStatus).toBeUndefined();
      expect(waiting.userUpdate).toBeUndefined();
      expect(decideIpn(ipn("finished", { invoice_id: 4522625843 }), invoiced, null).paid).toBe(true);
      expect(
        decideIpn(ipn("finished", { invoice_id: 999 }), { ...order(), invoiceId: null }, null).paid,
      ).toBe(true);
    });

    it("a far-future updated_at does not make later IPNs of the payment stale, and is not stored as such", () => {
      const now = new Date("2026-11-30T12:00:00Z");
      const future = now.getTime() + 365 * 24 * 3600_000;
      const first = decideIpn(ipn("finished", { updated_at: future }), order(), null, "1", now);
      expect(first).toMatchObject({ paid: true, providerUpdatedAt: null });
      // A time already known is kept rather than replaced by the unbelievable one.
      const known = stored("confirming", { providerUpdatedAt: now.getTime() - 60_000 });
      expect(
        decideIpn(ipn("finished", { updated_at: future }), order("confirming"), known, "1", now),
      ).toMatchObject({ paid: true, providerUpdatedAt: now.getTime() - 60_000 });
      // Stored by a version that kept it: still not a reason to ignore what follows.
      const refund = decideIpn(
        ipn("refunded", { updated_at: now.getTime() + 60_000 }),
        order("finished"),
        stored("finished", { providerUpdatedAt: future }),
        "1",
        new Date(now.getTime() + 60_000),
      );
      expect(refund).toMatchObject({ outcome: "applied", orderStatus: "refunded", userUpdate: "refunded" });
      // Within the allowed skew a timestamp counts as it is.
      const skewed = now.getTime() + 5 * 60_000;
      expect(decideIpn(ipn("confirming", { updated_at: skewed }), order(), null, "1", now)).toMatchObject({
        providerUpdatedAt: skewed,
      });
      expect(
        decideIpn(
          ipn("waiting", { updated_at: now.getTime() }),
          order("confirming"),
          stored("confirming", { providerUpdatedAt: skewed }),
          "1",
          now,
        ),
      ).toMatchObject({ outcome: "ignored_stale" });
    });
  });
});
