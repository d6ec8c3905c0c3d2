import {
  type Actor,
  type BroadcastStatus,
  CommerceError,
  CommerceErrorCode,
  MAX_BROADCAST_CAPTION,
  MAX_BROADCAST_TEXT,
} from "@telepay/commerce";
import { channels } from "@telepay/db";
import {
  BROADCAST_STOP_CALLBACK,
  type BroadcastProgressState,
  type BroadcastTexts,
  broadcastTexts,
  notifierMessages,
  resolveLocale,
} from "@telepay/telegram";
import { and, asc, eq } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, BotServices } from "../context.ts";
import type { BroadcastAudience, BroadcastDraft } from "../onboarding-state.ts";
import { HTML, isNotModified, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import type { ChannelRow } from "../services/orders.ts";
import { rightsRefusal } from "./my-channels.ts";
import { isFresh } from "./new-channel.ts";

type OwnerCtx = BotContext & { from: { id: number } };

const AUDIENCES: readonly BroadcastAudience[] = ["active", "expired", "all"];

const ownerOf = (ctx: OwnerCtx): Actor => ({ kind: "owner", telegramId: BigInt(ctx.from.id) });
const texts = (ctx: BotContext): BroadcastTexts => broadcastTexts(ctx.t.locale);
const titleOf = (channel: Pick<ChannelRow, "closedTitle" | "openTitle">) =>
  channel.closedTitle || channel.openTitle;

const broadcastsOf = (services: BotServices) => core(services).broadcasts;

async function ownedChannel(ctx: OwnerCtx, channelId: number): Promise<ChannelRow | undefined> {
  const [row] = await ctx.services.db
    .select()
    .from(channels)
    .where(and(eq(channels.id, channelId), eq(channels.ownerTelegramId, BigInt(ctx.from.id))));
  return row;
}

function reason(err: unknown): string | undefined {
  return err instanceof CommerceError ? (err.details.reason as string | undefined) : undefined;
}

function saveDraft(ctx: BotContext, draft: Omit<BroadcastDraft, "updatedAt">) {
  ctx.session.broadcast = { ...draft, updatedAt: ctx.services.now().toISOString() };
}

/**
 * The draft a button or message continues, if it is still alive and its channel still the
 * presser's; otherwise the draft is dropped and the presser told (a forged or stale press changes
 * nothing).
 */
async function liveDraft(
  ctx: OwnerCtx,
  steps: BroadcastDraft["step"][],
): Promise<{ draft: BroadcastDraft; channel: ChannelRow } | undefined> {
  const draft = ctx.session.broadcast;
  if (!draft || !steps.includes(draft.step)) {
    await toast(ctx, texts(ctx).noDraftToast());
    if (!draft) await ctx.editMessageReplyMarkup().catch(() => undefined);
    return undefined;
  }
  if (!isFresh(ctx, draft.updatedAt)) {
    ctx.session.broadcast = undefined;
    await toast(ctx);
    await show(ctx, texts(ctx).expired());
    return undefined;
  }
  const channel = await ownedChannel(ctx, draft.channelId);
  if (!channel) {
    ctx.session.broadcast = undefined;
    await toast(ctx, ctx.t.staleButtonToast());
    return undefined;
  }
  return { draft, channel };
}

/** Starts a broadcast for a channel: refused at once when its daily limit is used up. */
async function start(ctx: OwnerCtx, channel: ChannelRow): Promise<void> {
  const t = texts(ctx);
  try {
    await broadcastsOf(ctx.services).checkQuota(
      ownerOf(ctx),
      channel.id,
      ctx.services.settings.broadcastsPerDay,
    );
  } catch (err) {
    if (reason(err) !== "daily_limit") throw err;
    ctx.session.broadcast = undefined;
    return show(
      ctx,
      t.dailyLimit({ title: titleOf(channel), limit: ctx.services.settings.broadcastsPerDay }),
    );
  }
  // One flow at a time: a half-done /newchannel or panel edit would otherwise take this text.
  ctx.session.onboarding = undefined;
  ctx.session.edit = undefined;
  ctx.session.promoDraft = undefined;
  ctx.session.promoEntry = undefined;
  ctx.session.trialEdit = undefined;
  saveDraft(ctx, { channelId: channel.id, step: "compose" });
  await show(
    ctx,
    t.compose({ title: titleOf(channel), maxText: MAX_BROADCAST_TEXT, maxCaption: MAX_BROADCAST_CAPTION }),
  );
}

/** The audience buttons, each with how many people it reaches now (the core's one audience rule). */
async function audienceKeyboard(ctx: OwnerCtx, channel: ChannelRow): Promise<InlineKeyboard> {
  const t = texts(ctx);
  const kb = new InlineKeyboard();
  for (const audience of AUDIENCES) {
    const count = await broadcastsOf(ctx.services).preview(ownerOf(ctx), channel.id, audience);
    kb.text(t.audienceButton({ audience, count }), `bc:a:${audience}`).row();
  }
  return kb.text(t.rewriteButton(), "bc:w").text(t.cancelButton(), "bc:q");
}

/** Sends the owner exactly what subscribers will get (the notifier renders it the same way). */
async function sendPreview(ctx: OwnerCtx, channel: ChannelRow, draft: BroadcastDraft): Promise<void> {
  // Subscribers get it in the channel's language, like the notifier sends it.
  const msg = notifierMessages(resolveLocale(channel.language)).broadcast({
    channelTitle: titleOf(channel),
    text: draft.text ?? "",
  });
  if (draft.photoFileId)
    await ctx.replyWithPhoto(draft.photoFileId, { caption: msg.text, parse_mode: msg.options.parse_mode });
  else await ctx.reply(msg.text, msg.options);
}

/** The progress message of a broadcast, from the database (the notifier renders the same). */
function progressOf(ctx: BotContext, b: BroadcastStatus, channel: ChannelRow) {
  const state: BroadcastProgressState =
    b.status === "done" ? "done" : b.status === "cancelled" ? "cancelled" : "running";
  return texts(ctx).progress({
    channelTitle: titleOf(channel),
    state,
    total: b.total,
    sent: b.sent,
    blocked: b.blocked,
    failed: b.failed,
  });
}

/**
 * /broadcast and the panel's Broadcast button: the owner writes to a channel's subscribers. A
 * session-held draft (like /newchannel) → audience with counts → the exact preview and the count
 * → Send, which the core records (recipients, daily limit, event) and the notifier delivers,
 * editing the same message with the progress; its Stop button cancels through the core.
 */
export function broadcastFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("broadcast", async (ctx) => {
    const rows = await ctx.services.db
      .select()
      .from(channels)
      .where(eq(channels.ownerTelegramId, BigInt(ctx.from.id)))
      .orderBy(asc(channels.id));
    const t = texts(ctx);
    if (rows.length === 0) return void (await ctx.reply(t.noChannels(), HTML));
    if (rows.length === 1) return start(ctx, rows[0]!);
    const kb = new InlineKeyboard();
    for (const ch of rows)
      kb.text(ctx.t.channelListButton({ title: titleOf(ch), status: ch.status }), `bc:c:${ch.id}`).row();
    await ctx.reply(t.pickChannel(), { ...HTML, reply_markup: kb });
  });

  pm.callbackQuery(/^bc:c:(\d{1,12})$/, async (ctx) => {
    const channel = await ownedChannel(ctx, Number(ctx.match[1]));
    if (!channel) return toast(ctx, texts(ctx).notYoursToast());
    await toast(ctx);
    await start(ctx, channel);
  });

  // The message to send: text, or one photo with a caption; a new one replaces the draft's.
  pm.on("message", async (ctx, next) => {
    const draft = ctx.session.broadcast;
    // A promo-code flow started after this draft has the owner's attention (it runs after us).
    if (
      !draft ||
      ctx.msg.text?.startsWith("/") ||
      ctx.session.promoDraft ||
      ctx.session.promoEntry ||
      ctx.session.trialEdit
    )
      return next();
    const t = texts(ctx);
    if (!isFresh(ctx, draft.updatedAt)) {
      ctx.session.broadcast = undefined;
      return void (await ctx.reply(t.expired(), HTML));
    }
    const channel = await ownedChannel(ctx, draft.channelId);
    if (!channel) {
      ctx.session.broadcast = undefined;
      return void (await ctx.reply(ctx.t.staleButtonToast(), HTML));
    }
    const photo = ctx.msg.photo?.at(-1)?.file_id ?? null;
    const text = (photo ? (ctx.msg.caption ?? "") : (ctx.msg.text ?? "")).trim();
    if (!photo && !ctx.msg.text) return void (await ctx.reply(t.unsupported(), HTML));
    const max = photo ? MAX_BROADCAST_CAPTION : MAX_BROADCAST_TEXT;
    if (text.length > max) return void (await ctx.reply(t.tooLong({ length: text.length, max }), HTML));
    saveDraft(ctx, { channelId: channel.id, step: "audience", text, photoFileId: photo });
    await ctx.reply(t.pickAudience({ title: titleOf(channel) }), {
      ...HTML,
      reply_markup: await audienceKeyboard(ctx, channel),
    });
  });

  // An audience picked: the preview, then the count with Send.
  pm.callbackQuery(/^bc:a:(active|expired|all)$/, async (ctx) => {
    const live = await liveDraft(ctx, ["audience", "confirm"]);
    if (!live) return;
    const { draft, channel } = live;
    const audience = ctx.match[1] as BroadcastAudience;
    const t = texts(ctx);
    const count = await broadcastsOf(ctx.services).preview(ownerOf(ctx), channel.id, audience);
    if (count === 0) return toast(ctx, t.noRecipientsToast(), true);
    await toast(ctx);
    saveDraft(ctx, { ...draft, step: "confirm", audience });
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await sendPreview(ctx, channel, draft);
    await ctx.reply(t.confirm({ title: titleOf(channel), audience, count }), {
      ...HTML,
      reply_markup: new InlineKeyboard()
        .text(t.sendButton(), "bc:s")
        .row()
        .text(t.changeAudienceButton(), "bc:a")
        .text(t.rewriteButton(), "bc:w")
        .row()
        .text(t.cancelButton(), "bc:q"),
    });
  });

  pm.callbackQuery("bc:a", async (ctx) => {
    const live = await liveDraft(ctx, ["confirm"]);
    if (!live) return;
    await toast(ctx);
    saveDraft(ctx, { ...live.draft, step: "audience" });
    await show(
      ctx,
      texts(ctx).pickAudience({ title: titleOf(live.channel) }),
      await audienceKeyboard(ctx, live.channel),
    );
  });

  pm.callbackQuery("bc:w", async (ctx) => {
    const live = await liveDraft(ctx, ["audience", "confirm"]);
    if (!live) return;
    await toast(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await start(ctx, live.channel);
  });

  pm.callbackQuery("bc:q", async (ctx) => {
    const had = ctx.session.broadcast !== undefined;
    ctx.session.broadcast = undefined;
    await toast(ctx);
    await show(ctx, had ? texts(ctx).draftCancelled() : ctx.t.nothingToCancel());
  });

  // Send: this message becomes the progress message, which the notifier keeps editing.
  pm.callbackQuery("bc:s", async (ctx) => {
    const live = await liveDraft(ctx, ["confirm"]);
    if (!live) return;
    const { draft, channel } = live;
    const t = texts(ctx);
    const refusal = await rightsRefusal(ctx, channel, false);
    if (refusal) {
      ctx.session.broadcast = undefined;
      await toast(ctx, ctx.t.refusedToast());
      return show(ctx, refusal);
    }
    const messageId = ctx.callbackQuery.message?.message_id;
    if (messageId === undefined) return toast(ctx, texts(ctx).noDraftToast());
    await toast(ctx);
    // "Starting…" with Stop, before the broadcast exists: the notifier's first edit always comes
    // after this one, so the figures it shows are never overwritten by an older screen.
    const starting = t.progress({
      channelTitle: titleOf(channel),
      state: "starting",
      total: 0,
      sent: 0,
      blocked: 0,
      failed: 0,
    });
    await ctx.editMessageText(starting.text, starting.options).catch((err: unknown) => {
      if (!isNotModified(err)) throw err;
    });
    try {
      await broadcastsOf(ctx.services).create(ownerOf(ctx), {
        channelId: channel.id,
        text: draft.text ?? "",
        photoFileId: draft.photoFileId ?? null,
        audience: draft.audience ?? "active",
        limitPerDay: ctx.services.settings.broadcastsPerDay,
        progressMessageId: messageId,
      });
    } catch (err) {
      const why = reason(err);
      if (why === "daily_limit") {
        ctx.session.broadcast = undefined;
        return show(
          ctx,
          t.dailyLimit({ title: titleOf(channel), limit: ctx.services.settings.broadcastsPerDay }),
        );
      }
      if (why === "no_recipients") {
        saveDraft(ctx, { ...draft, step: "audience" });
        return show(ctx, t.noRecipients(), await audienceKeyboard(ctx, channel));
      }
      ctx.session.broadcast = undefined;
      throw err;
    }
    ctx.session.broadcast = undefined;
    ctx.services.logger.info({ channelId: channel.id, owner: ctx.from.id }, "broadcast started");
  });

  // Stop: the core's cancel (the CLI's too); the message shows where it stopped.
  pm.callbackQuery(BROADCAST_STOP_CALLBACK, async (ctx) => {
    const t = texts(ctx);
    const messageId = ctx.callbackQuery.message?.message_id;
    const broadcasts = broadcastsOf(ctx.services);
    let b: BroadcastStatus;
    try {
      if (messageId === undefined) throw new CommerceError(CommerceErrorCode.NOT_FOUND, "no message");
      b = await broadcasts.byProgressMessage(ownerOf(ctx), messageId);
    } catch (err) {
      if (!(err instanceof CommerceError)) throw err;
      return toast(ctx, t.notYoursToast(), true);
    }
    let stoppedNow = false;
    if (b.status === "pending" || b.status === "sending") {
      try {
        b = await broadcasts.cancel(ownerOf(ctx), b.id);
        stoppedNow = true;
      } catch (err) {
        // Finished between the look and the cancel: show the final figures instead.
        if (!(err instanceof CommerceError) || err.code !== CommerceErrorCode.CONFLICT) throw err;
        b = await broadcasts.status(ownerOf(ctx), b.id);
      }
    }
    await toast(ctx, stoppedNow ? t.stoppedToast() : t.alreadyOverToast());
    const [channel] = await ctx.services.db.select().from(channels).where(eq(channels.id, b.channelId));
    const msg = progressOf(ctx, b, channel!);
    await ctx.editMessageText(msg.text, msg.options).catch((err: unknown) => {
      if (!isNotModified(err)) throw err;
    });
  });

  return composer;
}
