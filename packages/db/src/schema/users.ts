import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant, telegramId, updatedAt } from "./columns.ts";

/**
 * The languages TelePay speaks: the domain of `users.language` and `channels.language` (the
 * catalogs in packages/telegram/locales are these four; a bot-gateway test keeps both in step).
 */
export const LANGUAGES = ["en", "ru", "es", "pt-BR"] as const;
export type Language = (typeof LANGUAGES)[number];

/** True for one of LANGUAGES, spelled exactly ("pt-BR", not "pt-br"). */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** A Telegram user who talked to the bot (subscriber, donor or owner). */
export const users = pgTable("users", {
  telegramId: telegramId("telegram_id").primaryKey(),
  username: text("username"),
  firstName: text("first_name").notNull().default(""),
  languageCode: text("language_code"),
  /**
   * The language the user picked with /language (a TelePay locale such as "ru" or "pt-BR"); null =
   * follow Telegram's `language_code`. Every DM to this user uses it.
   */
  language: text("language"),
  /** Set when a DM failed with "bot was blocked by the user"; cleared when they talk to the bot again. */
  botBlockedAt: instant("bot_blocked_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
