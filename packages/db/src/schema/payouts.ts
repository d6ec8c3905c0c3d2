import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, money, telegramId } from "./columns.ts";

/**
 * Money the operator paid out to a channel's owner (SETTLEMENT=operator), as recorded with
 * `telepay payouts mark-paid`. What is due is computed from paid orders minus these rows
 * (packages/commerce/src/settlement.ts); rows are never edited: a correction is a new row.
 */
export const payouts = pgTable(
  "payouts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id),
    /** In the ledger's currency: the currency the operator received the payments in. */
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    note: text("note"),
    /** "cli" (the operator) today. */
    actor: text("actor").notNull(),
    actorTelegramId: telegramId("actor_telegram_id"),
    /** Recorded with --force although it exceeded what was due. */
    forced: boolean("forced").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("payouts_channel_idx").on(t.channelId, t.createdAt),
    check("payouts_amount_positive", sql`${t.amount} > 0`),
  ],
);
