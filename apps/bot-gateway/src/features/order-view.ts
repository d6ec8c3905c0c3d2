import { promoCodes, tiers } from "@telepay/db";
import { promoTexts } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { show } from "../reply.ts";
import {
  type ChannelRow,
  ensureInvoice,
  findOrder,
  loadChannel,
  type OrderRow,
  type TierRow,
} from "../services/orders.ts";
import { coinKeyboard, directCheckout, presentCoinChoice } from "./checkout.ts";

/** An order's invoice and status screens, shared by the subscriber and donation flows. */

export async function tierById(ctx: BotContext, tierId: number): Promise<TierRow | undefined> {
  const [row] = await ctx.services.db.select().from(tiers).where(eq(tiers.id, tierId));
  return row;
}

export function channelView(channel: ChannelRow) {
  return { title: channel.closedTitle || channel.openTitle, description: channel.description };
}

/**
 * "Code SPRING: $9.99 → $7.99" under an order opened with a promo code: both prices as orders.open
 * stored them (list_amount, amount); empty for any other order.
 */
async function discountNote(ctx: BotContext, order: OrderRow): Promise<string> {
  if (order.promoCodeId === null || order.listAmount === null) return "";
  const [promo] = await ctx.services.db
    .select({ code: promoCodes.code })
    .from(promoCodes)
    .where(eq(promoCodes.id, order.promoCodeId));
  const line = promoTexts(ctx.t.locale).discountLine({
    code: promo?.code ?? "",
    before: order.listAmount,
    after: order.amount,
    currency: order.currency,
  });
  return `\n\n${line}`;
}

/** Makes sure the order has an invoice and shows it; a provider failure offers a retry. */
/** What the order buys and costs, with its promo code's price before → after: the one summary. */
export async function orderSummary(
  ctx: BotContext,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
  direct = false,
): Promise<string> {
  const summary = ctx.t.invoice({
    ...channelView(channel),
    kind: order.kind,
    label: tier?.label ?? "",
    amount: order.amount,
    currency: order.currency,
    days: order.durationDays,
    ...(direct ? { direct: true } : {}),
  });
  return summary + (await discountNote(ctx, order));
}

export async function presentOrder(
  ctx: BotContext,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
): Promise<void> {
  // SETTLEMENT=direct: no hosted invoice; the payer picks a coin and pays in the chat.
  if (directCheckout(ctx, order)) {
    if (order.status !== "waiting" && order.status !== "created")
      return renderOrderStatus(ctx, order, channel, tier);
    return presentCoinChoice(ctx, order, channel, tier);
  }
  let withInvoice: OrderRow;
  try {
    withInvoice = await ensureInvoice(ctx.services, order, channel, tier, ctx.t);
  } catch (err) {
    ctx.services.logger.warn({ err: String(err), order: order.reference }, "invoice creation failed");
    await show(
      ctx,
      ctx.t.invoiceUnavailable(),
      new InlineKeyboard().text(ctx.t.retryButton(), `oinv:${order.reference}`),
    );
    return;
  }
  if (withInvoice.status !== "waiting" && withInvoice.status !== "created") {
    // Already paid or otherwise moved on (a tap on an old menu): show where it stands.
    return renderOrderStatus(ctx, withInvoice, channel, tier);
  }
  const keyboard = new InlineKeyboard()
    .url(
      ctx.t.payButton({ amount: withInvoice.amount, currency: withInvoice.currency }),
      withInvoice.invoiceUrl!,
    )
    .row()
    .text(ctx.t.checkStatusButton(), `ost:${withInvoice.reference}`);
  await show(ctx, await orderSummary(ctx, withInvoice, channel, tier), keyboard);
}

/** The order's live status (the invoice's success_url lands here); only for the order's own user. */
export async function showOrderStatus(ctx: BotContext, reference: string): Promise<void> {
  const order = await findOrder(ctx.services.db, reference);
  if (!order || !ctx.from || order.userId !== BigInt(ctx.from.id)) return show(ctx, ctx.t.orderNotFound());
  const loaded = await loadChannel(ctx.services.db, order.channelId);
  if (!loaded) return show(ctx, ctx.t.orderNotFound());
  const tier = order.tierId ? await tierById(ctx, order.tierId) : undefined;
  await renderOrderStatus(ctx, order, loaded.channel, tier);
}

async function renderOrderStatus(
  ctx: BotContext,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
) {
  const keyboard = new InlineKeyboard();
  const payable = (order.status === "waiting" || order.status === "created") && order.invoiceUrl;
  if (payable)
    keyboard
      .url(ctx.t.payButton({ amount: order.amount, currency: order.currency }), order.invoiceUrl!)
      .row();
  const open = order.status === "waiting" || order.status === "created";
  if (open && directCheckout(ctx, order)) coinKeyboard(ctx, order.reference, keyboard);
  else if (order.status === "created" && !order.invoiceUrl)
    keyboard.text(ctx.t.retryButton(), `oinv:${order.reference}`).row();
  if (order.status === "finished" && order.kind === "subscription")
    keyboard.text(ctx.t.mySubscriptionsButton(), "subs").row();
  if (["failed", "expired", "refunded"].includes(order.status) && order.kind === "subscription") {
    keyboard.text(ctx.t.tryAgainButton(), `menu:${channel.id}`).row();
  }
  keyboard.text(ctx.t.checkStatusButton(), `ost:${order.reference}`);
  await show(
    ctx,
    ctx.t.orderStatus({
      ...channelView(channel),
      kind: order.kind,
      label: tier?.label ?? "",
      amount: order.amount,
      currency: order.currency,
      days: order.durationDays,
      status: order.status,
      reference: order.reference,
      paidAt: order.paidAt,
    }) + (await discountNote(ctx, order)),
    keyboard,
  );
}
