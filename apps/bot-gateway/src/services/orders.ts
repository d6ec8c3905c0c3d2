import { isRowId, type OrderItem } from "@telepay/commerce";
import { channels, type Db, type OrderKind, orders, tiers } from "@telepay/db";
import { type BotTexts, deepLinkUrl } from "@telepay/telegram";
import { and, eq } from "drizzle-orm";
import type { BotServices } from "../context.ts";
import { core } from "./core.ts";

export type OrderRow = typeof orders.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type TierRow = typeof tiers.$inferSelect;

export interface OpenOrderInput {
  kind: OrderKind;
  userId: bigint;
  channel: ChannelRow;
  /** Subscriptions: the tier as read from the database (price and duration come from it). */
  tier?: TierRow;
  /** Donations: the validated amount, in the channel's donation currency. */
  amount?: string;
  /** Subscriptions: paid with crypto (default) or Telegram Stars (priced from the tier's Stars price). */
  rail?: "crypto" | "stars";
  /** Subscriptions: a promo code the subscriber applies; orders.open prices it or refuses it. */
  promoCode?: string;
}

/**
 * Finds or creates the order for a purchase (commerce `orders.open`: one order per repeated tap,
 * priced from the database by `priceOrder`, docs/legacy-mistakes.md#lm-8).
 */
export async function openOrder(services: BotServices, input: OpenOrderInput): Promise<OrderRow> {
  const channelId = input.channel.id;
  const item: OrderItem =
    input.kind === "subscription"
      ? { kind: "subscription", channelId, tier: input.tier!, rail: input.rail ?? "crypto" }
      : { kind: "donation", channelId, amount: input.amount!, currency: input.channel.donationCurrency };
  return core(services).orders.open({
    userId: input.userId,
    item,
    reuseMs: services.settings.orderReuseMs,
    ...(input.promoCode !== undefined ? { promoCode: input.promoCode } : {}),
  });
}

/**
 * Makes sure the order has a NOWPayments invoice. Safe to call again (a retry button, a second
 * instance): only the first invoice is stored, a concurrent extra invoice is simply never paid.
 * The invoice page's description is in the payer's language (`t`).
 */
export async function ensureInvoice(
  services: BotServices,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
  t: BotTexts,
): Promise<OrderRow> {
  if (order.invoiceId && order.invoiceUrl) return order;
  const { settings } = services;
  const statusUrl = deepLinkUrl(settings.botUsername, { kind: "order", reference: order.reference });
  const what = t.invoiceDescription({
    kind: order.kind,
    title: channel.closedTitle || channel.openTitle,
    label: tier?.label ?? "",
    days: order.durationDays,
  });
  const invoice = await services.payments.createInvoice({
    priceAmount: order.amount,
    priceCurrency: order.currency.toLowerCase(),
    orderId: order.reference,
    orderDescription: what.slice(0, 200),
    ipnCallbackUrl: settings.ipnCallbackUrl,
    successUrl: statusUrl,
    cancelUrl: statusUrl,
  });
  return core(services).orders.attachInvoice(order.id, { id: invoice.id, url: invoice.invoiceUrl });
}

export async function findOrder(db: Db, reference: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.reference, reference));
  return row;
}

/** A channel with its active tiers in display order. */
export async function loadChannel(
  db: Db,
  channelId: number,
): Promise<{ channel: ChannelRow; tiers: TierRow[] } | undefined> {
  // An edited button's or link's id beyond integer range names no channel (the query would fail).
  if (!isRowId(channelId)) return undefined;
  const [channel] = await db.select().from(channels).where(eq(channels.id, channelId));
  if (!channel) return undefined;
  const active = await db
    .select()
    .from(tiers)
    .where(and(eq(tiers.channelId, channelId), eq(tiers.active, true)))
    .orderBy(tiers.position);
  return { channel, tiers: active };
}
