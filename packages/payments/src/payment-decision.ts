import { compareDecimal, paidWithinTolerance } from "./decimal.ts";
import type { PaymentReport } from "./payment-report.ts";
import { canTransition, isPaymentStatus, type OrderStatusValue, type PaymentStatus } from "./status.ts";

/** The order fields the decision needs (a subset of the `orders` row). */
export interface OrderSnapshot {
  id: number;
  status: OrderStatusValue;
  amount: string;
  currency: string;
  /** The provider's invoice made for the order; null while it has none. */
  invoiceId: string | null;
}

/** The stored payment fields the decision needs (a subset of the `payments` row). */
export interface PaymentSnapshot {
  status: string;
  orderId: number | null;
  needsReview: boolean;
  reviewReason: string | null;
  /** The provider time of the last report written to the row (payments.remote_updated_at). */
  providerUpdatedAt: number | null;
  /** What the earlier reports said was asked, and in which asset. */
  payAmount: string | null;
  payCurrency: string | null;
  /**
   * Whether this payment is the one that paid its order (a report recorded as `confirmed`, or a
   * review granted on it). Only its refund moves a paid order to `refunded`.
   */
  paidOrder: boolean;
}

/** What a payment report did, recorded in payment_events.outcome and returned to the caller. */
export type PaymentOutcome =
  | "confirmed"
  | "applied"
  | "duplicate"
  | "ignored_regression"
  | "ignored_stale"
  | "unknown_order"
  | "review";

export type ReviewReason =
  | "unknown_order"
  | "order_mismatch"
  | "re_deposit"
  | "currency_mismatch"
  | "underpaid"
  | "paid_short"
  | "missing_amount"
  | "duplicate_payment"
  | "partially_paid"
  | "unknown_status"
  | "invoice_mismatch"
  | "pay_changed"
  | "overpaid";

/** Operator settings the decision applies (webhook-ingress: IngressConfig). */
export interface PaymentPolicy {
  /**
   * PAYMENT_UNDERPAID_TOLERANCE_PERCENT as a decimal string (0–50): how far actually_paid may fall
   * below pay_amount on a `finished` IPN before the order waits for review instead of being paid.
   */
  underpaidTolerancePercent: string;
}

/**
 * Statuses the payer hears about through payment.updated: every status but `finished`, which is
 * payment.confirmed (events' PAYMENT_UPDATE_STATUSES lists the same, for the bus).
 */
export type UserUpdateStatus = Exclude<PaymentStatus, "finished">;
const isUserUpdate = (s: string): s is UserUpdateStatus => isPaymentStatus(s) && s !== "finished";

/**
 * How far ahead of our clock a provider's time may be and still count (clock skew). A report dated
 * further ahead would make every later report of its payment look stale (a refund ignored), so its
 * time is disregarded.
 */
export const FUTURE_TIME_TOLERANCE_MS = 10 * 60_000;

export interface PaymentDecision {
  outcome: PaymentOutcome;
  /** Write the report's fields to the payment row (false: a stale/regressing report leaves it alone). */
  writePayment: boolean;
  /** The payment's status after this report. */
  paymentStatus: string;
  needsReview: boolean;
  reviewReason: string | null;
  /** New order status, or undefined to leave the order alone. */
  orderStatus?: OrderStatusValue;
  /** The order just became paid: set paid_at and enqueue payment.confirmed. */
  paid: boolean;
  /** Enqueue payment.updated with this status (and the order's previous one). */
  userUpdate?: UserUpdateStatus;
  /** The provider time to store with the payment (a far-future one is not kept). */
  providerUpdatedAt: number | null;
}

/**
 * Decides what one payment report does, given the order it names (locked by the caller) and the
 * payment's stored state. Pure, so every sequence can be tested without a database.
 * The rules: docs/decisions/payment-recording.md.
 */
export function decidePayment(
  report: PaymentReport,
  order: OrderSnapshot | null,
  existing: PaymentSnapshot | null,
  policy: PaymentPolicy,
  now: Date,
): PaymentDecision {
  const incoming = report.status;
  // A provider time further ahead of our clock than skew explains is disregarded (also one stored
  // by an earlier version): it would make every later report of the payment look stale. The row
  // then keeps the time it had.
  const horizon = now.getTime() + FUTURE_TIME_TOLERANCE_MS;
  const believable = (t: number | null | undefined) => (t != null && t <= horizon ? t : null);
  const reportedAt = believable(report.providerUpdatedAt);
  const storedAt = believable(existing?.providerUpdatedAt);
  const providerUpdatedAt =
    report.providerUpdatedAt !== null && reportedAt === null ? storedAt : report.providerUpdatedAt;
  const keep = (outcome: PaymentOutcome): PaymentDecision => ({
    outcome,
    writePayment: false,
    paymentStatus: existing!.status,
    needsReview: existing!.needsReview,
    reviewReason: existing!.reviewReason,
    paid: false,
    providerUpdatedAt,
  });
  const review = (reason: ReviewReason, extra: Partial<PaymentDecision> = {}): PaymentDecision => ({
    outcome: reason === "unknown_order" ? "unknown_order" : "review",
    writePayment: true,
    paymentStatus: existing && !advances ? existing.status : incoming,
    needsReview: true,
    reviewReason: reason,
    paid: false,
    providerUpdatedAt,
    ...extra,
  });

  const known = isPaymentStatus(incoming);
  const stale = storedAt !== null && reportedAt !== null && reportedAt < storedAt;
  const same = existing !== null && existing.status === incoming;
  const advances =
    existing === null ||
    (!stale && isPaymentStatus(existing.status) && known && canTransition(existing.status, incoming)) ||
    // A payment stored under a status we did not know yet may move to any known status.
    (!stale && !isPaymentStatus(existing.status) && known);

  if (!known) {
    // A status NOWPayments added after this code was written: record it, flag it, act on nothing.
    return existing
      ? { ...keep("review"), writePayment: true, needsReview: true, reviewReason: "unknown_status" }
      : review("unknown_status");
  }
  if (existing && !same && !advances) return keep(stale ? "ignored_stale" : "ignored_regression");

  // Same status again: a redelivery. Refresh the stored fields, change nothing else.
  if (same) {
    return {
      outcome: "duplicate",
      writePayment: !stale,
      paymentStatus: incoming,
      needsReview: existing.needsReview,
      reviewReason: existing.reviewReason,
      paid: false,
      providerUpdatedAt,
    };
  }

  if (!order) return review("unknown_order");
  // A payment keeps the order it was first recorded with: another order, or none at all (orders
  // exist before their invoice, so a genuine payment never names an order after naming none).
  if (existing && existing.orderId !== order.id) return review("order_mismatch");

  const carry = { needsReview: existing?.needsReview ?? false, reviewReason: existing?.reviewReason ?? null };

  if (incoming === "finished") {
    const reason = paidReviewReason(report, order, existing, policy);
    if (reason) {
      // The order waits for a person unless it is already settled (paid by another payment, refunded).
      const settled =
        order.status === "finished" || order.status === "refunded" || order.status === "needs_review";
      return review(reason, settled ? {} : { orderStatus: "needs_review" });
    }
    if (!canTransition(order.status, "finished")) {
      // finished (by another payment) or refunded: nothing more to grant.
      return review("duplicate_payment");
    }
    // Paid in full and then some: access is granted, and a person decides about the excess.
    const over = overpaid(report, policy);
    return {
      outcome: "confirmed",
      writePayment: true,
      paymentStatus: incoming,
      needsReview: over,
      reviewReason: over ? "overpaid" : null,
      orderStatus: "finished",
      paid: true,
      providerUpdatedAt,
    };
  }

  if (!namesOrderInvoice(report, order)) return review("invoice_mismatch");
  // A re-deposit or wrong-asset child payment never moves the order on its own.
  if (report.parentPaymentId) return review("re_deposit");

  const base: PaymentDecision = {
    outcome: "applied",
    writePayment: true,
    paymentStatus: incoming,
    ...carry,
    paid: false,
    providerUpdatedAt,
  };
  if (incoming === "partially_paid")
    Object.assign(base, { needsReview: true, reviewReason: "partially_paid" });
  // Any other payment of an order already paid (a duplicate, a second attempt, a partial deposit,
  // one first seen as refunded) did not buy its access: its refund or failure returns that money
  // and leaves the order paid (docs/refunds.md).
  const paidByAnother = order.status === "finished" && !existing?.paidOrder;
  if (canTransition(order.status, incoming) && !paidByAnother) {
    base.orderStatus = incoming;
    if (isUserUpdate(incoming)) base.userUpdate = incoming;
  }
  return base;
}

/**
 * Whether the report is against the invoice made for the order. An order gets its invoice id only
 * after the provider answered; until then there is nothing to compare.
 */
const namesOrderInvoice = (report: PaymentReport, order: OrderSnapshot) =>
  order.invoiceId === null || report.invoiceId === order.invoiceId;

/** Why a `finished` report cannot pay its order automatically, or undefined when it can. */
function paidReviewReason(
  report: PaymentReport,
  order: OrderSnapshot,
  existing: PaymentSnapshot | null,
  policy: PaymentPolicy,
): ReviewReason | undefined {
  if (report.parentPaymentId) return "re_deposit";
  if (!namesOrderInvoice(report, order)) return "invoice_mismatch";
  if (!report.priceCurrency || report.priceCurrency.toLowerCase() !== order.currency.toLowerCase()) {
    return "currency_mismatch";
  }
  if (!report.priceAmount) return "missing_amount";
  // Stars are whole and exact (no network, no tolerance): a charge of any other amount was not made
  // against this order's invoice, whichever way it differs.
  if (report.provider === "telegram_stars" && compareDecimal(report.priceAmount, order.amount) !== 0)
    return compareDecimal(report.priceAmount, order.amount) < 0 ? "underpaid" : "invoice_mismatch";
  // Exact decimal comparison in the order's currency: never a crypto amount against a fiat price
  // (docs/legacy-mistakes.md#lm-4).
  if (compareDecimal(report.priceAmount, order.amount) < 0) return "underpaid";
  // The price is what the invoice said; the crypto amounts say what arrived. Both are in the one
  // pay_currency of this payment. Nothing asked (zero or negative) is not a payment to grant on.
  if (!report.payCurrency || !report.payAmount || !report.actuallyPaid) return "missing_amount";
  if (compareDecimal(report.payAmount, "0") <= 0) return "missing_amount";
  // The asset and the amount asked are fixed when the payment is created: a `finished` report that
  // changes them is not the payment its earlier reports described, so its tolerance check means little.
  if (existing?.payCurrency && existing.payCurrency.toLowerCase() !== report.payCurrency.toLowerCase()) {
    return "pay_changed";
  }
  if (existing?.payAmount && compareDecimal(existing.payAmount, report.payAmount) !== 0) return "pay_changed";
  if (!paidWithinTolerance(report.actuallyPaid, report.payAmount, policy.underpaidTolerancePercent)) {
    return "paid_short";
  }
  return undefined;
}

/**
 * Whether actually_paid exceeds pay_amount by more than the tolerance (the same band as for a
 * shortfall, the other way round): the payer is owed the excess, so the payment is flagged.
 */
function overpaid(report: PaymentReport, policy: PaymentPolicy): boolean {
  if (!report.actuallyPaid || !report.payAmount) return false;
  if (compareDecimal(report.actuallyPaid, report.payAmount) <= 0) return false;
  return !paidWithinTolerance(report.payAmount, report.actuallyPaid, policy.underpaidTolerancePercent);
}
