import type { Logger } from "@telepay/config";
import { channels, type Db, users } from "@telepay/db";
import {
  type BotTexts,
  botTexts,
  broadcastTexts,
  LOCALES,
  type Locale,
  resolveLocale,
} from "@telepay/telegram";
import { eq } from "drizzle-orm";
import type { Api } from "grammy";
import type { BotCommand, LanguageCode } from "grammy/types";

/**
 * The command menus. Everyone gets the subscriber commands, in their Telegram language
 * (setMyCommands per language_code, English for any other). Owners get the owner commands too, in
 * their own language, through a menu for their chat alone (BotCommandScopeChat): set when they
 * register a channel or change /language, and at start-up for owners who already have channels.
 */

/** The menu every user sees, in the order they need it. */
export function subscriberCommands(t: BotTexts): BotCommand[] {
  return [
    { command: "start", description: t.commandStart() },
    { command: "subscriptions", description: t.commandSubscriptions() },
    { command: "language", description: t.commandLanguage() },
    { command: "help", description: t.commandHelp() },
    { command: "cancel", description: t.commandCancel() },
  ];
}

/** An owner's menu: theirs as a subscriber, plus managing channels. */
export function ownerCommands(t: BotTexts): BotCommand[] {
  const [start, subscriptions, ...rest] = subscriberCommands(t);
  return [
    start!,
    { command: "mychannels", description: t.commandMyChannels() },
    { command: "newchannel", description: t.commandNewChannel() },
    { command: "broadcast", description: broadcastTexts(t.locale).command() },
    subscriptions!,
    ...rest,
  ];
}

/** Telegram's language_code for a locale: two letters ("pt" covers pt-BR and pt-PT). */
export const menuLanguageCode = (locale: Locale): LanguageCode => locale.slice(0, 2) as LanguageCode;

/** The default menus: English for everyone, and one per locale for its language_code. */
export async function setDefaultMenus(api: Api): Promise<void> {
  await api.setMyCommands(subscriberCommands(botTexts("en")));
  for (const locale of LOCALES) {
    await api.setMyCommands(subscriberCommands(botTexts(locale)), {
      language_code: menuLanguageCode(locale),
    });
  }
}

/** The language of an owner's menu: their /language, their Telegram language, else their first channel's. */
export async function ownerLocale(db: Db, ownerId: bigint): Promise<Locale> {
  const [user] = await db
    .select({ language: users.language, languageCode: users.languageCode })
    .from(users)
    .where(eq(users.telegramId, ownerId));
  const [channel] = await db
    .select({ language: channels.language })
    .from(channels)
    .where(eq(channels.ownerTelegramId, ownerId))
    .orderBy(channels.id)
    .limit(1);
  return resolveLocale(user?.language, user?.languageCode, channel?.language);
}

/** True when the user owns at least one channel. */
export async function isOwner(db: Db, userId: bigint): Promise<boolean> {
  const [row] = await db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.ownerTelegramId, userId))
    .limit(1);
  return row !== undefined;
}

/** Shows the owner commands in this owner's chat, in their language. */
export async function setOwnerMenu(api: Api, db: Db, ownerId: bigint): Promise<void> {
  const locale = await ownerLocale(db, ownerId);
  await api.setMyCommands(ownerCommands(botTexts(locale)), {
    scope: { type: "chat", chat_id: Number(ownerId) },
  });
}

/**
 * Start-up: the default menus, then every existing owner's menu, one at a time with a pause
 * between (Telegram limits setMyCommands like any other call; a failure skips that owner).
 */
export async function installMenus(
  api: Api,
  db: Db,
  logger: Logger,
  options: { paceMs?: number; signal?: AbortSignal } = {},
): Promise<{ owners: number; failed: number }> {
  await setDefaultMenus(api);
  const owners = await db.selectDistinct({ id: channels.ownerTelegramId }).from(channels);
  let failed = 0;
  for (const [i, owner] of owners.entries()) {
    if (options.signal?.aborted) break;
    if (i > 0 && options.paceMs) await new Promise((r) => setTimeout(r, options.paceMs).unref());
    await setOwnerMenu(api, db, owner.id).catch((err: unknown) => {
      failed++;
      logger.warn({ err: String(err), owner: owner.id.toString() }, "owner command menu not set");
    });
  }
  return { owners: owners.length, failed };
}
