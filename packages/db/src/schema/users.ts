import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant, telegramId, updatedAt } from "./columns.ts";

/** A Telegram user who talked to the bot (subscriber, donor or owner). */
export const users = pgTable("users", {
  telegramId: telegramId("telegram_id").primaryKey(),
  username: text("username"),
  firstName: text("first_name").notNull().default(""),
  languageCode: text("language_code"),
  /** Set when a DM failed with "bot was blocked by the user"; cleared when they talk to the bot again. */
  botBlockedAt: instant("bot_blocked_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
