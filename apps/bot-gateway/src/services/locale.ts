import { type Db, users } from "@telepay/db";
import { type BotTexts, botTexts, resolveLocale } from "@telepay/telegram";
import { eq } from "drizzle-orm";

/**
 * The texts for a message to someone other than the update's sender (an owner told about their
 * channel), or to a sender outside a private chat (a join request): their /language choice, else
 * their stored Telegram language, else the `fallbacks` in order (a channel's language, the
 * update's language_code), else English.
 */
export async function textsFor(
  db: Db,
  userId: bigint | number,
  ...fallbacks: Array<string | null | undefined>
): Promise<BotTexts> {
  const [user] = await db
    .select({ language: users.language, languageCode: users.languageCode })
    .from(users)
    .where(eq(users.telegramId, BigInt(userId)));
  return botTexts(resolveLocale(user?.language, user?.languageCode, ...fallbacks));
}
