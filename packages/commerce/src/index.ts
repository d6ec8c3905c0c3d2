/**
 * @telepay/commerce — the domain core. Every change to channels, tiers, orders, payments,
 * subscriptions, access grants and their outbox events lives here with its rule; apps translate
 * Telegram, HTTP and CLI input into calls to it (docs/architecture.md).
 */
export { type Actor, type CommerceDeps, type Core, coreOf } from "./deps.ts";
export { CommerceError, CommerceErrorCode, isUniqueViolation } from "./errors.ts";
export { listStuckGrants, requeueGrants, type StuckGrant } from "./grants.ts";
