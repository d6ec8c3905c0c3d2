import { users } from "@telepay/db";
import { eq } from "drizzle-orm";
import { type CommerceDeps, coreOf } from "../deps.ts";

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
    /** Keeps a user's row current; talking to the bot again means it is no longer blocked. */
    async track(profile: TelegramProfile): Promise<void> {
      const values = {
        username: profile.username ?? null,
        firstName: profile.firstName ?? "",
        languageCode: profile.languageCode ?? null,
        botBlockedAt: null,
        updatedAt: core.now(),
      };
      await core.db
        .insert(users)
        .values({ telegramId: profile.telegramId, ...values })
        .onConflictDoUpdate({ target: users.telegramId, set: values });
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
