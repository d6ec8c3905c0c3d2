import { CommerceError, CommerceErrorCode, MAX_CHANNEL_TEXT } from "@telepay/commerce";
import { channels } from "@telepay/db";
import { checkoutTexts, type Locale } from "@telepay/telegram";
import { eq, or } from "drizzle-orm";
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { setOwnerMenu } from "../commands.ts";
import type { BotContext } from "../context.ts";
import {
  type ChatRef,
  type OnboardingSession,
  type OnboardingStep,
  parseChatReference,
  parseCurrency,
  parseTiers,
  parseWallet,
} from "../onboarding-state.ts";
import { HTML, show, toast } from "../reply.ts";
import { type ChannelRole, checkChannelRights, type RightsProblem } from "../services/chat-rights.ts";
import { core } from "../services/core.ts";
import { languageKeyboard } from "./language-keyboard.ts";

type PrivateCtx = BotContext & { from: { id: number } };

/** Whether an unfinished flow is still alive (abandoned ones expire). */
export function isFresh(ctx: BotContext, updatedAt: string): boolean {
  return ctx.services.now().getTime() - Date.parse(updatedAt) < ctx.services.settings.conversationTimeoutMs;
}

function touch(
  ctx: BotContext,
  state: OnboardingSession,
  step: OnboardingStep,
  patch: Partial<OnboardingSession> = {},
) {
  ctx.session.onboarding = { ...state, ...patch, step, updatedAt: ctx.services.now().toISOString() };
}

async function prompt(ctx: BotContext, step: OnboardingStep): Promise<void> {
  const state = ctx.session.onboarding!;
  switch (step) {
    case "open":
      return void (await ctx.reply(
        ctx.t.onboardOpenPrompt({ botUsername: ctx.services.settings.botUsername }),
        HTML,
      ));
    case "closed":
      return void (await ctx.reply(ctx.t.onboardClosedPrompt({ openTitle: state.open?.title ?? "" }), HTML));
    case "tiers":
      return void (await ctx.reply(
        ctx.t.onboardTiersPrompt({ currency: ctx.services.settings.donation.currency }),
        HTML,
      ));
    case "wallet":
      return void (await ctx.reply(ctx.t.onboardWalletPrompt(), HTML));
    case "currency":
      return void (await ctx.reply(ctx.t.onboardCurrencyPrompt(), HTML));
    case "donation":
      return void (await ctx.reply(ctx.t.onboardDonationPrompt(), HTML));
    case "notifications":
      return void (await ctx.reply(ctx.t.onboardNotificationsPrompt(), {
        ...HTML,
        reply_markup: new InlineKeyboard()
          .text(ctx.t.yesButton(), "ob:notify:yes")
          .text(ctx.t.noButton(), "ob:notify:no"),
      }));
    case "confirm":
      return void (await ctx.reply(
        ctx.t.onboardSummary({
          openTitle: state.open!.title,
          closedTitle: state.closed!.title,
          tiers: state.tiers!.map((x) => ({ ...x, currency: ctx.services.settings.donation.currency })),
          wallet: state.wallet!,
          currency: state.currency!,
          network: state.network ?? null,
          donationMessage: state.donationMessage ?? "",
          notifications: state.notifications ?? true,
          language: postLanguage(ctx, state),
        }),
        { ...HTML, reply_markup: summaryKeyboard(ctx, state) },
      ));
  }
}

/** The language of the new channel's posts: the one picked on the summary, else the owner's. */
function postLanguage(ctx: BotContext, state: OnboardingSession): Locale {
  return state.language ?? ctx.t.locale;
}

/** Confirm / cancel, and the four languages for the channel's posts. */
function summaryKeyboard(ctx: BotContext, state: OnboardingSession): InlineKeyboard {
  return languageKeyboard((locale) => ({ target: "onboarding", locale }), postLanguage(ctx, state))
    .row()
    .text(ctx.t.confirmButton(), "ob:confirm")
    .text(ctx.t.cancelButton(), "ob:cancel");
}

/** A language button on the summary: the posts will be in it; the summary is shown again. */
export async function applyOnboardingLanguage(ctx: BotContext, locale: Locale): Promise<void> {
  const state = ctx.session.onboarding;
  if (state?.step !== "confirm" || !isFresh(ctx, state.updatedAt)) {
    await toast(ctx, ctx.t.staleButtonToast());
    return show(ctx, ctx.t.onboardExpired());
  }
  touch(ctx, state, "confirm", { language: locale });
  await toast(ctx);
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await prompt(ctx, "confirm");
}

/** The channel a message points at: a forwarded post, @username / t.me link, or a numeric id. */
async function identifyChannel(ctx: BotContext, message: Message): Promise<ChatRef | { error: string }> {
  const origin = message.forward_origin;
  if (origin) {
    if (origin.type !== "channel") return { error: ctx.t.onboardNotAChannel() };
    return {
      id: String(origin.chat.id),
      title: origin.chat.title,
      ...(origin.chat.username ? { username: origin.chat.username } : {}),
    };
  }
  const ref = parseChatReference(message.text ?? "");
  if (!ref) return { error: ctx.t.onboardIdentifyHelp() };
  try {
    const chat = await ctx.api.getChat(ref.kind === "username" ? `@${ref.username}` : ref.id);
    if (chat.type !== "channel") return { error: ctx.t.onboardNotAChannel() };
    return {
      id: String(chat.id),
      title: chat.title ?? "",
      ...(chat.username ? { username: chat.username } : {}),
    };
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403)) {
      return { error: ctx.t.onboardCannotSeeChannel() };
    }
    throw err;
  }
}

function rightsProblemText(
  ctx: BotContext,
  problem: RightsProblem,
  title: string,
  role: ChannelRole,
): string {
  switch (problem.kind) {
    case "unreachable":
    case "bot_not_admin":
      return ctx.t.onboardBotNotAdmin({ title, role });
    case "owner_not_admin":
      return ctx.t.onboardOwnerNotAdmin({ title });
    case "bot_missing_rights":
      return ctx.t.onboardBotMissingRights({ title, rights: problem.rights });
  }
}

/**
 * Refuses a chat that is already part of a registered channel: someone else's cannot be taken
 * over, the owner's own points to /mychannels.
 */
async function registrationProblem(
  ctx: PrivateCtx,
  chatId: string,
  title: string,
): Promise<string | undefined> {
  const id = BigInt(chatId);
  const [existing] = await ctx.services.db
    .select({ owner: channels.ownerTelegramId })
    .from(channels)
    .where(or(eq(channels.openChatId, id), eq(channels.closedChatId, id)));
  if (!existing) return undefined;
  return existing.owner === BigInt(ctx.from.id)
    ? ctx.t.onboardAlreadyYours({ title })
    : ctx.t.onboardTaken({ title });
}

async function handleChannelStep(
  ctx: PrivateCtx,
  state: OnboardingSession,
  role: ChannelRole,
): Promise<void> {
  const found = await identifyChannel(ctx, ctx.msg!);
  if ("error" in found) return void (await ctx.reply(found.error, HTML));
  if (role === "closed" && state.open?.id === found.id)
    return void (await ctx.reply(ctx.t.onboardSameChannel(), HTML));
  const taken = await registrationProblem(ctx, found.id, found.title);
  if (taken) return void (await ctx.reply(taken, HTML));
  const problem = await checkChannelRights(ctx.api, found.id, ctx.from.id, ctx.me.id, role);
  if (problem) return void (await ctx.reply(rightsProblemText(ctx, problem, found.title, role), HTML));
  await ctx.reply(ctx.t.onboardChannelVerified({ title: found.title, role }), HTML);
  const next: OnboardingStep = role === "open" ? "closed" : "tiers";
  touch(ctx, state, next, role === "open" ? { open: found } : { closed: found });
  await prompt(ctx, next);
}

/** /newchannel: a guided, restart-proof conversation that ends in a registered channel. */
export function newChannelFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("newchannel", async (ctx) => {
    ctx.session.edit = undefined;
    ctx.session.broadcast = undefined;
    ctx.session.promoDraft = undefined;
    ctx.session.promoEntry = undefined;
    ctx.session.trialEdit = undefined;
    ctx.session.onboarding = { step: "open", updatedAt: ctx.services.now().toISOString() };
    await ctx.reply(ctx.t.onboardIntro(), HTML);
    await prompt(ctx, "open");
  });

  pm.command("cancel", async (ctx) => {
    const busy =
      ctx.session.onboarding ||
      ctx.session.edit ||
      ctx.session.keypad ||
      ctx.session.promoEntry ||
      ctx.session.promoDraft ||
      ctx.session.trialEdit ||
      ctx.session.broadcast;
    ctx.session.onboarding = undefined;
    ctx.session.edit = undefined;
    ctx.session.broadcast = undefined;
    ctx.session.keypad = undefined;
    ctx.session.promoEntry = undefined;
    ctx.session.promoDraft = undefined;
    ctx.session.trialEdit = undefined;
    await ctx.reply(busy ? ctx.t.cancelled() : ctx.t.nothingToCancel(), HTML);
  });

  // Steps that take a message: only while an onboarding is in progress.
  pm.on("message", async (ctx, next) => {
    const state = ctx.session.onboarding;
    if (!state || ctx.msg.text?.startsWith("/")) return next();
    if (!isFresh(ctx, state.updatedAt)) {
      ctx.session.onboarding = undefined;
      return void (await ctx.reply(ctx.t.onboardExpired(), HTML));
    }
    const text = ctx.msg.text ?? "";
    switch (state.step) {
      case "open":
      case "closed":
        return handleChannelStep(ctx, state, state.step);
      case "tiers": {
        const parsed = parseTiers(text);
        if (!parsed.ok) return void (await ctx.reply(ctx.t.onboardInvalid(parsed.error), HTML));
        touch(ctx, state, "wallet", { tiers: parsed.value });
        return prompt(ctx, "wallet");
      }
      case "wallet": {
        const parsed = parseWallet(text);
        if (!parsed.ok) return void (await ctx.reply(ctx.t.onboardInvalid(parsed.error), HTML));
        touch(ctx, state, "currency", { wallet: parsed.value });
        return prompt(ctx, "currency");
      }
      case "currency": {
        const parsed = parseCurrency(text);
        if (!parsed.ok) return void (await ctx.reply(ctx.t.onboardInvalid(parsed.error), HTML));
        // SETTLEMENT=direct: NOWPayments checks the wallet now, by the rule registration applies again.
        if (!(await walletAccepted(ctx, state.wallet!, parsed.value.currency, parsed.value.network))) return;
        touch(ctx, state, "donation", parsed.value);
        return prompt(ctx, "donation");
      }
      case "donation": {
        const message = /^(skip|-)$/i.test(text.trim()) ? "" : text.trim();
        if (message.length > MAX_CHANNEL_TEXT || (!ctx.msg.text && message === "")) {
          return void (await ctx.reply(
            ctx.t.onboardInvalid({ kind: "text_too_long", max: MAX_CHANNEL_TEXT }),
            HTML,
          ));
        }
        touch(ctx, state, "notifications", { donationMessage: message });
        return prompt(ctx, "notifications");
      }
      case "notifications": {
        // The buttons are the way; a typed answer is understood in each of the four languages.
        const yes = /^(y|yes|on|да|sí|si|sim)$/i.test(text.trim());
        const no = /^(n|no|off|нет|não|nao)$/i.test(text.trim());
        if (!yes && !no) return prompt(ctx, "notifications");
        touch(ctx, state, "confirm", { notifications: yes });
        return prompt(ctx, "confirm");
      }
      case "confirm":
        return prompt(ctx, "confirm");
    }
  });

  pm.callbackQuery(/^ob:notify:(yes|no)$/, async (ctx) => {
    const state = ctx.session.onboarding;
    if (state?.step !== "notifications" || !isFresh(ctx, state.updatedAt)) {
      await toast(ctx, ctx.t.staleButtonToast());
      return show(ctx, ctx.t.onboardExpired());
    }
    await toast(ctx);
    touch(ctx, state, "confirm", { notifications: ctx.match[1] === "yes" });
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await prompt(ctx, "confirm");
  });

  pm.callbackQuery("ob:cancel", async (ctx) => {
    ctx.session.onboarding = undefined;
    await toast(ctx);
    await show(ctx, ctx.t.cancelled());
  });

  pm.callbackQuery("ob:confirm", async (ctx) => {
    const state = ctx.session.onboarding;
    if (state?.step !== "confirm" || !isFresh(ctx, state.updatedAt)) {
      await toast(ctx, ctx.t.staleButtonToast());
      return show(ctx, ctx.t.onboardExpired());
    }
    await toast(ctx, ctx.t.checkingRights());
    const open = state.open!;
    const closed = state.closed!;
    // Rights can change while the owner types: verify both channels again right before saving.
    for (const [ref, role] of [
      [open, "open"],
      [closed, "closed"],
    ] as const) {
      const taken = await registrationProblem(ctx, ref.id, ref.title);
      if (taken) {
        ctx.session.onboarding = undefined;
        return show(ctx, taken);
      }
      const problem = await checkChannelRights(ctx.api, ref.id, ctx.from.id, ctx.me.id, role);
      if (problem)
        return show(
          ctx,
          `${rightsProblemText(ctx, problem, ref.title, role)}\n\n${ctx.t.onboardFixAndConfirm()}`,
          summaryKeyboard(ctx, state),
        );
    }
    const ownerId = BigInt(ctx.from.id);
    const { donation } = ctx.services.settings;
    let channelId: number;
    try {
      const created = await core(ctx.services).channels.register(
        { kind: "owner", telegramId: ownerId },
        {
          ownerTelegramId: ownerId,
          openChatId: BigInt(open.id),
          closedChatId: BigInt(closed.id),
          openTitle: open.title,
          closedTitle: closed.title,
          donationMessage: state.donationMessage ?? "",
          tiers: state.tiers!.map((x) => ({
            price: x.price,
            durationDays: x.days,
            label: x.label,
            starsPrice: x.starsPrice ?? null,
          })),
          // Every plan priced in Stars (`⭐250` at the end of its line): sold for crypto and Stars.
          rails: state.tiers!.every((x) => x.starsPrice != null) ? "both" : "crypto",
          // One currency per channel: its tiers are priced in the currency its donations use.
          priceCurrency: donation.currency,
          payoutWallet: state.wallet!,
          payoutCurrency: state.currency!,
          payoutNetwork: state.network ?? null,
          notificationsEnabled: state.notifications ?? true,
          notifyChatId: ownerId,
          donation: { min: donation.min, max: donation.max, currency: donation.currency },
          language: postLanguage(ctx, state),
        },
      );
      channelId = created.channel.id;
    } catch (err) {
      if (isWalletRefusal(err)) {
        // Checked at the wallet step; refused now (NOWPayments changed its mind, or was down): ask again.
        await replyWalletRefusal(ctx, err, state.wallet!, state.currency!);
        touch(ctx, ctx.session.onboarding ?? state, "wallet");
        return prompt(ctx, "wallet");
      }
      if (err instanceof CommerceError && err.code === CommerceErrorCode.CHAT_TAKEN) {
        ctx.session.onboarding = undefined;
        return show(ctx, ctx.t.onboardTaken({ title: open.title }));
      }
      throw err;
    }
    ctx.session.onboarding = undefined;
    ctx.services.logger.info({ channelId, owner: ctx.from.id }, "channel registered");
    await show(ctx, ctx.t.onboardDone({ openTitle: open.title, closedTitle: closed.title }));
    // They are an owner now: /mychannels and /newchannel join their command menu.
    await setOwnerMenu(ctx.api, ctx.services.db, ownerId).catch((err: unknown) =>
      ctx.services.logger.warn({ err: String(err) }, "owner command menu not set"),
    );
  });

  return composer;
}

const isWalletRefusal = (err: unknown): err is CommerceError =>
  err instanceof CommerceError &&
  err.code === CommerceErrorCode.INVALID &&
  err.details.field === "payoutWallet";

async function replyWalletRefusal(ctx: BotContext, err: CommerceError, wallet: string, currency: string) {
  const texts = checkoutTexts(ctx.t.locale);
  const text =
    err.details.reason === "unavailable"
      ? texts.walletUnchecked()
      : err.details.reason === "refused"
        ? texts.walletRefused({ wallet, currency, reason: String(err.details.detail ?? "") })
        : ctx.t.onboardInvalid({ kind: "wallet" });
  await ctx.reply(text, HTML);
}

/**
 * The wallet step's check (commerce channels.checkWallet: the payout format, and NOWPayments' own
 * check when SETTLEMENT=direct). Refused → told why and asked for the wallet again; nothing stored.
 */
async function walletAccepted(
  ctx: BotContext,
  wallet: string,
  currency: string,
  network: string | null,
): Promise<boolean> {
  try {
    await core(ctx.services).channels.checkWallet({ wallet, currency, network });
    return true;
  } catch (err) {
    if (!isWalletRefusal(err)) throw err;
    await replyWalletRefusal(ctx, err, wallet, currency);
    const state = ctx.session.onboarding!;
    touch(ctx, state, "wallet");
    await prompt(ctx, "wallet");
    return false;
  }
}
