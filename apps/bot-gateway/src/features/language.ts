import { botTexts, LANGUAGE_CALLBACK, parseLanguageCallback } from "@telepay/telegram";
import { Composer } from "grammy";
import { isOwner, setOwnerMenu } from "../commands.ts";
import type { BotContext } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";
import { languageKeyboard } from "./language-keyboard.ts";
import { applyChannelLanguage } from "./my-channels.ts";
import { applyOnboardingLanguage } from "./new-channel.ts";

/**
 * /language: the user picks the language the bot and the notifier write to them in. Stored in
 * users.language through the core; it wins over Telegram's language_code from then on. The same
 * keyboard picks a channel's post language (the owner's summary and panel).
 */
export function languageFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("language", async (ctx) => {
    await ctx.reply(ctx.t.languagePrompt(), {
      ...HTML,
      reply_markup: languageKeyboard((locale) => ({ target: "user", locale }), ctx.t.locale),
    });
  });

  pm.callbackQuery(LANGUAGE_CALLBACK, async (ctx) => {
    const cb = parseLanguageCallback(ctx.callbackQuery.data);
    if (!cb) {
      await toast(ctx, ctx.t.staleButtonToast());
      return;
    }
    if (cb.target === "onboarding") return applyOnboardingLanguage(ctx, cb.locale);
    if (cb.target === "channel") return applyChannelLanguage(ctx, cb.channelId, cb.locale);
    const userId = BigInt(ctx.from.id);
    await core(ctx.services).users.setLanguage(userId, cb.locale);
    ctx.t = botTexts(cb.locale);
    await toast(ctx, ctx.t.languageSavedToast());
    await show(ctx, ctx.t.languageSaved());
    // An owner's menu is their own: show it in the new language too.
    if (await isOwner(ctx.services.db, userId)) {
      await setOwnerMenu(ctx.api, ctx.services.db, userId).catch((err: unknown) =>
        ctx.services.logger.warn({ err: String(err) }, "owner command menu not updated"),
      );
    }
  });

  return composer;
}
