import { CommerceError, MAX_TRIAL_DAYS, normalizePromoCode } from "@telepay/commerce";
import { tiers } from "@telepay/db";
import { deepLinkUrl, type PromoField, promoTexts } from "@telepay/telegram";
import { and, eq } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, PromoDraft } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import type { ChannelRow } from "../services/orders.ts";
import { type OwnerCtx, ownedChannel, ownerOf, rightsRefusal, showPanel } from "./my-channels.ts";
import { isFresh } from "./new-channel.ts";

/**
 * /mychannels → channel → Promo codes: the list with uses, a new code through a short conversation,
 * disabling. Every rule (code format, discount bounds, tiers, uniqueness, ownership) is the core's
 * (promos.add / list / disable, the same calls as `telepay promo`): the bot only turns each answer
 * into a value, and a refusal from the core sends the owner back to the question it concerns.
 */

const DAY_MS = 86_400_000;
/** Codes shown in the list (each takes ~150 characters of the message's 4096, and a button). */
const LISTED = 15;
/** The longest answer read at all; anything longer is refused as it is. */
const MAX_ANSWER = 200;

async function activeTiers(ctx: BotContext, channelId: number) {
  return ctx.services.db
    .select()
    .from(tiers)
    .where(and(eq(tiers.channelId, channelId), eq(tiers.active, true)))
    .orderBy(tiers.position);
}

async function showPromos(ctx: OwnerCtx, channel: ChannelRow): Promise<void> {
  const texts = promoTexts(ctx.t.locale);
  const [all, offered] = await Promise.all([
    core(ctx.services).promos.list(ownerOf(ctx), channel.id),
    activeTiers(ctx, channel.id),
  ]);
  const currency = offered[0]?.currency ?? "USD";
  const { botUsername } = ctx.services.settings;
  // Active codes first, newest first; the rest are one `telepay promo list` away.
  const sorted = [...all].sort((a, b) => Number(b.active) - Number(a.active) || b.id - a.id);
  const codes = sorted.slice(0, LISTED);
  const kb = new InlineKeyboard().text(texts.addButton(), `op:a:${channel.id}`).row();
  for (const p of codes)
    if (p.active) kb.text(texts.disableButton(p.code), `op:d:${channel.id}:${p.code}`).row();
  kb.text(texts.backButton(), `mc:o:${channel.id}`);
  const text = texts.list(
    channel.closedTitle || channel.openTitle,
    codes.map((p) => ({
      ...p,
      currency,
      url: deepLinkUrl(botUsername, { kind: "promo", channelId: channel.id, code: p.code }),
    })),
    all.length - codes.length,
  );
  await show(ctx, text, kb);
}

/** Asks the draft's current question. */
async function ask(ctx: OwnerCtx, draft: PromoDraft): Promise<void> {
  const texts = promoTexts(ctx.t.locale);
  switch (draft.step) {
    case "code":
      return void (await ctx.reply(texts.askCode(), HTML));
    case "discount": {
      const [first] = await activeTiers(ctx, draft.channelId);
      return void (await ctx.reply(texts.askDiscount(first?.currency ?? "USD"), HTML));
    }
    case "uses":
      return void (await ctx.reply(texts.askMaxUses(), HTML));
    case "expiry":
      return void (await ctx.reply(texts.askExpiry(), HTML));
    case "tiers": {
      const offered = await activeTiers(ctx, draft.channelId);
      const list = offered.map((t) => ({ position: t.position, label: t.label, days: t.durationDays }));
      return void (await ctx.reply(texts.askTiers(list), HTML));
    }
  }
}

/** The conversation's step a refused field belongs to, and what to tell the owner. */
const FIELD_STEP: Record<string, [PromoDraft["step"], PromoField]> = {
  promoCode: ["code", "code"],
  code: ["code", "taken"],
  discount: ["discount", "discount"],
  percentOff: ["discount", "percentOff"],
  amountOff: ["discount", "amountOff"],
  maxUses: ["uses", "maxUses"],
  expiresAt: ["expiry", "expiresAt"],
  tierPositions: ["tiers", "tierPositions"],
};

type Parsed = { ok: true; patch: Partial<PromoDraft> } | { ok: false; field: PromoField };

/** One answer as a value (form only: bounds are the core's). */
function parseAnswer(draft: PromoDraft, text: string, now: Date): Parsed {
  const none = text === "-";
  switch (draft.step) {
    case "code":
      try {
        return { ok: true, patch: { code: normalizePromoCode(text) } };
      } catch {
        return { ok: false, field: "code" };
      }
    case "discount": {
      const percent = text.match(/^(\d{1,3})\s*%$/);
      if (percent) return { ok: true, patch: { percentOff: Number(percent[1]), amountOff: undefined } };
      if (/^\d{1,9}([.,]\d{1,9})?$/.test(text))
        return { ok: true, patch: { amountOff: text.replace(",", "."), percentOff: undefined } };
      return { ok: false, field: "discount" };
    }
    case "uses":
      if (none) return { ok: true, patch: { maxUses: null } };
      if (/^\d{1,9}$/.test(text)) return { ok: true, patch: { maxUses: Number(text) } };
      return { ok: false, field: "maxUses" };
    case "expiry": {
      if (none) return { ok: true, patch: { expiresAt: null } };
      if (/^\d{1,4}$/.test(text) && Number(text) >= 1 && Number(text) <= 3650)
        return {
          ok: true,
          patch: { expiresAt: new Date(now.getTime() + Number(text) * DAY_MS).toISOString() },
        };
      const date = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
      if (date) {
        // The whole day counts: the code works until the end of that date (UTC).
        const end = new Date(`${text}T23:59:59.999Z`);
        if (!Number.isNaN(end.getTime()) && end.toISOString().startsWith(text))
          return { ok: true, patch: { expiresAt: end.toISOString() } };
      }
      return { ok: false, field: "expiresAt" };
    }
    case "tiers":
      return { ok: true, patch: {} };
  }
}

const NEXT: Record<PromoDraft["step"], PromoDraft["step"] | null> = {
  code: "discount",
  discount: "uses",
  uses: "expiry",
  expiry: "tiers",
  tiers: null,
};

/** The last answer (the plans) completes the draft: the core creates the code or says why not. */
async function finish(ctx: OwnerCtx, draft: PromoDraft, text: string, channel: ChannelRow): Promise<void> {
  const texts = promoTexts(ctx.t.locale);
  let positions: number[] | null = null;
  if (text !== "-") {
    if (!/^\d{1,4}(\s*,\s*\d{1,4}){0,19}$/.test(text))
      return void (await ctx.reply(texts.badAnswer("tierPositions"), HTML));
    positions = text.split(",").map((p) => Number(p.trim()));
  }
  try {
    const created = await core(ctx.services).promos.add(ownerOf(ctx), {
      channelId: channel.id,
      code: draft.code ?? "",
      ...(draft.percentOff !== undefined ? { percentOff: draft.percentOff } : {}),
      ...(draft.amountOff !== undefined ? { amountOff: draft.amountOff } : {}),
      maxUses: draft.maxUses ?? null,
      expiresAt: draft.expiresAt ? new Date(draft.expiresAt) : null,
      tierPositions: positions,
    });
    ctx.session.promoDraft = undefined;
    const url = deepLinkUrl(ctx.services.settings.botUsername, {
      kind: "promo",
      channelId: channel.id,
      code: created.code,
    });
    await ctx.reply(texts.created({ code: created.code, url }), HTML);
    await showPromos(ctx, channel);
  } catch (err) {
    const field = err instanceof CommerceError ? String(err.details.field ?? "") : "";
    const target = FIELD_STEP[field];
    if (!target) throw err;
    const [step, problem] = target;
    const back = { ...draft, step, updatedAt: ctx.services.now().toISOString() };
    ctx.session.promoDraft = back;
    await ctx.reply(texts.badAnswer(problem), HTML);
    await ask(ctx, back);
  }
}

/** The owner's promo codes in /mychannels. */
export function ownerPromosFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(/^op:([ladt]):(\d+)(?::([A-Z0-9_-]{3,32}))?$/, async (ctx) => {
    const action = ctx.match[1]!;
    const channel = await ownedChannel(ctx, Number(ctx.match[2]));
    if (!channel) {
      await toast(ctx, ctx.t.staleButtonToast());
      return show(ctx, ctx.t.staleButton());
    }
    if (action === "l") {
      await toast(ctx);
      return showPromos(ctx, channel);
    }
    // Changes are checked against the owner's current admin rights, like every panel change.
    const refusal = await rightsRefusal(ctx, channel, false);
    if (refusal) {
      await toast(ctx, ctx.t.refusedToast(), false);
      return void (await ctx.reply(refusal, HTML));
    }
    if (action === "d") {
      const code = ctx.match[3];
      if (!code) return toast(ctx, ctx.t.staleButtonToast());
      await core(ctx.services).promos.disable(ownerOf(ctx), channel.id, code);
      await toast(ctx, promoTexts(ctx.t.locale).disabledToast(code));
      return showPromos(ctx, channel);
    }
    await toast(ctx);
    // One text-taking flow at a time.
    ctx.session.onboarding = undefined;
    ctx.session.edit = undefined;
    ctx.session.promoEntry = undefined;
    ctx.session.promoDraft = undefined;
    ctx.session.trialEdit = undefined;
    if (action === "t") {
      ctx.session.trialEdit = { channelId: channel.id, updatedAt: ctx.services.now().toISOString() };
      const title = channel.closedTitle || channel.openTitle;
      return void (await ctx.reply(
        promoTexts(ctx.t.locale).askTrialDays({ title, days: channel.trialDays, max: MAX_TRIAL_DAYS }),
        HTML,
      ));
    }
    const draft: PromoDraft = {
      channelId: channel.id,
      step: "code",
      updatedAt: ctx.services.now().toISOString(),
    };
    ctx.session.promoDraft = draft;
    await ask(ctx, draft);
  });

  // The free trial's days (channels.update checks the bounds, as for `channel add --trial-days`).
  pm.on("message:text", async (ctx, next) => {
    const pending = ctx.session.trialEdit;
    if (!pending || ctx.msg.text.startsWith("/")) return next();
    ctx.session.trialEdit = undefined;
    if (!isFresh(ctx, pending.updatedAt)) return void (await ctx.reply(ctx.t.onboardExpired(), HTML));
    const channel = await ownedChannel(ctx, pending.channelId);
    if (!channel) return void (await ctx.reply(ctx.t.staleButtonToast(), HTML));
    const refusal = await rightsRefusal(ctx, channel, false);
    if (refusal) return void (await ctx.reply(refusal, HTML));
    const texts = promoTexts(ctx.t.locale);
    const text = ctx.msg.text.trim();
    const retry = async () => {
      ctx.session.trialEdit = { ...pending, updatedAt: ctx.services.now().toISOString() };
      await ctx.reply(texts.badTrialDays(MAX_TRIAL_DAYS), HTML);
    };
    if (!/^\d{1,4}$/.test(text)) return retry();
    let updated: ChannelRow;
    try {
      updated = await core(ctx.services).channels.update(channel.id, ownerOf(ctx), {
        trialDays: Number(text),
      });
    } catch (err) {
      if (err instanceof CommerceError && err.details.field === "trialDays") return retry();
      throw err;
    }
    await ctx.reply(texts.trialDaysSaved(updated.trialDays), HTML);
    await showPanel(ctx, updated);
  });

  pm.on("message:text", async (ctx, next) => {
    const draft = ctx.session.promoDraft;
    if (!draft || ctx.msg.text.startsWith("/")) return next();
    if (!isFresh(ctx, draft.updatedAt)) {
      ctx.session.promoDraft = undefined;
      return void (await ctx.reply(ctx.t.onboardExpired(), HTML));
    }
    const channel = await ownedChannel(ctx, draft.channelId);
    if (!channel) {
      ctx.session.promoDraft = undefined;
      return void (await ctx.reply(ctx.t.staleButtonToast(), HTML));
    }
    const text = ctx.msg.text.trim();
    const texts = promoTexts(ctx.t.locale);
    if (draft.step === "tiers") return finish(ctx, draft, text, channel);
    const parsed =
      text.length > MAX_ANSWER
        ? ({ ok: false, field: FIELD_STEP_OF[draft.step] } as const)
        : parseAnswer(draft, text, ctx.services.now());
    if (!parsed.ok) return void (await ctx.reply(texts.badAnswer(parsed.field), HTML));
    const step = NEXT[draft.step]!;
    const updated: PromoDraft = {
      ...draft,
      ...parsed.patch,
      step,
      updatedAt: ctx.services.now().toISOString(),
    };
    ctx.session.promoDraft = updated;
    await ask(ctx, updated);
  });

  return composer;
}

/** What an overlong answer is refused as, per step. */
const FIELD_STEP_OF: Record<PromoDraft["step"], PromoField> = {
  code: "code",
  discount: "discount",
  uses: "maxUses",
  expiry: "expiresAt",
  tiers: "tierPositions",
};
