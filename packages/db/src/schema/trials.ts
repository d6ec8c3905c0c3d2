import { index, integer, pgTable, unique } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, telegramId } from "./columns.ts";
import { users } from "./users.ts";

/**
 * Every free trial ever started: the unique (user, channel) pair is what makes a trial once per
 * Telegram user per channel, ever — a second attempt fails on the constraint, not on a check.
 */
export const trials = pgTable(
  "trials",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: telegramId("user_id")
      .notNull()
      .references(() => users.telegramId),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    days: integer("days").notNull(),
    endsAt: instant("ends_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("trials_user_channel_uq").on(t.userId, t.channelId),
    // The dashboard's trials figure reads one channel's trials in a window (reports TRIALS_SQL).
    index("trials_channel_created_idx").on(t.channelId, t.createdAt),
  ],
);
