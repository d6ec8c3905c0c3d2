/**
 * Whose language a notifier message is in (docs/i18n.md): a DM in its recipient's (their /language
 * choice, else Telegram's language_code), an owner notice in the owner's (falling back to the
 * language they picked for the channel), a channel post in the channel's.
 */
import { type channels, users } from "@telepay/db";
import { type Locale, type NotifierMessages, notifierMessages, resolveLocale } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import type { Ctx } from "./context.ts";

type Channel = Pick<typeof channels.$inferSelect, "ownerTelegramId" | "language">;

/** The stored locale of a Telegram user; `fallback` when they never talked to the bot. */
export async function userLocale(ctx: Ctx, userId: bigint | string, fallback?: string): Promise<Locale> {
  const [user] = await ctx.db
    .select({ language: users.language, languageCode: users.languageCode })
    .from(users)
    .where(eq(users.telegramId, BigInt(userId)));
  return resolveLocale(user?.language, user?.languageCode, fallback);
}

/** Texts for a DM to `userId`. */
export async function textsFor(ctx: Ctx, userId: bigint | string): Promise<NotifierMessages> {
  return notifierMessages(await userLocale(ctx, userId));
}

/** Texts for the channel owner (also when notices go to a separate notify chat). */
export async function ownerTexts(ctx: Ctx, channel: Channel): Promise<NotifierMessages> {
  return notifierMessages(await userLocale(ctx, channel.ownerTelegramId, channel.language));
}

/** Texts for posts in the channel itself. */
export function channelTexts(channel: Pick<Channel, "language">): NotifierMessages {
  return notifierMessages(resolveLocale(channel.language));
}
