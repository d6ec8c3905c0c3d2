/**
 * @telepay/commerce — the domain core. Every change to channels, tiers, orders, payments,
 * subscriptions, access grants and their outbox events lives here with its rule; apps translate
 * Telegram, HTTP and CLI input into calls to it (docs/architecture.md).
 */
import { createAccess } from "./access.ts";
import { createBroadcasts } from "./broadcasts.ts";
import { createChannels, createOrders, createPromos, createUsers } from "./catalog/index.ts";
import { createCheckouts } from "./checkouts.ts";
import type { CommerceDeps } from "./deps.ts";
import { createGrantDelivery } from "./grant-delivery.ts";
import { createGrants } from "./grants.ts";
import { createOutcomes } from "./outcomes.ts";
import { createPayments } from "./payments.ts";
import { createRefunds } from "./refunds.ts";
import { createReports } from "./reports.ts";
import { createReversals } from "./reversals.ts";
import { createReviews } from "./reviews.ts";
import { createSettlement } from "./settlement.ts";
import { createStars } from "./stars.ts";
import { createSweep } from "./sweep.ts";

export { type Access, type AccessChange, type AccessChanged, createAccess } from "./access.ts";
export {
  type Broadcast,
  type BroadcastStatus,
  type Broadcasts,
  type BroadcastTally,
  createBroadcasts,
  MAX_BROADCAST_CAPTION,
  MAX_BROADCAST_TEXT,
  parseAudience,
  tallyBroadcast,
} from "./broadcasts.ts";
export * from "./catalog/index.ts";
export {
  type Checkout,
  type CheckoutStatus,
  type Checkouts,
  createCheckouts,
  type PaymentGateway,
  type StaleCheckout,
} from "./checkouts.ts";
export { type Actor, type CommerceDeps, type Core, coreOf, type PayoutAddressCheck } from "./deps.ts";
export { CommerceError, CommerceErrorCode } from "./errors.ts";
export {
  createGrantDelivery,
  type Grant,
  type GrantDelivery,
  type GrantProgress,
  type GrantStanding,
  LeaseLostError,
} from "./grant-delivery.ts";
export { createGrants, listStuckGrants, requeueGrants, type StuckGrant } from "./grants.ts";
export { isRowId } from "./ids.ts";
export {
  createOutcomes,
  type EventState,
  type EventStatus,
  FINAL_EVENT_STATES,
  type OutcomeInput,
  type Outcomes,
} from "./outcomes.ts";
export { confirmedEventId, createPayments, type PaymentRecorded, type Payments } from "./payments.ts";
export {
  createReconciler,
  OPEN_ORDER_STATUSES,
  type PaymentSource,
  type ReconcileDeps,
  type ReconciledOrder,
  type ReconciledPayment,
  type ReconcileOptions,
  type ReconcileResult,
  type Reconciler,
  type ReconcileSettings,
  reconcileBackoffMs,
} from "./reconcile.ts";
export {
  createRefunds,
  type Refunded,
  type RefundPreview,
  type Refunds,
  type RefundTarget,
  type StarsRefunder,
} from "./refunds.ts";
export {
  type ChannelReport,
  createReports,
  type Rail,
  type Reports,
  type ReportWindow,
  type RevenueRow,
  type ReviewItem,
  type SubscriberMonth,
} from "./reports.ts";
export {
  createReversals,
  type Reversal,
  type Reversals,
  type ReverseInput,
  unusedTime,
} from "./reversals.ts";
export {
  createReviews,
  type ListReviewsOptions,
  listReviews,
  MAX_NOTE_LENGTH,
  type ResolveReviewInput,
  type Review,
  type ReviewResolved,
  type Reviews,
  resolveReview,
} from "./reviews.ts";
export {
  type Balance,
  type BalanceFilter,
  createSettlement,
  MAX_PAYOUT_NOTE_LENGTH,
  type MarkPaidInput,
  PAYOUT_AMOUNT,
  type PayoutRecorded,
  type Settlement,
} from "./settlement.ts";
export {
  type CheckoutRefusal,
  createStars,
  STARS_SUBSCRIPTION_DAYS,
  STARS_SUBSCRIPTION_PERIOD_S,
  type Stars,
  type StarsCharge,
  type StarsChargeRecorded,
  starsChargeReport,
  starsInvoiceId,
  starsInvoiceKind,
} from "./stars.ts";
export {
  type ReconciledCharge,
  reconcileStars,
  type StarsReconcileResult,
  type StarTransactionLike,
  type StarTransactionSource,
} from "./stars-reconcile.ts";
export * from "./subscription-rules.ts";
export {
  lockSubscription,
  type StackInput,
  type StackResult,
  stackSubscription,
} from "./subscription-store.ts";
export {
  claimDueStatement,
  createSweep,
  type RemovalOutcome,
  renewingKeys,
  type Sweep,
  type SweepPlanItem,
  type SweepScope,
} from "./sweep.ts";

/** The core, built once per process: every part shares the database, the clock and the relay kick. */
export function createCommerce(deps: CommerceDeps) {
  return {
    payments: createPayments(deps),
    grants: createGrants(deps),
    grantDelivery: createGrantDelivery(deps),
    sweep: createSweep(deps),
    access: createAccess(deps),
    channels: createChannels(deps),
    orders: createOrders(deps),
    promos: createPromos(deps),
    users: createUsers(deps),
    reports: createReports(deps),
    reviews: createReviews(deps),
    broadcasts: createBroadcasts(deps),
    stars: createStars(deps),
    outcomes: createOutcomes(deps),
    settlement: createSettlement(deps),
    reversals: createReversals(deps),
    checkouts: createCheckouts(deps),
    refunds: createRefunds(deps),
  };
}
export type Commerce = ReturnType<typeof createCommerce>;
export { paidItsOrder } from "./paid-its-order.ts";
