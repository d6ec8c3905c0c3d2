import { deepLinkUrl } from "@telepay/telegram";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import {
  type AmountRules,
  confirmAmount,
  isKeypadKey,
  type KeypadError,
  type KeypadSession,
  pressKey,
} from "../keypad.ts";
import { show, toast } from "../reply.ts";
import { type ChannelRow, loadChannel, openOrder } from "../services/orders.ts";
import { presentOrder } from "./order-view.ts";

/** Digits in phone-pad order, then the point, 0 and backspace; clear/cancel and confirm below. */
function keypadKeyboard(ctx: BotContext): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const row of [
    ["1", "2", "3"],
    ["4", "5", "6"],
    ["7", "8", "9"],
  ]) {
    for (const d of row) kb.text(d, `kp:${d}`);
    kb.row();
  }
  kb.text(".", "kp:.").text("0", "kp:0").text("⌫", "kp:back").row();
  kb.text(ctx.t.keypadClearButton(), "kp:clear").text(ctx.t.keypadCancelButton(), "kp:cancel").row();
  kb.text(ctx.t.keypadConfirmButton(), "kp:ok");
  return kb;
}

function rulesFor(ctx: BotContext, channel: ChannelRow): AmountRules {
  const d = ctx.services.settings.donation;
  return { min: channel.donationMin ?? d.min, max: channel.donationMax ?? d.max, maxDecimals: 2 };
}

function keypadText(ctx: BotContext, channel: ChannelRow, amount: string): string {
  const rules = rulesFor(ctx, channel);
  return ctx.t.donationKeypad({
    title: channel.closedTitle || channel.openTitle,
    message: channel.donationMessage,
    amount,
    currency: channel.donationCurrency,
    min: rules.min,
    max: rules.max,
  });
}

function expiry(ctx: BotContext): string {
  return new Date(ctx.services.now().getTime() + ctx.services.settings.donation.timeoutMs).toISOString();
}

/** /start d<channel>: a fresh keypad message; an older keypad of this user is retired. */
export async function startDonation(ctx: BotContext, channelId: number): Promise<void> {
  const loaded = await loadChannel(ctx.services.db, channelId);
  if (!loaded) return void (await ctx.reply(ctx.t.channelNotFound(), { parse_mode: "HTML" }));
  const { channel } = loaded;
  if (channel.status !== "active") {
    return void (await ctx.reply(ctx.t.channelUnavailable({ title: channel.closedTitle, description: "" }), {
      parse_mode: "HTML",
    }));
  }
  const previous = ctx.session.keypad;
  if (previous) {
    await ctx.api
      .editMessageText(previous.chatId, previous.messageId, ctx.t.keypadReplaced(), { parse_mode: "HTML" })
      .catch(() => undefined);
  }
  const sent = await ctx.reply(keypadText(ctx, channel, ""), {
    parse_mode: "HTML",
    reply_markup: keypadKeyboard(ctx),
  });
  ctx.session.keypad = {
    channelId,
    amount: "",
    chatId: sent.chat.id,
    messageId: sent.message_id,
    expiresAt: expiry(ctx),
  };
}

/** The toast for a refused keypad tap, in the presser's language. */
function errorToast(ctx: BotContext, error: KeypadError, r: AmountRules, currency: string): string {
  switch (error) {
    case "too_many_decimals":
      return ctx.t.keypadTooManyDecimals();
    case "above_max":
      return ctx.t.keypadAboveMax({ max: r.max, currency });
    case "already_has_point":
      return ctx.t.keypadAlreadyHasPoint();
    case "empty":
      return ctx.t.keypadEmpty();
    case "below_min":
      return ctx.t.keypadBelowMin({ min: r.min, currency });
  }
}

/** The donation keypad: each tap edits the one keypad message in place. */
export function donationsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.callbackQuery(/^kp:(.+)$/, async (ctx) => {
    const key = ctx.match[1]!;
    const state: KeypadSession | undefined = ctx.session.keypad;
    const messageId = ctx.callbackQuery.message?.message_id;
    if (!isKeypadKey(key) || !state || state.messageId !== messageId) {
      await toast(ctx, ctx.t.keypadStale());
      await show(ctx, ctx.t.keypadInactive());
      return;
    }
    const loaded = await loadChannel(ctx.services.db, state.channelId);
    if (loaded?.channel.status !== "active") {
      ctx.session.keypad = undefined;
      await toast(ctx, ctx.t.offerChangedToast());
      return show(
        ctx,
        ctx.t.channelUnavailable({ title: loaded?.channel.closedTitle ?? "", description: "" }),
      );
    }
    const { channel } = loaded;
    if (ctx.services.now().getTime() > Date.parse(state.expiresAt)) {
      ctx.session.keypad = undefined;
      await toast(ctx, ctx.t.keypadTimedOutToast());
      const again = deepLinkUrl(ctx.services.settings.botUsername, {
        kind: "donation",
        channelId: channel.id,
      });
      return show(ctx, ctx.t.keypadTimedOut(), new InlineKeyboard().url(ctx.t.startAgainButton(), again));
    }
    if (key === "cancel") {
      ctx.session.keypad = undefined;
      await toast(ctx);
      return show(ctx, ctx.t.donationCancelled());
    }
    const rules = rulesFor(ctx, channel);
    if (key === "ok") {
      const result = confirmAmount(state.amount, rules);
      if (!result.ok) return toast(ctx, errorToast(ctx, result.error, rules, channel.donationCurrency), true);
      ctx.session.keypad = undefined;
      await toast(ctx, ctx.t.preparingInvoice());
      const order = await openOrder(ctx.services, {
        kind: "donation",
        userId: BigInt(ctx.from.id),
        channel,
        amount: result.amount,
      });
      return presentOrder(ctx, order, channel, undefined);
    }
    const result = pressKey(state.amount, key, rules);
    if (!result.ok) return toast(ctx, errorToast(ctx, result.error, rules, channel.donationCurrency));
    ctx.session.keypad = { ...state, amount: result.amount, expiresAt: expiry(ctx) };
    await toast(ctx);
    await show(ctx, keypadText(ctx, channel, result.amount), keypadKeyboard(ctx));
  });

  return composer;
}
