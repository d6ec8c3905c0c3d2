import { CommerceError, normalizePromoCode, type PromoRefusal } from "@telepay/commerce";
import { promoCodes, trials } from "@telepay/db";
import { type PromoRefusalReason, promoTexts, type TrialRefusalReason } from "@telepay/telegram";
import { and, eq } from "drizzle-orm";
import { Composer, type InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import { type ChannelRow, loadChannel, openOrder, type TierRow } from "../services/orders.ts";
import { isFresh } from "./new-channel.ts";
import { channelView, presentOrder } from "./order-view.ts";
import { showChannelMenu, showTierOffer } from "./subscriber.ts";

/**
 * Subscribers' promo codes and free trials (issue 15). The bot only carries the code: whether it
 * applies and what it takes off is decided by the core (promos.check, orders.open), and a trial is
 * started by access.startTrial. Refusals are shown from the catalogs by the core's `details.reason`.
 */

/** A code brought to a channel's menu: which plans it applies to, and their button. */
export interface PromoOffer {
  code: string;
  applies(tier: TierRow): boolean;
  button(tier: TierRow): string;
}

/** The longest text taken as a code attempt; anything longer is refused without a look-up. */
const MAX_CODE_INPUT = 64;

type UserCtx = BotContext & { from: { id: number } };

// The catalog (which cannot import the core) names the refusals it has texts for; the core's list is
// the truth. This fails to compile when the two differ, so no refusal falls back to "unknown".
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const promoRefusalsHaveTexts: Same<PromoRefusal, PromoRefusalReason> = true;
void promoRefusalsHaveTexts;

/** The refusal of a code in the subscriber's language, or undefined for another error. */
function promoRefusal(ctx: BotContext, err: unknown, currency: string, code: string): string | undefined {
  if (!(err instanceof CommerceError) || err.details.field !== "promoCode") return undefined;
  const d = err.details as { reason?: PromoRefusalReason; code?: string; price?: string; minimum?: string };
  return promoTexts(ctx.t.locale).refusal(d.reason ?? "unknown", {
    // The core names the code it refused; else the one asked for (a format refusal names none).
    code: typeof d.code === "string" && d.code.length <= 32 ? d.code : d.reason === "format" ? "" : code,
    price: d.price,
    minimum: d.minimum,
    currency,
  });
}

/**
 * The buttons every offer (menu or single tier) gets besides the plans: "Have a code?" where the
 * channel sells for crypto (codes discount the crypto price), has a code that is not disabled, and
 * none is applied yet; and the free trial where the channel offers one and this user has not had it.
 */
export async function offerExtras(
  ctx: BotContext,
  keyboard: InlineKeyboard,
  channel: ChannelRow,
  options: { tierId: number | null; promo: boolean },
): Promise<void> {
  const texts = promoTexts(ctx.t.locale);
  if (channel.rails !== "stars" && !options.promo && (await hasCodes(ctx, channel.id)))
    keyboard.text(texts.haveCodeButton(), `pcode:${channel.id}:${options.tierId ?? 0}`).row();
  if (channel.trialDays > 0 && ctx.from && !(await hadTrial(ctx, channel.id, ctx.from.id)))
    keyboard.text(texts.trialButton(channel.trialDays), `trial:${channel.id}`).row();
}

/** Only to spare subscribers a question no answer fits; whether a code applies is the core's. */
async function hasCodes(ctx: BotContext, channelId: number): Promise<boolean> {
  const [row] = await ctx.services.db
    .select({ id: promoCodes.id })
    .from(promoCodes)
    .where(and(eq(promoCodes.channelId, channelId), eq(promoCodes.active, true)))
    .limit(1);
  return row !== undefined;
}

/** Only to hide a button that would be refused; startTrial's unique constraint is the rule. */
async function hadTrial(ctx: BotContext, channelId: number, userId: number): Promise<boolean> {
  const [row] = await ctx.services.db
    .select({ id: trials.id })
    .from(trials)
    .where(and(eq(trials.channelId, channelId), eq(trials.userId, BigInt(userId))));
  return row !== undefined;
}

/**
 * The channel's menu with a code applied (the `p<channel>_<CODE>` link, or a code typed after
 * "Have a code?" on the menu). A code the core refuses shows the plain menu with the reason.
 */
export async function showPromoMenu(ctx: BotContext, channelId: number, rawCode: string): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  if (loaded?.channel.status !== "active" || loaded.channel.rails === "stars")
    return showChannelMenu(ctx, channelId);
  let checked: { code: string; tierPositions: number[] | null };
  try {
    checked = await core(ctx.services).promos.check({
      channelId,
      code: rawCode,
      userId: BigInt(ctx.from!.id),
    });
  } catch (err) {
    const refusal = promoRefusal(ctx, err, loaded.tiers[0]?.currency ?? "USD", rawCode);
    if (!refusal) throw err;
    return showChannelMenu(ctx, channelId, { notice: refusal, fresh: !ctx.callbackQuery });
  }
  const texts = promoTexts(ctx.t.locale);
  const limited = checked.tierPositions && checked.tierPositions.length > 0 ? checked.tierPositions : null;
  await showChannelMenu(ctx, channelId, {
    notice: texts.codeNotice(checked.code),
    fresh: !ctx.callbackQuery,
    promo: {
      code: checked.code,
      applies: (tier) => limited === null || limited.includes(tier.position),
      button: (tier) => texts.tierWithCodeButton({ label: tier.label, days: tier.durationDays }),
    },
  });
}

/**
 * A plan bought with a code: orders.open prices it (or refuses it) and the invoice screen shows the
 * price before → after. A refusal shows the plan's offer again with the reason.
 */
async function buyTierWithCode(ctx: UserCtx, channelId: number, tierId: number, code: string) {
  const loaded = await loadChannel(ctx.services.db, channelId);
  const tier = loaded?.tiers.find((x) => x.id === tierId);
  if (!loaded || !tier || loaded.channel.status !== "active" || loaded.channel.rails === "stars") {
    await toast(ctx, ctx.t.offerChangedToast());
    return showChannelMenu(ctx, channelId, { notice: ctx.t.offerChanged() });
  }
  let order: Awaited<ReturnType<typeof openOrder>>;
  try {
    order = await openOrder(ctx.services, {
      kind: "subscription",
      userId: BigInt(ctx.from.id),
      channel: loaded.channel,
      tier,
      promoCode: code,
    });
  } catch (err) {
    const refusal = promoRefusal(ctx, err, tier.currency, code);
    if (!refusal) throw err;
    await toast(ctx);
    return showTierOffer(ctx, channelId, tierId, refusal);
  }
  await toast(ctx, ctx.t.preparingInvoice());
  await presentOrder(ctx, order, loaded.channel, tier);
}

/** The free trial button: access.startTrial grants it; the notifier sends the invite. */
async function startTrial(ctx: UserCtx, channelId: number): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  if (!loaded) return show(ctx, ctx.t.channelNotFound());
  const { title } = channelView(loaded.channel);
  const texts = promoTexts(ctx.t.locale);
  try {
    const { subscription } = await core(ctx.services).access.startTrial({
      channelId,
      userId: BigInt(ctx.from.id),
    });
    ctx.services.kickRelay();
    await toast(ctx);
    await ctx.reply(
      texts.trialStarted({ title, days: loaded.channel.trialDays, until: subscription.expiresAt }),
      HTML,
    );
  } catch (err) {
    const reason = err instanceof CommerceError ? (err.details.reason as TrialRefusalReason) : undefined;
    if (!reason || !["no_trial", "channel_inactive", "subscribed", "trial_used"].includes(reason)) throw err;
    await toast(ctx);
    await ctx.reply(texts.trialRefused(reason, title), HTML);
  }
}

/** Promo codes and trials for subscribers: the code buttons, the typed code, the trial button. */
export function promoFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(/^ptier:(\d+):(\d+):([A-Z0-9_-]{3,32})$/, async (ctx) => {
    await buyTierWithCode(ctx, Number(ctx.match[1]), Number(ctx.match[2]), ctx.match[3]!);
  });

  // "Have a code?": the next text is the code (tier 0: asked on the channel's menu).
  pm.callbackQuery(/^pcode:(\d+):(\d+)$/, async (ctx) => {
    const channelId = Number(ctx.match[1]);
    const tierId = Number(ctx.match[2]) || null;
    const loaded = await loadChannel(ctx.services.db, channelId);
    if (loaded?.channel.status !== "active") {
      await toast(ctx, ctx.t.offerChangedToast());
      return showChannelMenu(ctx, channelId, { notice: ctx.t.offerChanged() });
    }
    await toast(ctx);
    // One text-taking flow at a time.
    ctx.session.onboarding = undefined;
    ctx.session.edit = undefined;
    ctx.session.promoDraft = undefined;
    ctx.session.promoEntry = { channelId, tierId, updatedAt: ctx.services.now().toISOString() };
    await ctx.reply(promoTexts(ctx.t.locale).codePrompt(channelView(loaded.channel).title), HTML);
  });

  pm.callbackQuery(/^trial:(\d+)$/, async (ctx) => {
    await startTrial(ctx, Number(ctx.match[1]));
  });

  pm.on("message:text", async (ctx, next) => {
    const entry = ctx.session.promoEntry;
    if (!entry || ctx.msg.text.startsWith("/")) return next();
    if (!isFresh(ctx, entry.updatedAt)) {
      ctx.session.promoEntry = undefined;
      return next();
    }
    // Hostile or mistyped input: say what a code looks like and keep waiting; nothing changes.
    let code: string;
    try {
      if (ctx.msg.text.length > MAX_CODE_INPUT) throw new Error("too long");
      code = normalizePromoCode(ctx.msg.text);
    } catch {
      return void (await ctx.reply(promoTexts(ctx.t.locale).refusal("format"), HTML));
    }
    ctx.session.promoEntry = undefined;
    if (entry.tierId === null) return showPromoMenu(ctx, entry.channelId, code);
    await buyTierWithCode(ctx, entry.channelId, entry.tierId, code);
  });

  return composer;
}
