/**
 * NOWPayments payment statuses and how they move an order. IPNs arrive out of order and more than
 * once, so an incoming status is applied only when it is a transition the model allows: a late
 * `confirming` never undoes `finished`, a stale `waiting` never reopens an `expired` order.
 */

/** Every status NOWPayments reports for a payment. */
export const PAYMENT_STATUSES = [
  "waiting",
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
  "finished",
  "failed",
  "refunded",
  "expired",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** An order's status: the payment statuses plus `created` (no invoice yet) and `needs_review`. */
export type OrderStatusValue = PaymentStatus | "created" | "needs_review";

/** Statuses after which nothing but the listed exceptions may follow. */
export const TERMINAL_STATUSES: readonly OrderStatusValue[] = ["finished", "failed", "refunded", "expired"];

/** Progress of a live payment; a higher rank never yields to a lower one. */
const PROGRESS_RANK: Partial<Record<OrderStatusValue, number>> = {
  created: 0,
  waiting: 1,
  confirming: 2,
  confirmed: 3,
  sending: 4,
  partially_paid: 5,
};

/** Statuses that mean money reached NOWPayments late (after `expired`/`failed`): still applied. */
const LATE_MONEY: readonly OrderStatusValue[] = ["confirming", "confirmed", "sending", "partially_paid"];

export function isPaymentStatus(value: string): value is PaymentStatus {
  return (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/**
 * Whether an order (or payment) in `from` may move to `to`. The rules, in order:
 * - the same status is not a transition;
 * - `refunded` is final; `finished` may only become `refunded`;
 * - `finished` is reachable from every other status (the money arrived: never lose a payment,
 *   including after `expired`, `failed`, `partially_paid` or `needs_review`; the caller still checks
 *   the amount and currency before treating it as paid);
 * - `refunded` is reachable from every status;
 * - `needs_review` is left only through `finished` or `refunded` (and is entered by the amount check,
 *   never by an IPN status);
 * - after `expired` or `failed`, only late-money statuses (confirming … partially_paid) apply;
 * - `expired` and `failed` end any live status;
 * - otherwise progress only moves forward: created < waiting < confirming < confirmed < sending < partially_paid.
 */
export function canTransition(from: OrderStatusValue, to: OrderStatusValue): boolean {
  if (from === to) return false;
  if (from === "refunded") return false;
  if (from === "finished") return to === "refunded";
  if (to === "finished" || to === "refunded") return true;
  if (to === "created" || to === "needs_review") return false;
  if (from === "needs_review") return false;
  if (from === "expired" || from === "failed") return LATE_MONEY.includes(to);
  if (to === "expired" || to === "failed") return true;
  const a = PROGRESS_RANK[from];
  const b = PROGRESS_RANK[to];
  return a !== undefined && b !== undefined && b > a;
}

/**
 * The order status after an IPN with `incoming` status: the new status when the transition is
 * allowed, otherwise `current` unchanged (a stale or repeated IPN).
 */
export function nextOrderStatus(current: OrderStatusValue, incoming: OrderStatusValue): OrderStatusValue {
  return canTransition(current, incoming) ? incoming : current;
}

/** Stable message keys for what a status means to the payer (the bot's catalog translates them). */
export type StatusMeaningKey =
  | "payment.created"
  | "payment.waiting"
  | "payment.confirming"
  | "payment.confirmed"
  | "payment.sending"
  | "payment.partially_paid"
  | "payment.finished"
  | "payment.failed"
  | "payment.refunded"
  | "payment.expired"
  | "payment.needs_review";

export interface StatusMeaning {
  /** Message catalog key for the user-facing text. */
  key: StatusMeaningKey;
  /** English fallback, also used in logs and the CLI. */
  text: string;
  /** Whether the status grants access (only a checked `finished` does). */
  grantsAccess: boolean;
  /** Whether no further automatic change is expected. */
  final: boolean;
}

const MEANINGS: Record<OrderStatusValue, StatusMeaning> = {
  created: { key: "payment.created", text: "Invoice being prepared.", grantsAccess: false, final: false },
  waiting: { key: "payment.waiting", text: "Waiting for your payment.", grantsAccess: false, final: false },
  confirming: {
    key: "payment.confirming",
    text: "Payment seen on the blockchain, waiting for confirmations.",
    grantsAccess: false,
    final: false,
  },
  confirmed: {
    key: "payment.confirmed",
    text: "Payment confirmed on the blockchain, being processed.",
    grantsAccess: false,
    final: false,
  },
  sending: {
    key: "payment.sending",
    text: "Payment confirmed, being settled.",
    grantsAccess: false,
    final: false,
  },
  partially_paid: {
    key: "payment.partially_paid",
    text: "Less than the invoice amount arrived; the payment is on hold for review.",
    grantsAccess: false,
    final: false,
  },
  finished: { key: "payment.finished", text: "Payment complete.", grantsAccess: true, final: true },
  failed: { key: "payment.failed", text: "The payment failed.", grantsAccess: false, final: true },
  refunded: { key: "payment.refunded", text: "The payment was refunded.", grantsAccess: false, final: true },
  expired: {
    key: "payment.expired",
    text: "The invoice expired before a payment arrived.",
    grantsAccess: false,
    final: true,
  },
  needs_review: {
    key: "payment.needs_review",
    text: "The payment arrived but needs a manual check (amount, currency or a second payment).",
    grantsAccess: false,
    final: false,
  },
};

/** What a status means for the order and the payer; unknown statuses read as "needs review". */
export function statusMeaning(status: string): StatusMeaning {
  return MEANINGS[status as OrderStatusValue] ?? MEANINGS.needs_review;
}
