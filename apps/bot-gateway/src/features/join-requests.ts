import { deepLinkUrl } from "@telepay/telegram";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { core } from "../services/core.ts";
import { textsFor } from "../services/locale.ts";

/**
 * Join requests to a closed channel: approved only for a user with an active subscription to
 * that channel, declined for everyone else, so a forwarded invite link lets no one else in.
 */
export function joinRequestsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("chat_join_request", async (ctx) => {
    const request = ctx.chatJoinRequest;
    const access = core(ctx.services).access;
    const closedChatId = BigInt(request.chat.id);
    const userId = BigInt(request.from.id);
    const admission = await access.joinRequest(closedChatId, userId);
    if (admission.decision === "unknown") return; // not a channel we sell: leave it to its admins
    const { channel } = admission;
    const title = channel.closedTitle || channel.openTitle;
    if (admission.decision === "approve") {
      await ctx.api.approveChatJoinRequest(request.chat.id, request.from.id);
      await access.recordMembership(closedChatId, userId, true);
      ctx.services.logger.info({ channelId: channel.id, userId: request.from.id }, "join request approved");
      return;
    }
    await ctx.api.declineChatJoinRequest(request.chat.id, request.from.id);
    ctx.services.logger.info(
      { channelId: channel.id, userId: request.from.id },
      "join request declined: no active subscription",
    );
    // Telegram lets the bot write to the requester for a few minutes: tell them how to get in.
    if (channel.status === "active") {
      const menu = deepLinkUrl(ctx.services.settings.botUsername, { kind: "channel", channelId: channel.id });
      const t = await textsFor(
        ctx.services.db,
        request.from.id,
        request.from.language_code,
        channel.language,
      );
      await ctx.api
        .sendMessage(request.user_chat_id, t.joinRequestDeclined({ title }), {
          parse_mode: "HTML",
          reply_markup: new InlineKeyboard().url(t.seePlansButton(), menu),
        })
        .catch(() => undefined);
    }
  });

  // chat_member in a closed channel: remember when a subscriber joined or left.
  composer.on("chat_member", async (ctx) => {
    const update = ctx.chatMember;
    const inside = (s: string) =>
      s === "member" || s === "administrator" || s === "creator" || s === "restricted";
    const was = inside(update.old_chat_member.status);
    const is = inside(update.new_chat_member.status);
    if (was === is) return;
    await core(ctx.services).access.recordMembership(
      BigInt(update.chat.id),
      BigInt(update.new_chat_member.user.id),
      is,
    );
  });

  return composer;
}
