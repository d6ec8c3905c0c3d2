import { index, integer, pgTable } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { instant, telegramId } from "./columns.ts";
import { tiers } from "./tiers.ts";

/**
 * One row each time a subscriber opened a channel's offer in the bot (the tier menu, tier_id null,
 * or one tier from the tier post): the first step of the owner dashboard's conversion funnel.
 * Append-only; read by date range through `offer_opens_channel_idx`.
 */
export const offerOpens = pgTable(
  "offer_opens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    tierId: integer("tier_id").references(() => tiers.id),
    userId: telegramId("user_id").notNull(),
    openedAt: instant("opened_at").notNull().defaultNow(),
  },
  (t) => [index("offer_opens_channel_idx").on(t.channelId, t.openedAt)],
);
