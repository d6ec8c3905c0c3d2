import { isLanguage, LANGUAGES, type Language, users } from "@telepay/db";
import { eq } from "drizzle-orm";
import { type CommerceDeps, coreOf } from "../deps.ts";
import { CommerceError, CommerceErrorCode } from "../errors.ts";

/** The one language rule: a TelePay language, spelled exactly (users.language, channels.language). */
export function checkLanguage(value: string, field = "language"): Language {
  if (!isLanguage(value))
    throw new CommerceError(
      CommerceErrorCode.INVALID,
      `${field} must be one of ${LANGUAGES.join(", ")}, got '${value}'`,
      { field },
    );
  return value;
}

/** What Telegram tells about a user with each update. */
export interface TelegramProfile {
  telegramId: bigint;
  username?: string | null;
  firstName?: string;
  languageCode?: string | null;
}

/** The users table: who talked to the bot, and who can no longer be messaged. */
export function createUsers(deps: CommerceDeps) {
  const core = coreOf(deps);
  return {
    /**
     * Keeps a user's row current; talking to the bot again means it is no longer blocked. Returns
     * the language they picked with /language (null: follow Telegram's language_code).
     */
    async track(profile: TelegramProfile): Promise<{ language: string | null }> {
      const values = {
        username: profile.username ?? null,
        firstName: profile.firstName ?? "",
        languageCode: profile.languageCode ?? null,
        botBlockedAt: null,
        updatedAt: core.now(),
      };
      const [row] = await core.db
        .insert(users)
        .values({ telegramId: profile.telegramId, ...values })
        .onConflictDoUpdate({ target: users.telegramId, set: values })
        .returning({ language: users.language });
      return { language: row?.language ?? null };
    },

    /**
     * Stores the language a user picked (/language); every bot reply and notifier DM to them uses
     * it from then on, over Telegram's language_code. null goes back to following Telegram.
     */
    async setLanguage(telegramId: bigint, language: string | null): Promise<void> {
      const value = language === null ? null : checkLanguage(language);
      await core.db
        .insert(users)
        .values({ telegramId, language: value, updatedAt: core.now() })
        .onConflictDoUpdate({ target: users.telegramId, set: { language: value, updatedAt: core.now() } });
    },

    /** Makes sure a row exists (a manual grant may name someone who never talked to the bot). */
    async ensure(telegramId: bigint): Promise<void> {
      await core.db.insert(users).values({ telegramId }).onConflictDoNothing();
    },

    /** The user blocked the bot or deleted their account: DMs stop until they write again. */
    async markBotBlocked(telegramId: bigint): Promise<void> {
      await core.db.update(users).set({ botBlockedAt: core.now() }).where(eq(users.telegramId, telegramId));
    },
  };
}
export type Users = ReturnType<typeof createUsers>;
