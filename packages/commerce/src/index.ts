/**
 * @telepay/commerce — the domain core. Every change to channels, tiers, orders, payments,
 * subscriptions, access grants and their outbox events lives here with its rule; apps translate
 * Telegram, HTTP and CLI input into calls to it (docs/architecture.md).
 */
import { createChannels, createOrders, createUsers } from "./catalog/index.ts";
import type { CommerceDeps } from "./deps.ts";
import { createGrants } from "./grants.ts";
import { createPayments } from "./payments.ts";
import { createReviews } from "./reviews.ts";

export * from "./catalog/index.ts";
export { type Actor, type CommerceDeps, type Core, coreOf } from "./deps.ts";
export { CommerceError, CommerceErrorCode } from "./errors.ts";
export { createGrants, listStuckGrants, requeueGrants, type StuckGrant } from "./grants.ts";
export { confirmedEventId, createPayments, type PaymentRecorded, type Payments } from "./payments.ts";
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

/** The core, built once per process: every part shares the database, the clock and the relay kick. */
export function createCommerce(deps: CommerceDeps) {
  return {
    payments: createPayments(deps),
    grants: createGrants(deps),
    channels: createChannels(deps),
    orders: createOrders(deps),
    users: createUsers(deps),
    reviews: createReviews(deps),
  };
}
export type Commerce = ReturnType<typeof createCommerce>;
