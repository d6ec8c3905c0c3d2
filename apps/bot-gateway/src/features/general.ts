import { botTexts as t } from "@telepay/telegram";
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { HTML, show, toast } from "../reply.ts";
import { core } from "../services/core.ts";

/** Keeps `users` current for everyone who talks to the bot (orders reference it). */
export function trackUsers(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").use(async (ctx, next) => {
    const from = ctx.from;
    await core(ctx.services).users.track({
      telegramId: BigInt(from.id),
      username: from.username ?? null,
      firstName: from.first_name,
      languageCode: from.language_code ?? null,
    });
    await next();
  });
  return composer;
}

/** /help, and friendly answers for anything no other feature handled. */
export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("help", (ctx) => ctx.reply(t.help(), HTML));
  return composer;
}

/** Registered last: unknown commands/text and buttons from an older version of a screen. */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.on("callback_query", async (ctx) => {
    await toast(ctx, t.offerChangedToast());
    await show(ctx, t.staleButton());
  });
  pm.on("message", (ctx) => ctx.reply(t.unknownInput(), HTML));
  return composer;
}
