import { channels, type Db, type OrderKind, orders, tiers } from "@telepay/db";
import { newOrderReference } from "@telepay/payments";
import { deepLinkUrl } from "@telepay/telegram";
import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { BotServices } from "../context.ts";

export type OrderRow = typeof orders.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type TierRow = typeof tiers.$inferSelect;

/** Statuses in which an order can still be paid, so a repeated tap reuses it. */
const OPEN_STATUSES = ["created", "waiting"] as const;
/**
 * Statuses after which the same idempotency key must not hand back the order. "finished" belongs
 * here: a paid order is done, so buying the same tier again (a renewal) or donating the same amount
 * again within the bucket is a new purchase, not the old order's status page.
 */
const TERMINAL_STATUSES = new Set(["finished", "failed", "expired", "refunded"]);

export interface OpenOrderInput {
  kind: OrderKind;
  userId: bigint;
  channel: ChannelRow;
  /** Subscriptions: the tier as read from the database (price and duration come from it). */
  tier?: TierRow;
  /** Donations: the validated amount, in the channel's donation currency. */
  amount?: string;
}

/**
 * Finds or creates the order for a purchase, so repeated taps and re-delivered updates never
 * lead to two invoices: first an open order for the same thing within the reuse window is
 * returned; otherwise an insert keyed by (kind, user, item, time bucket) arbitrates concurrent
 * attempts through the unique idempotency key. Prices come from the database (docs/legacy-mistakes.md#lm-8).
 */
export async function openOrder(services: BotServices, input: OpenOrderInput): Promise<OrderRow> {
  const { db, settings } = services;
  const now = services.now();
  const amount = input.kind === "subscription" ? input.tier!.price : input.amount!;
  const currency = input.kind === "subscription" ? input.tier!.currency : input.channel.donationCurrency;
  const tierId = input.tier?.id ?? null;
  const since = new Date(now.getTime() - settings.orderReuseMs);

  const [open] = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.userId, input.userId),
        eq(orders.channelId, input.channel.id),
        eq(orders.kind, input.kind),
        tierId === null ? isNull(orders.tierId) : eq(orders.tierId, tierId),
        eq(orders.amount, amount),
        eq(orders.currency, currency),
        inArray(orders.status, [...OPEN_STATUSES]),
        gt(orders.createdAt, since),
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(1);
  if (open) return open;

  const bucket = Math.floor(now.getTime() / settings.orderReuseMs);
  const baseKey = `${input.kind}:${input.userId}:${input.channel.id}:${tierId ?? "-"}:${amount}:${currency}:${bucket}`;
  const values = {
    reference: newOrderReference(),
    kind: input.kind,
    userId: input.userId,
    channelId: input.channel.id,
    tierId,
    amount,
    currency,
    durationDays: input.tier?.durationDays ?? null,
    status: "created" as const,
    createdAt: now,
    updatedAt: now,
  };
  const [inserted] = await db
    .insert(orders)
    .values({ ...values, idempotencyKey: baseKey })
    .onConflictDoNothing({ target: orders.idempotencyKey })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(orders).where(eq(orders.idempotencyKey, baseKey));
  if (existing && !TERMINAL_STATUSES.has(existing.status)) return existing;
  // The earlier order in this bucket was paid, failed or expired: a new attempt is a new order.
  const [fresh] = await db
    .insert(orders)
    .values({ ...values, idempotencyKey: `${baseKey}:${values.reference}` })
    .returning();
  return fresh!;
}

/**
 * Makes sure the order has a NOWPayments invoice. Safe to call again (a retry button, a second
 * instance): only the first invoice is stored, a concurrent extra invoice is simply never paid.
 */
export async function ensureInvoice(
  services: BotServices,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow | undefined,
): Promise<OrderRow> {
  if (order.invoiceId && order.invoiceUrl) return order;
  const { settings } = services;
  const statusUrl = deepLinkUrl(settings.botUsername, { kind: "order", reference: order.reference });
  const what =
    order.kind === "subscription"
      ? `${channel.closedTitle || "Channel"} — ${tier?.label ?? ""} (${order.durationDays} days)`
      : `Donation to ${channel.closedTitle || "channel"}`;
  const invoice = await services.payments.createInvoice({
    priceAmount: order.amount,
    priceCurrency: order.currency.toLowerCase(),
    orderId: order.reference,
    orderDescription: what.slice(0, 200),
    ipnCallbackUrl: settings.ipnCallbackUrl,
    successUrl: statusUrl,
    cancelUrl: statusUrl,
  });
  const now = services.now();
  const [updated] = await services.db
    .update(orders)
    .set({ invoiceId: invoice.id, invoiceUrl: invoice.invoiceUrl, status: "waiting", updatedAt: now })
    .where(and(eq(orders.id, order.id), isNull(orders.invoiceId)))
    .returning();
  if (updated) return updated;
  return (await findOrder(services.db, order.reference))!;
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
  const [channel] = await db.select().from(channels).where(eq(channels.id, channelId));
  if (!channel) return undefined;
  const active = await db
    .select()
    .from(tiers)
    .where(and(eq(tiers.channelId, channelId), eq(tiers.active, true)))
    .orderBy(tiers.position);
  return { channel, tiers: active };
}
