import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, money, telegramId, updatedAt } from "./columns.ts";
import { promoCodes } from "./promo-codes.ts";
import { tiers } from "./tiers.ts";
import { users } from "./users.ts";

export const ORDER_KINDS = ["subscription", "donation"] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** NOWPayments payment statuses plus our own `created` (invoice not made yet) and `needs_review`. */
export const ORDER_STATUSES = [
  "created",
  "waiting",
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
  "finished",
  "failed",
  "refunded",
  "expired",
  "needs_review",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * What a user asked to buy, priced from the database at creation time (never from a deep link).
 * `reference` is the opaque id sent to NOWPayments as order_id; the IPN is matched by looking it up.
 */
export const orders = pgTable(
  "orders",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    reference: text("reference").notNull().unique(),
    kind: text("kind", { enum: ORDER_KINDS }).notNull(),
    userId: telegramId("user_id")
      .notNull()
      .references(() => users.telegramId),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id),
    tierId: integer("tier_id").references(() => tiers.id),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    /** Snapshot of the tier's duration when ordered, so later tier edits do not change what was bought. */
    durationDays: integer("duration_days"),
    /** The promo code this order holds (one of its uses while the order counts, see promo-codes). */
    promoCodeId: integer("promo_code_id").references(() => promoCodes.id),
    /** The price before the promo code, when one applied (amount is what is charged). */
    listAmount: money("list_amount"),
    invoiceId: text("invoice_id").unique(),
    invoiceUrl: text("invoice_url"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("created"),
    /**
     * De-duplicates repeated taps / re-delivered updates: the same key yields the same order.
     * Bot-gateway derives it from (user, tier/amount, time bucket).
     */
    idempotencyKey: text("idempotency_key"),
    paidAt: instant("paid_at"),
    /**
     * When the access this paid order bought was taken back (refund or reversal, docs/refunds.md).
     * Set once, in the reversal's transaction: a second reversal of the same order finds it and
     * withdraws nothing more.
     */
    reversedAt: instant("reversed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("orders_idempotency_key_uq").on(t.idempotencyKey),
    index("orders_promo_idx").on(t.promoCodeId, t.status).where(sql`${t.promoCodeId} IS NOT NULL`),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_channel_idx").on(t.channelId, t.createdAt),
    // The dashboard's revenue figures: an index-only range scan over one channel's paid orders in a
    // date window (docs/dashboard.md), never all of history.
    index("orders_channel_paid_idx")
      .on(t.channelId, t.paidAt, t.tierId, t.currency, t.amount)
      .where(sql`${t.status} = 'finished'`),
    // Reconciliation looks only at orders still waiting for a final status (payment_checks).
    index("orders_open_idx")
      .on(t.createdAt)
      .where(
        sql`${t.status} in ('created', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid')`,
      ),
    // The re-drive finds paid orders refunded by an IPN whose reversal has not run yet.
    index("orders_unreversed_idx")
      .on(t.updatedAt)
      .where(sql`${t.status} = 'refunded' and ${t.paidAt} is not null and ${t.reversedAt} is null`),
    check("orders_amount_positive", sql`${t.amount} > 0`),
    check(
      "orders_subscription_has_tier",
      sql`${t.kind} <> 'subscription' OR (${t.tierId} IS NOT NULL AND ${t.durationDays} > 0)`,
    ),
  ],
);
