import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, money, updatedAt } from "./columns.ts";

/** A price + duration offered by a channel. Edits deactivate the old row so past orders keep their tier. */
export const tiers = pgTable(
  "tiers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    price: money("price").notNull(),
    currency: text("currency").notNull().default("USD"),
    durationDays: integer("duration_days").notNull(),
    /** The tier's price in Telegram Stars (whole Stars, 1…10000); null = not sold for Stars. */
    starsPrice: integer("stars_price"),
    label: text("label").notNull().default(""),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tiers_channel_idx").on(t.channelId),
    // Only one active tier per slot; inactive history rows may share a position.
    uniqueIndex("tiers_channel_position_active_uq").on(t.channelId, t.position).where(sql`${t.active}`),
    check("tiers_price_positive", sql`${t.price} > 0`),
    check("tiers_duration_positive", sql`${t.durationDays} > 0`),
    check("tiers_stars_price_range", sql`${t.starsPrice} IS NULL OR ${t.starsPrice} BETWEEN 1 AND 10000`),
  ],
);
