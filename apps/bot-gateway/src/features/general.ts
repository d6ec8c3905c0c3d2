import { botTexts, resolveLocale } from "@telepay/telegram";
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";

/**
 * Keeps `users` current for everyone who talks to the bot (orders reference it), and switches
 * this update's texts to the language they picked with /language.
 */
export function trackUsers(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").use(async (ctx, next) => {
    const from = ctx.from;
    const { language } = await core(ctx.services).users.track({
      telegramId: BigInt(from.id),
      username: from.username ?? null,
      firstName: from.first_name,
      languageCode: from.language_code ?? null,
    });
    if (language) ctx.t = botTexts(resolveLocale(language, from.language_code));
    await next();
  });
  return composer;
}

/** /help, and friendly answers for anything no other feature handled. */
export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("help", (ctx) => ctx.reply(ctx.t.help(), HTML));
  return composer;
}

/** Registered last: unknown commands/text and buttons from an older version of a screen. */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.on("callback_query", async (ctx) => {
    await toast(ctx, ctx.t.offerChangedToast());
    await show(ctx, ctx.t.staleButton());
  });
  pm.on("message", (ctx) => ctx.reply(ctx.t.unknownInput(), HTML));
  return composer;
}
