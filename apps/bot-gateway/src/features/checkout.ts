import { CommerceError, CommerceErrorCode } from "@telepay/commerce";
import { NowPaymentsError } from "@telepay/payments";
import { checkoutTexts } from "@telepay/telegram";
import { Composer, InlineKeyboard, InputFile } from "grammy";
import QRCode from "qrcode";
import type { BotContext } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import { type ChannelRow, findOrder, loadChannel, type OrderRow, type TierRow } from "../services/orders.ts";
import { channelView, orderSummary, showOrderStatus, tierById } from "./order-view.ts";

/**
 * The in-chat checkout of SETTLEMENT=direct (docs/settlement.md): the payer picks a coin, the core
 * makes a NOWPayments payment that pays out to the owner's wallet, and the bot sends one photo
 * message — the address as a QR code, the exact amount and the address as copyable text, the expiry.
 * Its id is stored with the checkout; the notifier edits the status into that same message.
 */

/** `dpay:<order reference>:<coin>` (at most 5 + 22 + 1 + 20 bytes, under Telegram's 64). */
const COIN_CALLBACK = /^dpay:([A-Za-z0-9_-]{8,40}):([a-z0-9]{2,20})$/;

/** Whether this deployment's orders are paid through the in-chat checkout. */
export function directCheckout(ctx: BotContext, order: OrderRow): boolean {
  return ctx.services.settings.settlement.mode === "direct" && order.invoiceId === null;
}

/** The coin buttons, two per row. */
export function coinKeyboard(ctx: BotContext, reference: string, keyboard = new InlineKeyboard()) {
  const texts = checkoutTexts(ctx.t.locale);
  ctx.services.settings.settlement.coins.forEach((coin, i) => {
    keyboard.text(texts.coinButton(coin), `dpay:${reference}:${coin}`);
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row();
}

/** The order summary with the coin choice (instead of an invoice link). */
export async function presentCoinChoice(
  ctx: BotContext,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
  /** Said above the summary (a coin NOWPayments just refused). */
  notice?: string,
): Promise<void> {
  const summary = await orderSummary(ctx, order, channel, tier, true);
  const keyboard = coinKeyboard(ctx, order.reference).text(
    ctx.t.checkStatusButton(),
    `ost:${order.reference}`,
  );
  await show(ctx, notice ? `${notice}\n\n${summary}` : summary, keyboard);
}

/** The QR code of the deposit address, as a PNG (the address alone: every wallet reads that). */
export function qrPng(address: string): Promise<Buffer> {
  return QRCode.toBuffer(address, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 360 });
}

export function checkoutFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(COIN_CALLBACK, async (ctx) => {
    await toast(ctx);
    const [, reference, coin] = ctx.match;
    const order = await findOrder(ctx.services.db, reference!);
    if (!order || order.userId !== BigInt(ctx.from.id)) return show(ctx, ctx.t.orderNotFound());
    const loaded = await loadChannel(ctx.services.db, order.channelId);
    if (!loaded) return show(ctx, ctx.t.offerChanged());
    const { channel } = loaded;
    const tier = order.tierId ? await tierById(ctx, order.tierId) : undefined;
    const { settings } = ctx.services;
    const checkouts = core(ctx.services).checkouts;
    let checkout: Awaited<ReturnType<typeof checkouts.open>>;
    try {
      checkout = await checkouts.open({
        orderId: order.id,
        userId: BigInt(ctx.from.id),
        payCurrency: coin!,
        allowedCoins: settings.settlement.coins,
        gateway: ctx.services.payments,
        ipnCallbackUrl: settings.ipnCallbackUrl,
        orderDescription: ctx.t
          .invoiceDescription({
            kind: order.kind,
            title: channel.closedTitle || channel.openTitle,
            label: tier?.label ?? "",
            days: order.durationDays,
          })
          .slice(0, 200),
      });
    } catch (err) {
      if (err instanceof CommerceError && err.code === CommerceErrorCode.CONFLICT)
        return showOrderStatus(ctx, order.reference);
      if (err instanceof CommerceError && err.code === CommerceErrorCode.NOT_FOUND)
        return show(ctx, ctx.t.orderNotFound());
      // A coin no longer offered (the operator changed DIRECT_PAY_CURRENCIES): choose again.
      if (err instanceof CommerceError && err.code === CommerceErrorCode.INVALID)
        return presentCoinChoice(ctx, order, channel, tier);
      // NOWPayments refused this coin for this payment (below its minimum, coin disabled): another
      // coin may work, and retrying the same one would not.
      if (err instanceof NowPaymentsError && err.kind === "bad_request")
        return presentCoinChoice(
          ctx,
          order,
          channel,
          tier,
          checkoutTexts(ctx.t.locale).coinUnavailable(coin!),
        );
      ctx.services.logger.warn(
        { err: String(err), order: order.reference },
        "direct payment creation failed",
      );
      return show(
        ctx,
        ctx.t.invoiceUnavailable(),
        new InlineKeyboard().text(ctx.t.retryButton(), `oinv:${order.reference}`),
      );
    }
    const status = (await checkouts.statusOf(checkout.id)) ?? "waiting";
    const caption = checkoutTexts(ctx.t.locale).caption({
      title: channelView(channel).title,
      price: order,
      checkout,
      status,
    });
    const sent = await ctx.replyWithPhoto(new InputFile(await qrPng(checkout.payAddress), "checkout.png"), {
      caption,
      parse_mode: HTML.parse_mode,
      reply_markup: new InlineKeyboard().text(ctx.t.checkStatusButton(), `ost:${order.reference}`),
    });
    // Kept in the database: the notifier edits status changes into this message, after restarts too.
    // (Dying between the send and this write leaves a message that is not edited; the payer's
    // "Check status" button and the status DMs still tell them.)
    await checkouts.attachMessage(checkout.id, {
      chatId: BigInt(sent.chat.id),
      messageId: sent.message_id,
      shownStatus: status,
    });
  });

  return composer;
}
