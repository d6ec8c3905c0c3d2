import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, telegramId, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";
import { users } from "./users.ts";

export const STAR_SUBSCRIPTION_STATES = ["renewing", "canceled", "lapsed"] as const;
export type StarSubscriptionState = (typeof STAR_SUBSCRIPTION_STATES)[number];

/**
 * A Telegram Stars auto-renewing subscription (a 30-day tier bought through a subscription invoice):
 * one per (user, channel). `chargeId` is the first charge's telegram_payment_charge_id, the id
 * Telegram names the subscription by (editUserStarSubscription). While `renewing`, the expiry sweep
 * waits a little past the expiry for the renewal charge; `canceled` (renewal switched off) and
 * `lapsed` (the renewal never came) let the sweep remove the subscriber on time.
 */
export const starSubscriptions = pgTable(
  "star_subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: telegramId("user_id")
      .notNull()
      .references(() => users.telegramId),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    chargeId: text("charge_id").notNull().unique(),
    /** The order of the first charge (renewals copy its tier, amount and duration). */
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id),
    state: text("state", { enum: STAR_SUBSCRIPTION_STATES }).notNull().default("renewing"),
    /** Telegram's subscription_expiration_date of the latest charge: when the next renewal is due. */
    periodEnd: instant("period_end"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("star_subscriptions_user_channel_uq").on(t.userId, t.channelId),
    index("star_subscriptions_renewing_idx").on(t.channelId).where(sql`${t.state} = 'renewing'`),
  ],
);
