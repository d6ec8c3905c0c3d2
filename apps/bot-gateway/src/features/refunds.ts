import {
  type Actor,
  CommerceError,
  createRefunds,
  type Refunded,
  type RefundPreview,
} from "@telepay/commerce";
import { users } from "@telepay/db";
import {
  displayName,
  parseRefundCallback,
  REFUND_CALLBACK,
  type RefundTexts,
  refundCallbackData,
  refundTexts,
} from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { HTML, toast } from "../reply.ts";

/** The core's refunds, bound to this update's services (a reversal kicks the relay). */
const refunds = (ctx: BotContext) =>
  createRefunds({ db: ctx.services.db, now: ctx.services.now, onEnqueued: ctx.services.kickRelay });

/** Removes the buttons from the pressed message (best effort: it may be too old to edit). */
async function clearButtons(ctx: BotContext): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  if (!msg) return;
  await ctx.api.editMessageReplyMarkup(msg.chat.id, msg.message_id).catch(() => undefined);
}

/** A refusal by the core, as the presser should hear it (a toast); true when it was one. */
async function refusal(ctx: BotContext, texts: RefundTexts, err: unknown): Promise<boolean> {
  if (!(err instanceof CommerceError)) return false;
  if (err.code === "FORBIDDEN") {
    await toast(ctx, texts.notYours(), true);
  } else if (err.details.alreadyReversed) {
    await toast(ctx, texts.already(), true);
    await clearButtons(ctx);
  } else {
    await toast(ctx, texts.notRefundable(), true);
  }
  return true;
}

/**
 * The owner's Refund button on a paid order (the notifier's owner payment notice) and its confirm
 * step. Both steps go through commerce refunds, the same path as `telepay payments refund`: it
 * checks that the presser owns the order's channel (anyone may press a button in a notify group,
 * and callback data can be forged), gives Stars back through Telegram (refundStarPayment), and
 * reverses the order once, however often the button is pressed. Crypto cannot be sent back by
 * TelePay: the confirm text says so, and confirming records the refund the owner makes themselves.
 */
export function refundsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(REFUND_CALLBACK, async (ctx) => {
    const cb = parseRefundCallback(ctx.callbackQuery.data)!;
    const texts = refundTexts(ctx.t.locale);
    const actor: Actor = { kind: "owner", telegramId: BigInt(ctx.from.id) };
    const target = { orderId: cb.orderId };

    if (cb.action === "confirm") {
      let done: Refunded;
      try {
        done = await refunds(ctx).refund(target, actor, ctx.api);
      } catch (err) {
        if (await refusal(ctx, texts, err)) return;
        // Telegram refused the Stars refund: nothing was reversed, the owner may try again.
        ctx.services.logger.warn({ err: String(err), orderId: cb.orderId }, "owner refund failed");
        await toast(ctx, texts.failed(), true);
        return;
      }
      ctx.services.logger.info(
        { orderId: cb.orderId, method: done.method, withdrawnMs: done.reversal.withdrawnMs },
        "owner refunded a payment",
      );
      await toast(ctx);
      await clearButtons(ctx);
      await ctx.reply(
        texts.done({
          method: done.method,
          amount: done.amount,
          currency: done.currency,
          reference: done.reversal.orderReference,
        }),
        HTML,
      );
      return;
    }

    // Ask and keep change nothing, but only the owner sees what a refund would do.
    let preview: RefundPreview;
    try {
      preview = await refunds(ctx).preview(target, actor);
    } catch (err) {
      if (await refusal(ctx, texts, err)) return;
      throw err;
    }
    if (cb.action === "keep") {
      await toast(ctx, texts.kept());
      await clearButtons(ctx);
      return;
    }
    const [user] = await ctx.services.db.select().from(users).where(eq(users.telegramId, preview.userId));
    await toast(ctx);
    await ctx.reply(
      texts.confirm({
        method: preview.method,
        amount: preview.amount,
        currency: preview.currency,
        reference: preview.orderReference,
        customer: displayName({
          firstName: user?.firstName ?? null,
          username: user?.username ?? null,
          id: preview.userId,
        }),
      }),
      {
        ...HTML,
        reply_markup: new InlineKeyboard()
          .text(
            texts.confirmButton(preview.method),
            refundCallbackData({ action: "confirm", orderId: preview.orderId }),
          )
          .row()
          .text(texts.keepButton(), refundCallbackData({ action: "keep", orderId: preview.orderId })),
      },
    );
  });

  return composer;
}
