import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, telegramId, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";
import { tiers } from "./tiers.ts";
import { users } from "./users.ts";

export const SUBSCRIPTION_STATUSES = ["active", "expired", "revoked"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * One row per (user, channel), ever: a renewal or a new purchase after expiry extends/reactivates
 * it, so there can never be two live subscriptions for the same pair.
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: telegramId("user_id")
      .notNull()
      .references(() => users.telegramId),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    tierId: integer("tier_id").references(() => tiers.id),
    startsAt: instant("starts_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    status: text("status", { enum: SUBSCRIPTION_STATUSES }).notNull().default("active"),
    /** True while the current period is a free trial (cleared by the first paid renewal). */
    trial: boolean("trial").notNull().default(false),
    /** Days-before-expiry reminders already sent for the current expires_at (reset on renewal). */
    remindersSent: integer("reminders_sent").array().notNull().default(sql`'{}'::integer[]`),
    /** Next time the sweep may look at this row (reminder due, expiry due, or a retry after a failed removal). */
    nextCheckAt: instant("next_check_at").notNull(),
    removalAttempts: integer("removal_attempts").notNull().default(0),
    lastError: text("last_error"),
    /** The latest invite link sent to the user, so /subscriptions can offer it again. */
    inviteLink: text("invite_link"),
    joinedAt: instant("joined_at"),
    leftAt: instant("left_at"),
    lastOrderId: integer("last_order_id").references(() => orders.id),
    /**
     * Why the current expiry came early: `reversal` when a refund took the last paid time away
     * (docs/refunds.md), so the sweep's removal is told and audited as such. Cleared by any grant.
     */
    endCause: text("end_cause", { enum: ["reversal"] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("subscriptions_user_channel_uq").on(t.userId, t.channelId),
    // The sweep claims due rows through this partial index only (no scan of expired history).
    index("subscriptions_due_idx").on(t.nextCheckAt).where(sql`${t.status} = 'active'`),
    index("subscriptions_channel_status_idx").on(t.channelId, t.status),
    // The dashboard's new and churned subscribers per month (date-range scans per channel).
    index("subscriptions_channel_created_idx").on(t.channelId, t.createdAt),
    index("subscriptions_channel_lapsed_idx")
      .on(t.channelId, t.expiresAt)
      .where(sql`${t.status} <> 'active'`),
  ],
);

/** Grant states; see apps/notifier/src/access.ts for the lifecycle. */
export const GRANT_STATES = [
  /** Paid (written with the order's transition to finished); the subscription is not extended yet. */
  "owed",
  /** Subscription extended; the invite/notice is still to be delivered (retried at next_attempt_at). */
  "pending",
  /** A worker holds the lease (lease_until, renewed while it works) and is talking to Telegram. */
  "delivering",
  "dm_sent",
  "dm_blocked",
  "renewed_notice_sent",
  "invite_failed",
  "failed",
  /** The order was no longer paid when the grant was applied (refunded first): nothing to deliver. */
  "void",
  /** The order's days were added, then taken back by a refund (docs/refunds.md). */
  "reversed",
] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/** States with nothing left to do (the re-drive never picks them up). */
export const FINAL_GRANT_STATES = [
  "dm_sent",
  "dm_blocked",
  "renewed_notice_sent",
  "invite_failed",
  "failed",
  "void",
  "reversed",
] as const satisfies readonly GrantState[];

/** Final states in which the payer actually got access (an invite, or a renewal notice while inside). */
export const DELIVERED_GRANT_STATES = [
  "dm_sent",
  "dm_blocked",
  "renewed_notice_sent",
] as const satisfies readonly GrantState[];

/** States the re-drive resumes. */
export const OPEN_GRANT_STATES = ["owed", "pending", "delivering"] as const satisfies readonly GrantState[];

/**
 * One grant per paid order, created in the same statement that marks the order paid, so every paid
 * order has durable, findable access work, claimed atomically, never twice (docs/legacy-mistakes.md#lm-5).
 */
export const accessGrants = pgTable(
  "access_grants",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id")
      .notNull()
      .unique()
      .references(() => orders.id),
    /** Null while `owed`: set when the paid days are added to the subscription. */
    subscriptionId: integer("subscription_id").references(() => subscriptions.id),
    state: text("state", { enum: GRANT_STATES }).notNull().default("owed"),
    inviteLink: text("invite_link"),
    /** The subscription's expiry right after this order's days were added (null while owed). */
    expiresAt: instant("expires_at"),
    /** Delivery attempts so far (claims). */
    attempts: integer("attempts").notNull().default(0),
    /** When the re-drive may try again (after a transient failure, with backoff). */
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    /** The worker holding a `delivering` grant renews this while it works; a lapsed lease is taken over. */
    leaseUntil: instant("lease_until"),
    /** Identifies the lease holder: every write of a delivery is fenced by it. */
    leaseToken: uuid("lease_token"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The re-drive scans only unfinished grants.
    index("access_grants_open_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.state} in ('owed', 'pending', 'delivering')`),
  ],
);
