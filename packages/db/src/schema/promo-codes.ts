import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, money, telegramId, updatedAt } from "./columns.ts";

/**
 * An owner's discount code for one channel: a percent or a fixed amount off, optionally limited in
 * uses, time and tiers. Uses are not a counter: they are the orders that hold the code
 * (docs/owner-tools.md#promo-codes), counted under this row's lock in `orders.open`.
 */
export const promoCodes = pgTable(
  "promo_codes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    /** Upper-case `[A-Z0-9_-]{3,32}`; unique per channel. */
    code: text("code").notNull(),
    /** 1-99; exactly one of percent_off / amount_off is set. */
    percentOff: integer("percent_off"),
    /** A fixed amount off, in the channel's price currency. */
    amountOff: money("amount_off"),
    maxUses: integer("max_uses"),
    expiresAt: instant("expires_at"),
    /** Tier positions the code applies to; null = every tier. */
    tierPositions: integer("tier_positions").array(),
    active: boolean("active").notNull().default(true),
    createdBy: telegramId("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("promo_codes_channel_code_uq").on(t.channelId, t.code),
    check("promo_codes_one_discount", sql`(${t.percentOff} IS NULL) <> (${t.amountOff} IS NULL)`),
    check("promo_codes_percent_range", sql`${t.percentOff} IS NULL OR (${t.percentOff} BETWEEN 1 AND 99)`),
    check("promo_codes_amount_positive", sql`${t.amountOff} IS NULL OR ${t.amountOff} > 0`),
    check("promo_codes_max_uses_positive", sql`${t.maxUses} IS NULL OR ${t.maxUses} > 0`),
    check("promo_codes_code_shape", sql`${t.code} ~ '^[A-Z0-9_-]{3,32}$'`),
  ],
);
