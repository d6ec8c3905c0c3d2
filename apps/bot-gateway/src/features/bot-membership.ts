import { channels } from "@telepay/db";
import { eq, or } from "drizzle-orm";
import { Composer } from "grammy";
import type { ChatMember } from "grammy/types";
import type { BotContext } from "../context.ts";
import { type ChannelRole, missingBotRights } from "../services/chat-rights.ts";
import { core } from "../services/core.ts";
import { textsFor } from "../services/locale.ts";

/**
 * my_chat_member in a registered channel: the bot was removed or lost rights → the channel is
 * marked (sales stop) and the owner is told; rights restored → the channel is active again
 * (unless the owner paused it).
 */
export function botMembershipFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("my_chat_member", async (ctx) => {
    const update = ctx.myChatMember;
    const chatId = BigInt(update.chat.id);
    const { db } = ctx.services;
    const [channel] = await db
      .select()
      .from(channels)
      .where(or(eq(channels.openChatId, chatId), eq(channels.closedChatId, chatId)));
    if (!channel) return;
    const role: ChannelRole = channel.openChatId === chatId ? "open" : "closed";
    const title = role === "open" ? channel.openTitle : channel.closedTitle;
    const member: ChatMember = update.new_chat_member;
    const removed = member.status === "left" || member.status === "kicked";
    const missing = removed ? [] : missingBotRights(member, role);

    let next: typeof channel.status = channel.status;
    let reason: string | null = channel.statusReason;
    if (removed) {
      next = "bot_removed";
      reason = `removed from the ${role} channel`;
    } else if (missing.length > 0) {
      next = "bot_lacks_rights";
      reason = `missing ${missing.join(", ")} in the ${role} channel`;
    } else if (channel.status === "bot_removed" || channel.status === "bot_lacks_rights") {
      // This chat is fine again; the other one must be too before sales resume.
      const otherRole: ChannelRole = role === "open" ? "closed" : "open";
      const otherId = otherRole === "open" ? channel.openChatId : channel.closedChatId;
      const other = await ctx.api.getChatMember(otherId.toString(), ctx.me.id).catch(() => undefined);
      if (other && missingBotRights(other, otherRole).length === 0) {
        next = "active";
        reason = null;
      }
    }
    if (next === channel.status && reason === channel.statusReason) return;

    const catalog = core(ctx.services).channels;
    if (next === "active") await catalog.markBotRestored(channel.id, { chatId });
    else if (next === "bot_removed" || next === "bot_lacks_rights")
      await catalog.markBotLostRights(channel.id, { status: next, reason: reason ?? "", chatId });
    ctx.services.logger.warn({ channelId: channel.id, status: next, reason }, "bot membership changed");
    // The owner's language, whoever's update this is (Telegram sends it with the admin's who acted).
    const t = await textsFor(db, channel.ownerTelegramId, channel.language);
    const text =
      next === "active"
        ? t.ownerBotRestored({ title })
        : removed
          ? t.ownerBotRemoved({ title })
          : t.ownerBotLacksRights({ title, rights: missing });
    await ctx.api
      .sendMessage(channel.ownerTelegramId.toString(), text, { parse_mode: "HTML" })
      .catch((err: unknown) => ctx.services.logger.warn({ err: String(err) }, "could not tell the owner"));
  });

  return composer;
}
