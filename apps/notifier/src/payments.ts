import { accessGrants, channels, orders, tiers, users } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import { notifierMessages as M } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { handleSubscriptionPaid } from "./access.ts";
import type { Ctx } from "./context.ts";
import { runEffectOnce, verdictOf } from "./effects.ts";
import { ownerChat } from "./owner.ts";
import { dm } from "./telegram.ts";

const DONATION_THANKS = "notifier.donation-thanks";
const OWNER_NOTICE = "notifier.owner-notice";
const PAYMENT_UPDATE = "notifier.payment-update";

/**
 * payment.confirmed: access (subscription) or thanks (donation), then the owner's notice. Each
 * part is idempotent on its own key, so a redelivery after a partial failure redoes only what is
 * missing; the event is acked only when every part is done.
 */
export async function onPaymentConfirmed(
  ctx: Ctx,
  event: EventEnvelope<"payment.confirmed">,
): Promise<"ack" | "retry"> {
  const d = event.data;
  const first =
    d.kind === "subscription"
      ? await handleSubscriptionPaid(ctx, event)
      : verdictOf(await runEffectOnce(ctx, DONATION_THANKS, event.id, () => thankDonor(ctx, event)));
  const second = verdictOf(await runEffectOnce(ctx, OWNER_NOTICE, event.id, () => noticeOwner(ctx, event)));
  return first === "ack" && second === "ack" ? "ack" : "retry";
}

async function thankDonor(ctx: Ctx, event: EventEnvelope<"payment.confirmed">): Promise<void> {
  const d = event.data;
  const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, d.channelId));
  if (!channel) return;
  await dm(
    ctx,
    d.userId,
    M.donationThanks({ channelTitle: title(channel), amount: d.amount, currency: d.currency }),
  );
}

/** Channel, customer (escaped by the catalog), tier, amount paid, expiry, payout wallet shortened. */
async function noticeOwner(ctx: Ctx, event: EventEnvelope<"payment.confirmed">): Promise<void> {
  const d = event.data;
  const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, d.channelId));
  if (!channel || !channel.notificationsEnabled) return;
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.telegramId, BigInt(d.userId)));
  const [tier] = d.tierId ? await ctx.db.select().from(tiers).where(eq(tiers.id, d.tierId)) : [];
  const [grant] =
    d.kind === "subscription"
      ? await ctx.db
          .select({ expiresAt: accessGrants.expiresAt })
          .from(accessGrants)
          .where(eq(accessGrants.orderId, d.orderId))
      : [];
  const [order] = await ctx.db
    .select({ reference: orders.reference })
    .from(orders)
    .where(eq(orders.id, d.orderId));
  // An owner who blocked the bot is not retried: dm() records it and returns.
  await dm(
    ctx,
    ownerChat(channel),
    M.ownerPaymentNotice({
      kind: d.kind,
      channelTitle: title(channel),
      customerName: user?.firstName ?? "",
      customerUsername: user?.username ?? null,
      customerId: d.userId,
      tierLabel: tier?.label ?? null,
      amount: d.amount,
      currency: d.currency,
      actuallyPaid: d.actuallyPaid,
      payCurrency: d.payCurrency,
      expiresAt: grant?.expiresAt ?? null,
      payoutWallet: channel.payoutWallet,
      payoutCurrency: channel.payoutCurrency,
      payoutNetwork: channel.payoutNetwork,
      orderReference: order?.reference ?? d.orderReference,
    }),
  );
}

const TOLD = new Set(["confirming", "partially_paid", "failed", "expired", "refunded"]);

/**
 * payment.updated: tell the user in plain words. "waiting", "confirmed" and "sending" are not
 * worth a message (the invite follows soon); a late "confirming" for an order that already
 * finished is dropped.
 */
export async function onPaymentUpdated(
  ctx: Ctx,
  event: EventEnvelope<"payment.updated">,
): Promise<"ack" | "retry"> {
  const d = event.data;
  if (!TOLD.has(d.status)) return "ack";
  const outcome = await runEffectOnce(ctx, PAYMENT_UPDATE, event.id, async () => {
    const [row] = await ctx.db
      .select({ order: orders, channel: channels })
      .from(orders)
      .innerJoin(channels, eq(channels.id, orders.channelId))
      .where(eq(orders.id, d.orderId));
    if (!row) return;
    if (d.status === "confirming" && row.order.status === "finished") return;
    await dm(
      ctx,
      d.userId,
      M.paymentUpdate({
        status: d.status as "confirming" | "partially_paid" | "failed" | "expired" | "refunded",
        channelTitle: title(row.channel),
        payAmount: d.payAmount,
        actuallyPaid: d.actuallyPaid,
        payCurrency: d.payCurrency,
      }),
    );
  });
  return verdictOf(outcome);
}

export function title(channel: { closedTitle: string; openTitle: string }): string {
  return channel.closedTitle || channel.openTitle || "the channel";
}
