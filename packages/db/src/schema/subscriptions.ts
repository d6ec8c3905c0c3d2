import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("subscriptions_user_channel_uq").on(t.userId, t.channelId),
    // The sweep claims due rows through this partial index only (no scan of expired history).
    index("subscriptions_due_idx").on(t.nextCheckAt).where(sql`${t.status} = 'active'`),
    index("subscriptions_channel_status_idx").on(t.channelId, t.status),
  ],
);

/**
 * One grant per paid order: the row is claimed atomically before any invite is created, so a
 * redelivered or concurrent event can never produce a second invite (legacy mistake 5).
 */
export const accessGrants = pgTable("access_grants", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  orderId: integer("order_id")
    .notNull()
    .unique()
    .references(() => orders.id),
  subscriptionId: integer("subscription_id")
    .notNull()
    .references(() => subscriptions.id),
  /** pending → invite link created → dm_sent | dm_blocked | renewed_notice_sent */
  state: text("state").notNull().default("pending"),
  inviteLink: text("invite_link"),
  expiresAt: instant("expires_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
