/**
 * The largest request body each kind of route reads, in bytes: one table, so the services agree
 * and a change is made once. Every route applies its limit with `limitBody` before reading.
 */
export const BODY_LIMITS = {
  /** NOWPayments IPN: a flat JSON object of a few hundred bytes. */
  ipn: 64 * 1024,
  /** An owner dashboard edit (`/dashboard/api/*`): a channel's plans, a few hundred bytes. */
  dashboard: 16 * 1024,
  /** Signed internal job calls (`/jobs/*`): a handful of options. */
  internalJob: 64 * 1024,
  /** A Telegram update: at most 4096 characters of text plus entities, a replied-to message, buttons. */
  telegramUpdate: 1024 * 1024,
  /** A Pub/Sub push envelope: our events are small JSON, base64-encoded inside it. */
  pubsubPush: 1024 * 1024,
} as const;
