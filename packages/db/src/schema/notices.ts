import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";

export const NOTICE_KINDS = [
  /** To the channel owner: an order was paid (after the payer's access is settled). */
  "owner_paid",
  /** To a donor: thank you. */
  "donation_thanks",
  /** To the payer: their payment moved (confirming, partially paid, failed, expired, refunded). */
  "payment_update",
  /** To the channel owner: a payment needs review (facts and grant / dismiss buttons). */
  "owner_review",
  /** To the payer: a refund took back the time their order bought (and maybe their access). */
  "reversal_payer",
  /** To the channel owner: the same refund, who and what it withdrew. */
  "reversal_owner",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_STATES = ["pending", "sending", "sent", "unreachable", "skipped", "failed"] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];
export const OPEN_NOTICE_STATES = ["pending", "sending"] as const satisfies readonly NoticeState[];

/**
 * A DM owed because of a payment, written in the same statement as the payment change, so a crash
 * or a lost event never loses it: the re-drive sends every notice that is not final. The text is
 * rendered at send time from these facts and the current rows, never from an event payload.
 */
export const notices = pgTable(
  "notices",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** One notice per fact, e.g. `order:12:owner_paid`, `payment:5077:partially_paid`. */
    key: text("key").notNull().unique(),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id),
    paymentId: text("payment_id"),
    /** Facts of the verified IPN that caused it (status, amounts), written by the payment writer only. */
    details: jsonb("details").notNull().default({}),
    state: text("state", { enum: NOTICE_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    leaseUntil: instant("lease_until"),
    leaseToken: uuid("lease_token"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("notices_open_idx").on(t.nextAttemptAt).where(sql`${t.state} in ('pending', 'sending')`),
    index("notices_order_idx").on(t.orderId),
  ],
);
