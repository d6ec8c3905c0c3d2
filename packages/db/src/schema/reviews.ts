import { index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, telegramId } from "./columns.ts";
import { orders } from "./orders.ts";
import { payments } from "./payments.ts";

export const REVIEW_DECISIONS = ["grant", "dismiss"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * How a payment flagged for review (payments.needs_review) was settled, by the channel's owner (bot
 * buttons) or an operator (`telepay review resolve`). One row per (payment, reason): a payment
 * flagged again later for another reason is a new review. Written only by the core's
 * `reviews.resolve`, in the transaction that grants (if it does) and audits.
 */
export const reviewResolutions = pgTable(
  "review_resolutions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.paymentId),
    /** The review_reason the decision was made on. */
    reason: text("reason").notNull(),
    decision: text("decision", { enum: REVIEW_DECISIONS }).notNull(),
    note: text("note"),
    /** "owner" or "cli". */
    actor: text("actor").notNull(),
    actorTelegramId: telegramId("actor_telegram_id"),
    /** The order a grant paid (null for a dismissal of a payment without an order). */
    orderId: integer("order_id").references(() => orders.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique("review_resolutions_payment_reason_uq").on(t.paymentId, t.reason),
    index("review_resolutions_order_idx").on(t.orderId),
  ],
);
