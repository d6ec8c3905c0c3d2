import { isRowId } from "@telepay/commerce";
import { channels, starSubscriptions, subscriptions } from "@telepay/db";
import { deepLinkUrl, parseDeepLink, starsTexts } from "@telepay/telegram";
import { and, asc, eq } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import { findOrder, loadChannel, openOrder, type TierRow } from "../services/orders.ts";
import { startDonation } from "./donations.ts";
import { channelView, presentOrder, showOrderStatus, tierById } from "./order-view.ts";
import { offerExtras, type PromoOffer, showPromoMenu } from "./promo.ts";
import { buyWithStars, starsOffered } from "./stars.ts";

/** Subscriber flows: /start deep links, the tier menu, orders and their status, /subscriptions. */
export function subscriberFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("start", async (ctx) => {
    const payload = ctx.match.trim();
    if (payload === "") {
      await ctx.reply(ctx.t.welcome({ firstName: ctx.from.first_name }), { parse_mode: "HTML" });
      return;
    }
    const link = parseDeepLink(payload);
    switch (link?.kind) {
      case "channel":
        return showChannelMenu(ctx, link.channelId);
      case "tier":
        return showTierOffer(ctx, link.channelId, link.tierId);
      case "stars_tier":
        return buyWithStars(ctx, link.channelId, link.tierId);
      case "donation":
        return startDonation(ctx, link.channelId);
      case "order":
        return showOrderStatus(ctx, link.reference);
      case "promo":
        return showPromoMenu(ctx, link.channelId, link.code);
      default:
        await ctx.reply(ctx.t.linkNotRecognised(), { parse_mode: "HTML" });
    }
  });

  pm.callbackQuery(/^menu:(\d+)$/, async (ctx) => {
    await toast(ctx);
    await showChannelMenu(ctx, Number(ctx.match[1]));
  });

  pm.callbackQuery(/^tier:(\d+):(\d+)$/, async (ctx) => {
    await buyTier(ctx, Number(ctx.match[1]), Number(ctx.match[2]));
  });

  pm.callbackQuery(/^ost:([A-Za-z0-9_-]{8,63})$/, async (ctx) => {
    await toast(ctx, ctx.t.statusRefreshed());
    await showOrderStatus(ctx, ctx.match[1]!);
  });

  pm.callbackQuery(/^oinv:([A-Za-z0-9_-]{8,63})$/, async (ctx) => {
    await toast(ctx);
    const order = await findOrder(ctx.services.db, ctx.match[1]!);
    if (!order || order.userId !== BigInt(ctx.from.id)) return show(ctx, ctx.t.orderNotFound());
    const loaded = await loadChannel(ctx.services.db, order.channelId);
    if (!loaded) return show(ctx, ctx.t.offerChanged());
    const tier = order.tierId ? await tierById(ctx, order.tierId) : undefined;
    await presentOrder(ctx, order, loaded.channel, tier);
  });

  pm.command("subscriptions", (ctx) => showSubscriptions(ctx));
  pm.callbackQuery("subs", async (ctx) => {
    await toast(ctx);
    await showSubscriptions(ctx);
  });

  pm.callbackQuery(/^renew:(\d+)$/, async (ctx) => {
    await toast(ctx);
    await showChannelMenu(ctx, Number(ctx.match[1]), { renewal: true, fresh: true });
  });

  pm.callbackQuery(/^back:(\d+)$/, async (ctx) => {
    await getBackIn(ctx, Number(ctx.match[1]));
  });

  return composer;
}

function tierView(tier: TierRow) {
  return { label: tier.label, price: tier.price, currency: tier.currency, days: tier.durationDays };
}

/** Counts an offer shown to a subscriber (the dashboard's funnel); never fails the flow. */
async function recordOpen(ctx: BotContext, channelId: number, tierId: number | null): Promise<void> {
  if (!ctx.from) return;
  await ctx.services.reports
    .recordOfferOpen({ channelId, tierId, userId: BigInt(ctx.from.id) })
    .catch((err: unknown) =>
      ctx.services.logger.warn({ err: String(err), channelId }, "offer open not recorded"),
    );
}

/** The channel's name, description and active tiers, priced from the database. */
export async function showChannelMenu(
  ctx: BotContext,
  channelId: number,
  options: {
    renewal?: boolean;
    notice?: string;
    fresh?: boolean;
    /** A promo code the subscriber brought: its plans' buttons open the order with it. */
    promo?: PromoOffer;
  } = {},
): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  if (!loaded) return show(ctx, ctx.t.channelNotFound());
  const { channel, tiers: offered } = loaded;
  if (channel.status !== "active" || offered.length === 0)
    return show(ctx, ctx.t.channelUnavailable(channelView(channel)));
  await recordOpen(ctx, channel.id, null);
  const keyboard = new InlineKeyboard();
  const stars = starsTexts(ctx.t.locale);
  // One button per rail the channel sells through.
  const crypto = channel.rails !== "stars";
  const promo = options.promo;
  for (const tier of offered) {
    // A code limited to some plans leaves the others at their usual button.
    if (crypto && promo?.applies(tier))
      keyboard.text(promo.button(tier), `ptier:${channel.id}:${tier.id}:${promo.code}`);
    else if (crypto) keyboard.text(ctx.t.tierButton(tierView(tier)), `tier:${channel.id}:${tier.id}`);
    if (starsOffered(channel, tier))
      keyboard.text(
        stars.menuButton({ label: tier.label, days: tier.durationDays, stars: tier.starsPrice! }),
        `stier:${channel.id}:${tier.id}`,
      );
    keyboard.row();
  }
  await offerExtras(ctx, keyboard, channel, { tierId: null, promo: promo !== undefined });
  const text = ctx.t.channelMenu({
    ...channelView(channel),
    tiers: offered.map(tierView),
    renewal: options.renewal ?? false,
    notice: options.notice,
  });
  if (options.fresh) {
    await ctx.reply(text, {
      parse_mode: "HTML",
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
    });
    return;
  }
  await show(ctx, text, keyboard);
}

/**
 * One tier from a tier-post deep link, with a way to see the others, "Have a code?" and the free
 * trial; `notice` (HTML) goes above it (a refused code).
 */
export async function showTierOffer(
  ctx: BotContext,
  channelId: number,
  tierId: number,
  notice?: string,
): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  const tier = loaded?.tiers.find((x) => x.id === tierId);
  if (!loaded || !tier || loaded.channel.status !== "active") {
    return showChannelMenu(ctx, channelId, { notice: ctx.t.offerChanged() });
  }
  const keyboard = new InlineKeyboard();
  if (loaded.channel.rails !== "stars")
    keyboard.text(ctx.t.buyButton(tierView(tier)), `tier:${channelId}:${tierId}`).row();
  if (starsOffered(loaded.channel, tier))
    keyboard
      .text(starsTexts(ctx.t.locale).offerButton(tier.starsPrice!), `stier:${channelId}:${tierId}`)
      .row();
  await offerExtras(ctx, keyboard, loaded.channel, { tierId, promo: false });
  keyboard.text(ctx.t.otherPlansButton(), `menu:${channelId}`);
  await recordOpen(ctx, channelId, tierId);
  const text = ctx.t.tierOffer({ ...channelView(loaded.channel), tier: tierView(tier) });
  await show(ctx, notice ? `${notice}\n\n${text}` : text, keyboard);
}

/** A tier was chosen: create (or reuse) the order, make the invoice, show Pay + Check status. */
async function buyTier(
  ctx: BotContext & { from: { id: number } },
  channelId: number,
  tierId: number,
): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  const tier = loaded?.tiers.find((x) => x.id === tierId);
  if (!loaded || !tier || loaded.channel.status !== "active" || loaded.channel.rails === "stars") {
    await toast(ctx, ctx.t.offerChangedToast());
    return showChannelMenu(ctx, channelId, { notice: ctx.t.offerChanged() });
  }
  await toast(ctx, ctx.t.preparingInvoice());
  const order = await openOrder(ctx.services, {
    kind: "subscription",
    userId: BigInt(ctx.from.id),
    channel: loaded.channel,
    tier,
  });
  await presentOrder(ctx, order, loaded.channel, tier);
}

/**
 * Every subscription with its expiry, a renew button, and a way back in while it is active; a Stars
 * subscription says whether it renews, with a button to stop or resume the renewal.
 */
export async function showSubscriptions(ctx: BotContext & { from: { id: number } }): Promise<void> {
  const now = ctx.services.now();
  const userId = BigInt(ctx.from.id);
  const rows = await ctx.services.db
    .select({ sub: subscriptions, channel: channels })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .where(eq(subscriptions.userId, userId))
    .orderBy(asc(subscriptions.expiresAt));
  if (rows.length === 0) return show(ctx, ctx.t.noSubscriptions());
  const starRows = await ctx.services.db
    .select()
    .from(starSubscriptions)
    .where(eq(starSubscriptions.userId, userId));
  const stars = starsTexts(ctx.t.locale);
  const renewalLines: ReturnType<typeof stars.renewalLine>[] = [];
  const keyboard = new InlineKeyboard();
  const items = rows.map(({ sub, channel }) => {
    const active = sub.status === "active" && sub.expiresAt.getTime() > now.getTime();
    const title = channel.closedTitle || channel.openTitle;
    const star = starRows.find((r) => r.channelId === channel.id && r.state !== "lapsed");
    if (active && star) {
      const renews = star.state === "renewing";
      renewalLines.push(stars.renewalLine({ title, renews, date: sub.expiresAt }));
      keyboard
        .text(
          renews ? stars.stopButton(title) : stars.resumeButton(title),
          `srn:${channel.id}:${renews ? 0 : 1}`,
        )
        .row();
    } else if (channel.status === "active")
      keyboard.text(ctx.t.renewButton({ title }), `renew:${channel.id}`);
    if (active) keyboard.text(ctx.t.joinButton({ title }), `back:${channel.id}`);
    keyboard.row();
    return { title, active, expiresAt: sub.expiresAt, status: sub.status };
  });
  const list = ctx.t.subscriptionsList({ items });
  await show(ctx, renewalLines.length > 0 ? `${list}\n\n${stars.lines(renewalLines)}` : list, keyboard);
}

/**
 * The way back into a closed channel for an active subscriber who left: the stored join-request
 * link, or a fresh one. Join requests are approved only for active subscribers, so a forwarded
 * link lets nobody else in.
 */
async function getBackIn(ctx: BotContext & { from: { id: number } }, channelId: number): Promise<void> {
  const { db } = ctx.services;
  const now = ctx.services.now();
  const userId = BigInt(ctx.from.id);
  const [row] = !isRowId(channelId)
    ? []
    : await db
        .select({ sub: subscriptions, channel: channels })
        .from(subscriptions)
        .innerJoin(channels, eq(channels.id, subscriptions.channelId))
        .where(and(eq(subscriptions.userId, userId), eq(subscriptions.channelId, channelId)));
  if (row?.sub.status !== "active" || row.sub.expiresAt.getTime() <= now.getTime()) {
    await toast(ctx, ctx.t.offerChangedToast());
    return showSubscriptions(ctx);
  }
  await toast(ctx);
  let link = row.channel.inviteMode === "join_request" ? row.sub.inviteLink : null;
  if (!link) {
    const created = await ctx.api.createChatInviteLink(row.channel.closedChatId.toString(), {
      name: `tp ${ctx.from.id}`.slice(0, 32),
      creates_join_request: true,
    });
    link = created.invite_link;
    await core(ctx.services).access.storeInvite(row.sub.id, link);
  }
  const title = row.channel.closedTitle || row.channel.openTitle;
  await ctx.reply(ctx.t.wayBackIn({ title }), {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().url(ctx.t.joinButton({ title }), link),
  });
}

/** https://t.me/<bot>?start=c<id>, for texts that point back to a channel's menu. */
export function channelMenuUrl(ctx: BotContext, channelId: number): string {
  return deepLinkUrl(ctx.services.settings.botUsername, { kind: "channel", channelId });
}
