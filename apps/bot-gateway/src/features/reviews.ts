import { CommerceError, createCommerce, listReviews, MAX_NOTE_LENGTH } from "@telepay/commerce";
import { parseReviewCallback, REVIEW_CALLBACK } from "@telepay/telegram";
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { HTML, toast } from "../reply.ts";

/** The core, bound to this update's services (a grant kicks the relay). */
const core = (ctx: BotContext) =>
  createCommerce({ db: ctx.services.db, now: ctx.services.now, onEnqueued: ctx.services.kickRelay });

/** Removes the buttons from the review DM once it is settled (best effort: it may be too old). */
async function clearButtons(ctx: BotContext, chatId?: number, messageId?: number): Promise<void> {
  const chat = chatId ?? ctx.callbackQuery?.message?.chat.id;
  const message = messageId ?? ctx.callbackQuery?.message?.message_id;
  if (chat === undefined || message === undefined) return;
  await ctx.api.editMessageReplyMarkup(chat, message).catch(() => undefined);
}

/** A refusal by the core, as the owner should hear it (a toast); true when it was one. */
async function refusal(ctx: BotContext, err: unknown): Promise<boolean> {
  if (!(err instanceof CommerceError)) return false;
  if (err.code === "FORBIDDEN") {
    await toast(ctx, ctx.t.reviewNotYoursToast(), true);
  } else if (
    err.code === "CONFLICT" &&
    err.details.decision === undefined &&
    err.details.reason === undefined
  ) {
    await toast(ctx, ctx.t.reviewCannotGrantToast(), true);
  } else {
    // Resolved already (by the operator, another tap), flagged again, or no longer flagged.
    await toast(ctx, ctx.t.reviewAlreadyResolvedToast(), true);
    await clearButtons(ctx);
  }
  return true;
}

/**
 * The owner's buttons on a review DM (notifier: owner_review notices). "Grant anyway" resolves at
 * once; "Dismiss with a note" asks for the note, and the owner's next text (or /skip) resolves it.
 * Both go through commerce.reviews.resolve, which checks that the presser owns the channel, that
 * the review is still open and about the reason shown, and audits the decision.
 */
export function reviewsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(REVIEW_CALLBACK, async (ctx) => {
    const cb = parseReviewCallback(ctx.callbackQuery.data)!;
    const actor = { kind: "owner" as const, telegramId: BigInt(ctx.from.id) };
    if (cb.action === "grant") {
      try {
        await core(ctx).reviews.resolve({
          paymentId: cb.paymentId,
          decision: "grant",
          actor,
          reason: cb.reason,
        });
      } catch (err) {
        if (await refusal(ctx, err)) return;
        throw err;
      }
      await toast(ctx);
      await clearButtons(ctx);
      await ctx.reply(ctx.t.reviewGranted({ paymentId: cb.paymentId }), HTML);
      return;
    }
    // Ask for the note only about a review the presser may still dismiss.
    const [review] = await listReviews(ctx.services.db, { paymentId: cb.paymentId, includeResolved: true });
    const mine = await listReviews(ctx.services.db, {
      paymentId: cb.paymentId,
      ownerTelegramId: actor.telegramId,
      includeResolved: true,
    });
    if (review && mine.length === 0) return void (await toast(ctx, ctx.t.reviewNotYoursToast(), true));
    if (review?.status !== "open" || review.reason !== cb.reason) {
      await toast(ctx, ctx.t.reviewAlreadyResolvedToast(), true);
      return clearButtons(ctx);
    }
    ctx.session.reviewNote = {
      paymentId: cb.paymentId,
      reason: cb.reason,
      chatId: ctx.callbackQuery.message?.chat.id ?? ctx.chat.id,
      messageId: ctx.callbackQuery.message?.message_id ?? 0,
    };
    await toast(ctx);
    await ctx.reply(ctx.t.reviewNotePrompt({ paymentId: cb.paymentId }), HTML);
  });

  // The note (or /skip) for a dismissal the owner started; /cancel drops it (and goes on to the
  // other flows' /cancel); other commands are left alone.
  pm.on("message:text", async (ctx, next) => {
    const pending = ctx.session.reviewNote;
    if (!pending) return next();
    const text = ctx.msg.text.trim();
    if (text === "/cancel") {
      ctx.session.reviewNote = undefined;
      return next();
    }
    if (text.startsWith("/") && text !== "/skip") return next();
    const note = text === "/skip" ? null : text;
    if (note && note.length > MAX_NOTE_LENGTH) {
      return void (await ctx.reply(ctx.t.reviewNoteTooLong({ max: MAX_NOTE_LENGTH }), HTML));
    }
    ctx.session.reviewNote = undefined;
    try {
      await core(ctx).reviews.resolve({
        paymentId: pending.paymentId,
        decision: "dismiss",
        note,
        actor: { kind: "owner", telegramId: BigInt(ctx.from.id) },
        reason: pending.reason,
      });
    } catch (err) {
      if (err instanceof CommerceError) {
        await clearButtons(ctx, pending.chatId, pending.messageId);
        return void (await ctx.reply(
          err.code === "FORBIDDEN" ? ctx.t.reviewNotYoursToast() : ctx.t.reviewAlreadyResolvedToast(),
          HTML,
        ));
      }
      throw err;
    }
    await clearButtons(ctx, pending.chatId, pending.messageId);
    await ctx.reply(ctx.t.reviewDismissed({ paymentId: pending.paymentId, note }), HTML);
  });
  return composer;
}
