import { channels, subscriptions } from "@telepay/db";
import { deepLinkUrl } from "@telepay/telegram";
import { and, eq } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { textsFor } from "../services/locale.ts";

/**
 * Join requests to a closed channel: approved only for a user with an active subscription to
 * that channel, declined for everyone else, so a forwarded invite link lets no one else in.
 */
export function joinRequestsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("chat_join_request", async (ctx) => {
    const request = ctx.chatJoinRequest;
    const { db } = ctx.services;
    const [channel] = await db
      .select()
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(request.chat.id)));
    if (!channel) return; // not a channel we sell: leave it to its admins
    const userId = BigInt(request.from.id);
    const now = ctx.services.now();
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, userId), eq(subscriptions.channelId, channel.id)));
    const title = channel.closedTitle || channel.openTitle;
    if (sub && sub.status === "active" && sub.expiresAt.getTime() > now.getTime()) {
      await ctx.api.approveChatJoinRequest(request.chat.id, request.from.id);
      await db
        .update(subscriptions)
        .set({ joinedAt: now, leftAt: null, updatedAt: now })
        .where(eq(subscriptions.id, sub.id));
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
      const t = await textsFor(db, request.from.id, request.from.language_code, channel.language);
      await ctx.api
        .sendMessage(request.user_chat_id, t.joinRequestDeclined({ title }), {
          parse_mode: "HTML",
          reply_markup: new InlineKeyboard().url(t.seePlansButton(), menu),
        })
        .catch(() => undefined);
    }
  });

  // chat_member in a closed channel: remember when a subscriber joined or left, so
  // /subscriptions can offer the way back in and owners see who is really inside.
  composer.on("chat_member", async (ctx) => {
    const update = ctx.chatMember;
    const [channel] = await ctx.services.db
      .select({ id: channels.id })
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(update.chat.id)));
    if (!channel) return;
    const inside = (s: string) =>
      s === "member" || s === "administrator" || s === "creator" || s === "restricted";
    const was = inside(update.old_chat_member.status);
    const is = inside(update.new_chat_member.status);
    if (was === is) return;
    const now = ctx.services.now();
    await ctx.services.db
      .update(subscriptions)
      .set(is ? { joinedAt: now, leftAt: null, updatedAt: now } : { leftAt: now, updatedAt: now })
      .where(
        and(
          eq(subscriptions.userId, BigInt(update.new_chat_member.user.id)),
          eq(subscriptions.channelId, channel.id),
        ),
      );
  });

  return composer;
}
