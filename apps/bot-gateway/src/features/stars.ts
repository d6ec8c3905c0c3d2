import {
  type Rails,
  STARS_CURRENCY,
  STARS_SUBSCRIPTION_PERIOD_S,
  sellsStars,
  starsInvoiceId,
  starsInvoiceKind,
} from "@telepay/commerce";
import { starsTexts } from "@telepay/telegram";
import { type Api, Composer, InlineKeyboard } from "grammy";
import type { BotContext, BotServices } from "../context.ts";
import { show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import { type ChannelRow, loadChannel, type OrderRow, openOrder, type TierRow } from "../services/orders.ts";
import { showOrderStatus } from "./order-view.ts";
import { showSubscriptions } from "./subscriber.ts";

/** The pre-checkout answer is due within 10 s; the core's check gets at most this long. */
const CHECKOUT_BUDGET_MS = 6_000;

const textsFor = (ctx: BotContext) => starsTexts(ctx.t.locale);

/**
 * Answers pre_checkout_query at once: registered before per-user ordering and sessions, so nothing
 * the user does elsewhere can hold it past Telegram's 10 s. One read decides (commerce stars.checkout).
 */
export function starsCheckoutFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("pre_checkout_query", async (ctx) => {
    const q = ctx.preCheckoutQuery;
    const verdict = await Promise.race([
      core(ctx.services).stars.checkout({
        userId: BigInt(q.from.id),
        payload: q.invoice_payload,
        currency: q.currency,
        totalAmount: q.total_amount,
      }),
      new Promise<{ ok: false; reason: "unavailable" }>((resolve) =>
        setTimeout(() => resolve({ ok: false, reason: "unavailable" }), CHECKOUT_BUDGET_MS).unref(),
      ),
    ]).catch((err: unknown) => {
      ctx.services.logger.error({ err: String(err) }, "stars checkout failed");
      return { ok: false as const, reason: "unavailable" as const };
    });
    if (verdict.ok) {
      await ctx.answerPreCheckoutQuery(true);
      return;
    }
    ctx.services.logger.info(
      { reason: verdict.reason, payload: q.invoice_payload },
      "stars checkout refused",
    );
    await ctx.answerPreCheckoutQuery(false, { error_message: textsFor(ctx).refusal(verdict.reason) });
  });
  return composer;
}

/**
 * successful_payment → the core's payment path (commerce stars.recordCharge), idempotent by
 * telegram_payment_charge_id. Registered outside the features' error boundary: a failure makes the
 * webhook answer non-2xx, so Telegram redelivers instead of the charge being lost (reconciliation
 * catches anything that still slips through).
 */
export function starsPaymentsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("message:successful_payment", async (ctx) => {
    const p = ctx.message.successful_payment;
    if (p.currency !== STARS_CURRENCY || !ctx.from) {
      ctx.services.logger.warn({ currency: p.currency }, "a non-Stars successful_payment was ignored");
      return;
    }
    const result = await core(ctx.services).stars.recordCharge({
      userId: BigInt(ctx.from.id),
      payload: p.invoice_payload,
      chargeId: p.telegram_payment_charge_id,
      currency: p.currency,
      totalAmount: p.total_amount,
      isRecurring: p.is_recurring === true,
      isFirstRecurring: p.is_first_recurring === true,
      periodEnd: p.subscription_expiration_date ? new Date(p.subscription_expiration_date * 1000) : null,
      raw: p as unknown as Record<string, unknown>,
    });
    ctx.services.logger.info(
      { outcome: result.outcome, renewal: result.renewal, order: result.orderReference },
      "stars charge recorded",
    );
    // The invite or renewal notice comes from the notifier (the shared grant path); a charge that
    // does not match its order is for the owner to decide, and the payer should know it arrived.
    if (result.outcome === "review" || result.outcome === "unknown_order")
      await ctx.reply(textsFor(ctx).paymentReview(), { parse_mode: "HTML" }).catch(() => undefined);
  });
  return composer;
}

/** Subscriber side: buying a tier with Stars, and switching a Stars subscription's renewal. */
export function starsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(/^stier:(\d+):(\d+)$/, async (ctx) => {
    await toast(ctx);
    await buyWithStars(ctx, Number(ctx.match[1]), Number(ctx.match[2]));
  });

  pm.callbackQuery(/^srn:(\d+):([01])$/, async (ctx) => {
    const texts = textsFor(ctx);
    const channelId = Number(ctx.match[1]);
    const renew = ctx.match[2] === "1";
    const userId = BigInt(ctx.from.id);
    const star = await core(ctx.services).stars.subscriptionOf(userId, channelId);
    if (!star || star.state === "lapsed") {
      await toast(ctx, texts.renewalFailed(), true);
      return;
    }
    try {
      await ctx.api.editUserStarSubscription(ctx.from.id, star.chargeId, !renew);
    } catch (err) {
      // Already in that state at Telegram (an earlier tap whose answer was lost): record it anyway.
      if (!/NOT_MODIFIED/i.test(String(err))) {
        ctx.services.logger.warn({ err: String(err), channelId }, "editUserStarSubscription failed");
        await toast(ctx, texts.renewalFailed(), true);
        return;
      }
    }
    await core(ctx.services).stars.setRenewal({ kind: "system" }, userId, channelId, renew);
    await toast(ctx, renew ? texts.renewalResumed() : texts.renewalStopped());
    await showSubscriptions(ctx);
  });

  return composer;
}

/** Whether a channel sells this tier for Stars right now. */
export function starsOffered(channel: ChannelRow, tier: TierRow): boolean {
  return channel.status === "active" && sellsStars(channel.rails as Rails) && tier.starsPrice !== null;
}

/** Opens (or reuses) the Stars order for a tier and shows its invoice. */
export async function buyWithStars(ctx: BotContext, channelId: number, tierId: number): Promise<void> {
  const texts = textsFor(ctx);
  if (!ctx.from) return;
  const loaded = await loadChannel(ctx.services.db, channelId);
  const tier = loaded?.tiers.find((x) => x.id === tierId);
  if (!loaded || !tier || !starsOffered(loaded.channel, tier)) return show(ctx, texts.notSold());
  const order = await openOrder(ctx.services, {
    kind: "subscription",
    userId: BigInt(ctx.from.id),
    channel: loaded.channel,
    tier,
    rail: "stars",
  });
  const withInvoice = await ensureStarsInvoice(ctx.services, ctx.api, order, loaded.channel, tier, texts);
  if (withInvoice.status !== "waiting" && withInvoice.status !== "created") {
    return showOrderStatus(ctx, withInvoice.reference);
  }
  const stars = Number(withInvoice.amount);
  await show(
    ctx,
    texts.invoice({
      title: loaded.channel.closedTitle || loaded.channel.openTitle,
      label: tier.label,
      days: withInvoice.durationDays ?? tier.durationDays,
      stars,
      renews: starsInvoiceKind(withInvoice.durationDays) === "subscription",
    }),
    new InlineKeyboard().url(texts.payButton(stars), withInvoice.invoiceUrl!),
  );
}

/**
 * Makes the order's Stars invoice link once: a 30-day tier as an auto-renewing subscription
 * (subscription_period 2592000), any other duration as a one-off XTR invoice. The payload is the
 * order reference; the price is the order's, read from the database (never from the update).
 */
async function ensureStarsInvoice(
  services: BotServices,
  api: Api,
  order: OrderRow,
  channel: ChannelRow,
  tier: TierRow,
  texts: ReturnType<typeof starsTexts>,
): Promise<OrderRow> {
  if (order.invoiceId && order.invoiceUrl) return order;
  const title = channel.closedTitle || channel.openTitle;
  const days = order.durationDays ?? tier.durationDays;
  const subscription = starsInvoiceKind(order.durationDays) === "subscription";
  const link = await api.createInvoiceLink(
    texts.invoiceTitle(title),
    texts.invoiceDescription({ title, label: tier.label, days }),
    order.reference,
    "",
    STARS_CURRENCY,
    [{ label: texts.invoiceTitle(tier.label || title), amount: Number(order.amount) }],
    subscription ? { subscription_period: STARS_SUBSCRIPTION_PERIOD_S } : {},
  );
  return core(services).orders.attachInvoice(order.id, { id: starsInvoiceId(order.reference), url: link });
}
