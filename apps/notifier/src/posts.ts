import { createHash } from "node:crypto";
import type { OutcomeInput } from "@telepay/commerce";
import { channelPosts, channels, type PostKind, tiers } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import {
  deepLinkUrl,
  isMessageNotModified,
  isMessageToEditNotFound,
  type OutgoingMessage,
} from "@telepay/telegram";
import { and, asc, eq, sql } from "drizzle-orm";
import { botLostRights, isBotRightsError } from "./bot-rights.ts";
import type { Ctx } from "./context.ts";
import { channelTexts } from "./locale.ts";
import { asRetryable, describe, telegramReason } from "./telegram.ts";

type Channel = typeof channels.$inferSelect;

/**
 * channel.publish_requested: create or edit in place the tier post (open channel) and the
 * donation post (closed channel). Idempotent by content: the stored hash of text + buttons skips
 * an unchanged post; a post deleted in Telegram ("message to edit not found") is re-created.
 *
 * Creating a post is claimed by inserting its channel_posts row first with message_id 0 (UNIQUE
 * (channel, kind)), so two concurrent publishes cannot post twice; a placeholder older than the
 * lease (its worker died) is taken over.
 */
export async function onPublishRequested(
  ctx: Ctx,
  event: EventEnvelope<"channel.publish_requested">,
): Promise<"ack" | "busy"> {
  const outcome = (o: Omit<OutcomeInput, "eventId" | "topic">) =>
    ctx.core.outcomes.record({ eventId: event.id, topic: event.topic, ...o });
  const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, event.data.channelId));
  if (!channel) {
    await outcome({ outcome: "skipped", reason: `channel ${event.data.channelId} no longer exists` });
    return "ack";
  }
  let verdict: "ack" | "busy" = "ack";
  const done: Record<string, string> = {};
  const refused: string[] = [];
  for (const kind of event.data.kinds) {
    const msg = kind === "tiers" ? await renderTierPost(ctx, channel) : renderDonationPost(ctx, channel);
    const chatId = kind === "tiers" ? channel.openChatId : channel.closedChatId;
    try {
      // Another worker is creating this post right now: look again later, it is not a failure.
      const result = await publish(ctx, channel.id, kind, chatId, msg);
      if (result === "busy") verdict = "busy";
      else done[kind] = result;
    } catch (err) {
      if (isBotRightsError(err)) {
        await botLostRights(ctx, channel, err, {
          channelTitle: kind === "tiers" ? channel.openTitle : channel.closedTitle,
          action: "publish",
        });
        ctx.log.warn({ channelId: channel.id, kind, err: describe(err) }, "cannot publish channel post");
        done[kind] = "failed";
        refused.push(`${kind} post in ${chatId}: ${telegramReason(err)}`);
        continue;
      }
      throw asRetryable(err);
    }
  }
  // Busy: the redelivery records the outcome once the other worker's post exists.
  if (verdict === "ack") {
    await outcome(
      refused.length > 0
        ? { outcome: "failed", reason: refused.join("; "), details: done }
        : { outcome: "ok", details: done },
    );
  }
  return verdict;
}

async function renderTierPost(ctx: Ctx, channel: Channel): Promise<OutgoingMessage> {
  const active = await ctx.db
    .select()
    .from(tiers)
    .where(and(eq(tiers.channelId, channel.id), eq(tiers.active, true)))
    .orderBy(asc(tiers.position));
  return channelTexts(channel).tierPost({
    channelTitle: channel.closedTitle || channel.openTitle,
    description: channel.description,
    tiers: active.map((t) => ({
      label: t.label,
      price: t.price,
      currency: t.currency,
      durationDays: t.durationDays,
      url: deepLinkUrl(ctx.botUsername, { kind: "tier", channelId: channel.id, tierId: t.id }),
      starsPrice: t.starsPrice,
      starsUrl: deepLinkUrl(ctx.botUsername, { kind: "stars_tier", channelId: channel.id, tierId: t.id }),
    })),
    rails: channel.rails,
  });
}

function renderDonationPost(ctx: Ctx, channel: Channel): OutgoingMessage {
  return channelTexts(channel).donationPost({
    channelTitle: channel.closedTitle || channel.openTitle,
    donationMessage: channel.donationMessage,
    url: deepLinkUrl(ctx.botUsername, { kind: "donation", channelId: channel.id }),
  });
}

function hashOf(msg: OutgoingMessage): string {
  return createHash("sha256")
    .update(JSON.stringify([msg.text, msg.options.reply_markup ?? null]))
    .digest("hex");
}

async function publish(
  ctx: Ctx,
  channelId: number,
  kind: PostKind,
  chatId: bigint,
  msg: OutgoingMessage,
): Promise<"created" | "edited" | "unchanged" | "busy"> {
  const hash = hashOf(msg);
  const where = and(eq(channelPosts.channelId, channelId), eq(channelPosts.kind, kind));
  const [existing] = await ctx.db.select().from(channelPosts).where(where);
  if (existing && existing.messageId > 0 && existing.chatId === chatId) {
    if (existing.contentHash === hash) return "unchanged";
    try {
      await ctx.api.editMessageText(String(chatId), existing.messageId, msg.text, msg.options);
    } catch (err) {
      if (isMessageNotModified(err)) {
        // Same content already there: just remember the hash.
      } else if (isMessageToEditNotFound(err)) {
        return recreate(ctx, existing.id, chatId, msg, hash);
      } else {
        throw err;
      }
    }
    await ctx.db
      .update(channelPosts)
      .set({ contentHash: hash, updatedAt: sql`now()` })
      .where(eq(channelPosts.id, existing.id));
    return "edited";
  }
  if (existing) {
    // A placeholder being created by someone else (fresh) or left by a crash (stale), or a post in
    // a chat the channel no longer uses: take it over only when it is not someone else's live claim.
    const [taken] = await ctx.db
      .update(channelPosts)
      .set({ messageId: 0, chatId, contentHash: "", updatedAt: sql`now()` })
      .where(
        and(
          eq(channelPosts.id, existing.id),
          sql`(${channelPosts.messageId} > 0 OR ${channelPosts.updatedAt} < now() - ${ctx.leaseMs} * interval '1 millisecond')`,
        ),
      )
      .returning({ id: channelPosts.id });
    if (!taken) return "busy";
    return recreate(ctx, taken.id, chatId, msg, hash);
  }
  const [claimed] = await ctx.db
    .insert(channelPosts)
    .values({ channelId, kind, chatId, messageId: 0, contentHash: "" })
    .onConflictDoNothing()
    .returning({ id: channelPosts.id });
  if (!claimed) return "busy";
  return recreate(ctx, claimed.id, chatId, msg, hash);
}

async function recreate(
  ctx: Ctx,
  rowId: number,
  chatId: bigint,
  msg: OutgoingMessage,
  hash: string,
): Promise<"created"> {
  let messageId: number;
  try {
    const sent = await ctx.api.sendMessage(String(chatId), msg.text, msg.options);
    messageId = sent.message_id;
  } catch (err) {
    // Release a claim we made so the retry can create it; a row that had a real post keeps it.
    await ctx.db
      .update(channelPosts)
      .set({ updatedAt: sql`now() - interval '1 day'` })
      .where(and(eq(channelPosts.id, rowId), eq(channelPosts.messageId, 0)));
    throw err;
  }
  await ctx.db
    .update(channelPosts)
    .set({ messageId, chatId, contentHash: hash, updatedAt: sql`now()` })
    .where(eq(channelPosts.id, rowId));
  return "created";
}
