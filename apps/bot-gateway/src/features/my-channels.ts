import { type Actor, audit, CommerceError, isRowId, MAX_CHANNEL_TEXT } from "@telepay/commerce";
import { channels, orders, subscriptions, tiers } from "@telepay/db";
import {
  broadcastTexts,
  dashboardButton,
  type Locale,
  ownerBalanceText,
  promoTexts,
  resolveLocale,
  starsTexts,
} from "@telepay/telegram";
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../context.ts";
import { type EditField, parseTiers } from "../onboarding-state.ts";
import { HTML, show, toast } from "../reply.ts";
import { type ChannelRole, checkChannelRights } from "../services/chat-rights.ts";
import { core } from "../services/core.ts";
import type { ChannelRow } from "../services/orders.ts";
import { paymentsCsv } from "../services/payments-csv.ts";
import { languageKeyboard } from "./language-keyboard.ts";
import { isFresh } from "./new-channel.ts";

const FIELDS: Record<string, EditField> = { t: "tiers", d: "description", m: "donation" };

export type OwnerCtx = BotContext & { from: { id: number } };

/** The channel if the presser owns it (every owner button re-checks this). */
export async function ownedChannel(ctx: OwnerCtx, channelId: number): Promise<ChannelRow | undefined> {
  // An edited button's id beyond integer range names no channel (instead of failing the query).
  if (!isRowId(channelId)) return undefined;
  const [row] = await ctx.services.db
    .select()
    .from(channels)
    .where(and(eq(channels.id, channelId), eq(channels.ownerTelegramId, BigInt(ctx.from.id))));
  return row;
}

/**
 * Every change is checked against the owner's *current* Telegram admin rights (docs/legacy-mistakes.md#lm-9);
 * republish and resume also need the bot's rights. Returns the refusal text, or undefined.
 */
export async function rightsRefusal(
  ctx: BotContext & { from: { id: number } },
  channel: ChannelRow,
  needBot: boolean,
): Promise<string | undefined> {
  for (const [chatId, role, title] of [
    [channel.openChatId, "open", channel.openTitle],
    [channel.closedChatId, "closed", channel.closedTitle],
  ] as Array<[bigint, ChannelRole, string]>) {
    const problem = await checkChannelRights(ctx.api, chatId.toString(), ctx.from.id, ctx.me.id, role);
    if (!problem) continue;
    if (problem.kind === "owner_not_admin") return ctx.t.ownerNoLongerAdmin({ title });
    if (problem.kind === "bot_missing_rights" && !needBot) continue;
    if (problem.kind === "bot_missing_rights")
      return ctx.t.onboardBotMissingRights({ title, rights: problem.rights });
    return ctx.t.onboardBotNotAdmin({ title, role });
  }
  return undefined;
}

export const ownerOf = (ctx: OwnerCtx): Actor => ({ kind: "owner", telegramId: BigInt(ctx.from.id) });

async function showList(ctx: OwnerCtx): Promise<void> {
  const rows = await ctx.services.db
    .select()
    .from(channels)
    .where(eq(channels.ownerTelegramId, BigInt(ctx.from.id)))
    .orderBy(asc(channels.id));
  if (rows.length === 0) return show(ctx, ctx.t.noChannels());
  const kb = new InlineKeyboard();
  for (const ch of rows)
    kb.text(
      ctx.t.channelListButton({ title: ch.closedTitle || ch.openTitle, status: ch.status }),
      `mc:o:${ch.id}`,
    ).row();
  await show(ctx, ctx.t.channelList({ count: rows.length }), kb);
}

/** A channel's /mychannels panel: figures, settings and the buttons to change them. */
export async function showPanel(ctx: OwnerCtx, channel: ChannelRow): Promise<void> {
  const { db } = ctx.services;
  const now = ctx.services.now();
  const [subs] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.channelId, channel.id),
        eq(subscriptions.status, "active"),
        gt(subscriptions.expiresAt, now),
      ),
    );
  const revenue = await db
    .select({ currency: orders.currency, total: sql<string>`sum(${orders.amount})::text`, n: count() })
    .from(orders)
    .where(and(eq(orders.channelId, channel.id), eq(orders.status, "finished")))
    .groupBy(orders.currency)
    .orderBy(orders.currency);
  const offered = await db
    .select()
    .from(tiers)
    .where(and(eq(tiers.channelId, channel.id), eq(tiers.active, true)))
    .orderBy(tiers.position);
  // What the operator owes the owner for this channel (SETTLEMENT=operator, docs/settlement.md).
  const balances = await core(ctx.services).settlement.balances({ channelId: channel.id });
  // In the owner's language: their /language choice, else Telegram's (ctx.t has resolved both).
  const balance = ownerBalanceText(ctx.t.locale, balances, {
    direct: ctx.services.settings.settlement.mode === "direct",
  });
  const id = channel.id;
  const kb = new InlineKeyboard()
    .text(ctx.t.editTiersButton(), `mc:e:t:${id}`)
    .text(ctx.t.editDescriptionButton(), `mc:e:d:${id}`)
    .row()
    .text(ctx.t.editDonationButton(), `mc:e:m:${id}`)
    .text(ctx.t.notificationsButton({ on: channel.notificationsEnabled }), `mc:n:${id}`)
    .row()
    .text(ctx.t.republishButton(), `mc:r:${id}`)
    .text(ctx.t.exportButton(), `mc:x:${id}`)
    .row()
    .text(channel.status === "paused" ? ctx.t.resumeButton() : ctx.t.pauseButton(), `mc:p:${id}`)
    .text(ctx.t.allChannelsButton(), "mc:l")
    .row()
    .text(ctx.t.postLanguageButton(), `mc:g:${id}`)
    .row()
    .text(promoTexts(ctx.t.locale).promosButton(), `op:l:${id}`)
    .text(promoTexts(ctx.t.locale).trialSettingsButton(channel.trialDays), `op:t:${id}`)
    .row()
    .text(broadcastTexts(ctx.t.locale).panelButton(), `bc:c:${id}`);
  // The owner dashboard (Mini App): figures, charts and plan editing for this channel.
  const dashboard = ctx.services.settings.dashboardUrl;
  if (dashboard) {
    // The owner's language: their /language choice, else Telegram's (ctx.t has resolved both).
    const locale = ctx.t.locale;
    kb.row().webApp(dashboardButton(locale), `${dashboard}?channel=${id}&lang=${locale}`);
  }
  const panel = ctx.t.channelPanel({
    openTitle: channel.openTitle,
    closedTitle: channel.closedTitle,
    status: channel.status,
    description: channel.description,
    donationMessage: channel.donationMessage,
    notifications: channel.notificationsEnabled,
    wallet: channel.payoutWallet,
    payoutCurrency: channel.payoutCurrency,
    payoutNetwork: channel.payoutNetwork,
    activeSubscribers: subs?.n ?? 0,
    revenue: revenue.map((r) => ({ amount: r.total, currency: r.currency, orders: r.n })),
    tiers: offered.map((x) => ({
      label: x.label,
      price: x.price,
      currency: x.currency,
      days: x.durationDays,
    })),
    language: resolveLocale(channel.language),
  });
  await show(ctx, `${panel}\n\n${balance}`, kb);
}

/** /mychannels: per-channel management, always re-verified against Telegram and audited. */
export function myChannelsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("mychannels", (ctx) => showList(ctx));
  pm.callbackQuery("mc:l", async (ctx) => {
    await toast(ctx);
    await showList(ctx);
  });

  // Every channel button goes through this: a channel that is gone or not the presser's is stale.
  pm.callbackQuery(/^mc:([onprxg]|e:[tdm]):(\d+)$/, async (ctx) => {
    const action = ctx.match[1]!;
    const channel = await ownedChannel(ctx, Number(ctx.match[2]));
    if (!channel) {
      await toast(ctx, ctx.t.staleButtonToast());
      return showList(ctx);
    }
    if (action === "o") {
      await toast(ctx);
      return showPanel(ctx, channel);
    }
    if (action === "x") return exportPayments(ctx, channel);
    if (action === "g") {
      await toast(ctx);
      const current = resolveLocale(channel.language);
      return show(
        ctx,
        ctx.t.postLanguagePrompt({ title: channel.closedTitle }),
        languageKeyboard((locale) => ({ target: "channel", channelId: channel.id, locale }), current),
      );
    }
    const needBot = action === "r" || (action === "p" && channel.status !== "active");
    const refusal = await rightsRefusal(ctx, channel, needBot);
    if (refusal) {
      await toast(ctx, ctx.t.refusedToast(), false);
      return void (await ctx.reply(refusal, HTML));
    }
    const now = ctx.services.now();
    const { db } = ctx.services;
    switch (action) {
      case "n": {
        const on = !channel.notificationsEnabled;
        await core(ctx.services).channels.update(channel.id, ownerOf(ctx), { notificationsEnabled: on });
        await toast(ctx, ctx.t.notificationsToggled({ on }));
        return showPanel(ctx, { ...channel, notificationsEnabled: on });
      }
      case "p": {
        const pause = channel.status === "active";
        const updated = await core(ctx.services).channels.setPaused(channel.id, ownerOf(ctx), pause);
        await toast(ctx, pause ? ctx.t.pausedToast() : ctx.t.resumedToast());
        return showPanel(ctx, updated);
      }
      case "r": {
        await core(ctx.services).channels.requestPublish(channel.id, ownerOf(ctx));
        return toast(ctx, ctx.t.republishRequested(), true);
      }
      default: {
        const field = FIELDS[action.slice(2)]!;
        ctx.session.onboarding = undefined;
        ctx.session.broadcast = undefined;
        ctx.session.promoDraft = undefined;
        ctx.session.promoEntry = undefined;
        ctx.session.trialEdit = undefined;
        ctx.session.edit = { channelId: channel.id, field, updatedAt: now.toISOString() };
        await toast(ctx);
        const current =
          field === "tiers"
            ? (
                await db
                  .select()
                  .from(tiers)
                  .where(and(eq(tiers.channelId, channel.id), eq(tiers.active, true)))
                  .orderBy(tiers.position)
              )
                .map((x) => `${x.price}:${x.durationDays}:${x.label}`)
                .join("\n")
            : field === "description"
              ? channel.description
              : channel.donationMessage;
        return void (await ctx.reply(ctx.t.editPrompt({ field, current, title: channel.closedTitle }), HTML));
      }
    }
  });

  // The text that completes an edit started from the panel.
  pm.on("message:text", async (ctx, next) => {
    const edit = ctx.session.edit;
    if (!edit || ctx.msg.text.startsWith("/")) return next();
    if (!isFresh(ctx, edit.updatedAt)) {
      ctx.session.edit = undefined;
      return void (await ctx.reply(ctx.t.onboardExpired(), HTML));
    }
    const channel = await ownedChannel(ctx, edit.channelId);
    if (!channel) {
      ctx.session.edit = undefined;
      return void (await ctx.reply(ctx.t.staleButtonToast(), HTML));
    }
    const refusal = await rightsRefusal(ctx, channel, false);
    if (refusal) {
      ctx.session.edit = undefined;
      return void (await ctx.reply(refusal, HTML));
    }
    const text = ctx.msg.text.trim();
    if (edit.field === "tiers") {
      const parsed = parseTiers(text);
      if (!parsed.ok) return void (await ctx.reply(ctx.t.onboardInvalid(parsed.error), HTML));
      const list = parsed.value.map((x) => ({
        price: x.price,
        durationDays: x.days,
        label: x.label,
        starsPrice: x.starsPrice ?? null,
      }));
      try {
        await core(ctx.services).channels.replaceTiers(channel.id, ownerOf(ctx), list);
      } catch (err) {
        // A channel selling for Stars keeps a Stars price on every tier (commerce requireRails).
        if (err instanceof CommerceError && err.details.field === "starsPrice")
          return void (await ctx.reply(starsTexts(ctx.t.locale).tiersNeedStars()));
        throw err;
      }
    } else {
      const value = text === "-" ? "" : text;
      if (value.length > MAX_CHANNEL_TEXT)
        return void (await ctx.reply(
          ctx.t.onboardInvalid({ kind: "text_too_long", max: MAX_CHANNEL_TEXT }),
          HTML,
        ));
      await core(ctx.services).channels.update(
        channel.id,
        ownerOf(ctx),
        edit.field === "description" ? { description: value } : { donationMessage: value },
      );
    }
    ctx.session.edit = undefined;
    await ctx.reply(ctx.t.editSaved(), HTML);
    const [fresh] = await ctx.services.db.select().from(channels).where(eq(channels.id, channel.id));
    await showPanel(ctx, fresh!);
  });

  return composer;
}

/**
 * A language picked for a channel's posts (the panel's language button): checked like every
 * other change (owner still an admin, bot able to post), then both posts are published again.
 */
export async function applyChannelLanguage(ctx: BotContext, channelId: number, locale: Locale) {
  if (!ctx.from) return;
  const owner = ctx as OwnerCtx;
  const channel = await ownedChannel(owner, channelId);
  if (!channel) {
    await toast(ctx, ctx.t.staleButtonToast());
    return showList(owner);
  }
  const refusal = await rightsRefusal(owner, channel, true);
  if (refusal) {
    await toast(ctx, ctx.t.refusedToast(), false);
    return void (await ctx.reply(refusal, HTML));
  }
  const updated = await core(ctx.services).channels.update(channel.id, ownerOf(owner), { language: locale });
  await toast(ctx, ctx.t.postLanguageSaved({ language: locale }));
  await showPanel(owner, updated);
}

async function exportPayments(ctx: OwnerCtx, channel: ChannelRow): Promise<void> {
  await toast(ctx, ctx.t.exportingToast());
  const { csv, rows } = await paymentsCsv(ctx.services.db, channel.id);
  await audit(ctx.services.db, ownerOf(ctx), "channel.payments_exported", channel.id, { rows });
  const stamp = ctx.services.now().toISOString().slice(0, 10);
  await ctx.replyWithDocument(
    new InputFile(Buffer.from(csv, "utf8"), `payments-${channel.id}-${stamp}.csv`),
    {
      caption: ctx.t.exportCaption({ title: channel.closedTitle, rows }),
      parse_mode: "HTML",
    },
  );
}
