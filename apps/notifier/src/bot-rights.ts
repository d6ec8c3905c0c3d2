import { createChannels } from "@telepay/commerce";
import type { channels } from "@telepay/db";
import { type BotAction, classifyTelegramError } from "@telepay/telegram";
import type { Ctx } from "./context.ts";
import { notifyOwner } from "./owner.ts";
import { describe } from "./telegram.ts";

type Channel = typeof channels.$inferSelect;

/** Telegram refused because of the bot's place in the chat: gone (not found) or without a right. */
export function isBotRightsError(err: unknown): boolean {
  const kind = classifyTelegramError(err);
  return kind === "not_enough_rights" || kind === "chat_not_found";
}

/**
 * The bot could not act in a channel's chat (`err` passed isBotRightsError): sales stop until the
 * owner fixes it (commerce `channels.markBotLostRights`) and the owner is told what failed.
 */
export async function botLostRights(
  ctx: Ctx,
  channel: Channel,
  err: unknown,
  notice: { channelTitle: string; action: BotAction },
): Promise<void> {
  await createChannels({ db: ctx.db }).markBotLostRights(channel.id, {
    status: classifyTelegramError(err) === "chat_not_found" ? "bot_removed" : "bot_lacks_rights",
    reason: describe(err),
  });
  await notifyOwner(ctx, channel, (M) => M.ownerBotLacksRights(notice));
}
