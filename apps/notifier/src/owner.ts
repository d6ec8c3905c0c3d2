import type { channels } from "@telepay/db";
import type { NotifierMessages, OutgoingMessage } from "@telepay/telegram";
import type { Ctx } from "./context.ts";
import { ownerTexts } from "./locale.ts";
import { describe, dm } from "./telegram.ts";

type Channel = typeof channels.$inferSelect;

/** Where owner notices go: the configured notify chat, else the owner's DM. */
export function ownerChat(channel: Channel): bigint {
  return channel.notifyChatId ?? channel.ownerTelegramId;
}

/**
 * Sends an operational notice to the owner, in the owner's language (also to a separate notify
 * chat); never throws (the caller's work matters more).
 */
export async function notifyOwner(
  ctx: Ctx,
  channel: Channel,
  write: (m: NotifierMessages) => OutgoingMessage,
): Promise<void> {
  try {
    await dm(ctx, ownerChat(channel), write(await ownerTexts(ctx, channel)));
  } catch (err) {
    ctx.log.warn({ channelId: channel.id, err: describe(err) }, "owner notice not delivered");
  }
}

/** The name subscribers know the channel by ("" when it has none: the catalogs say "this channel"). */
export function title(channel: { closedTitle: string; openTitle: string }): string {
  return channel.closedTitle || channel.openTitle;
}
