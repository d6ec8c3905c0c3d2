import { sequentialize } from "@grammyjs/runner";
import { type Db, processedUpdates } from "@telepay/db";
import { botTexts, resolveLocale } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { Bot, type BotError, Composer, type Middleware, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { BotContext, BotServices, SessionData } from "./context.ts";
import { botMembershipFeature } from "./features/bot-membership.ts";
import { broadcastFeature } from "./features/broadcast.ts";
import { checkoutFeature } from "./features/checkout.ts";
import { donationsFeature } from "./features/donations.ts";
import { fallbackFeature, helpFeature, trackUsers } from "./features/general.ts";
import { joinRequestsFeature } from "./features/join-requests.ts";
import { languageFeature } from "./features/language.ts";
import { myChannelsFeature } from "./features/my-channels.ts";
import { newChannelFeature } from "./features/new-channel.ts";
import { ownerPromosFeature } from "./features/owner-promos.ts";
import { promoFeature } from "./features/promo.ts";
import { refundsFeature } from "./features/refunds.ts";
import { reviewsFeature } from "./features/reviews.ts";
import { starsCheckoutFeature, starsFeature, starsPaymentsFeature } from "./features/stars.ts";
import { subscriberFeature } from "./features/subscriber.ts";
import { HTML } from "./reply.ts";
import { createSessionStorage } from "./session-storage.ts";

/** The update types the bot needs; chat_member and my_chat_member are only sent when listed. */
export const ALLOWED_UPDATES = [
  "message",
  "callback_query",
  "chat_join_request",
  "chat_member",
  "my_chat_member",
  "pre_checkout_query",
] as const;

export interface CreateBotOptions {
  token: string;
  apiRoot?: string;
  botInfo: UserFromGetMe;
  services: BotServices;
  /** Installs transformers (rate-limited sender, ...) on the bot's Api. */
  configureApi?: (bot: Bot<BotContext>) => void;
}

/**
 * Claims each update_id in the database before handling it, so a webhook retry or a second
 * instance never handles the same update twice. A failure releases the claim, so Telegram's
 * redelivery is handled instead of dropped.
 */
export function dedupeUpdates(db: Db): Middleware<BotContext> {
  return async function dedupe(ctx, next) {
    const updateId = ctx.update.update_id;
    const claimed = await db
      .insert(processedUpdates)
      .values({ updateId })
      .onConflictDoNothing()
      .returning({ updateId: processedUpdates.updateId });
    if (claimed.length === 0) {
      ctx.services.logger.debug({ updateId }, "duplicate update skipped");
      return;
    }
    try {
      await next();
    } catch (err) {
      await db
        .delete(processedUpdates)
        .where(eq(processedUpdates.updateId, updateId))
        .catch(() => undefined);
      throw err;
    }
  };
}

/** Sessions are per user in private chats only; group/channel updates carry no session. */
function sessionKey(ctx: Omit<BotContext, "session">): string | undefined {
  return ctx.chat?.type === "private" && ctx.from ? `u${ctx.from.id}` : undefined;
}

/** Logs the failure and tells the user something went wrong, instead of leaving them hanging. */
async function onFeatureError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  ctx.services.logger.error(
    {
      err:
        err.error instanceof Error
          ? { message: err.error.message, stack: err.error.stack }
          : String(err.error),
      updateId: ctx.update.update_id,
    },
    "update handling failed",
  );
  if (ctx.callbackQuery)
    await ctx.answerCallbackQuery({ text: ctx.t.somethingWentWrongToast() }).catch(() => undefined);
  if (ctx.chat?.type === "private") await ctx.reply(ctx.t.somethingWentWrong(), HTML).catch(() => undefined);
}

/** Builds the grammY bot: shared services, de-duplication, per-user ordering, DB session, features. */
export function createBot(options: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    botInfo: options.botInfo,
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  options.configureApi?.(bot);
  const { services } = options;

  bot.use(async function injectServices(ctx, next) {
    ctx.services = services;
    // Telegram's language until trackUsers knows the user's /language choice.
    ctx.t = botTexts(resolveLocale(ctx.from?.language_code));
    await next();
  });
  bot.use(dedupeUpdates(services.db));
  // Before per-user ordering and sessions: the pre-checkout answer is due within 10 s.
  bot.use(starsCheckoutFeature());
  // Updates of one user are handled in order (fast keypad taps must not race on the session).
  bot.use(
    sequentialize((ctx: BotContext) =>
      ctx.from ? String(ctx.from.id) : ctx.chat ? String(ctx.chat.id) : undefined,
    ),
  );
  bot.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: createSessionStorage<SessionData>(services.db),
      getSessionKey: sessionKey,
    }),
  );

  // Outside the error boundary: a charge that fails to record must fail the update, so Telegram
  // redelivers it. (The payer is a known user: their order references them.)
  bot.use(starsPaymentsFeature());

  const features = new Composer<BotContext>();
  features.use(trackUsers());
  features.use(helpFeature());
  features.use(languageFeature());
  // Before the flows that take text: a pending review note is answered first.
  features.use(reviewsFeature());
  features.use(refundsFeature());
  features.use(newChannelFeature());
  features.use(myChannelsFeature());
  // After the flows above: their texts are theirs while they run (each clears the others' state).
  features.use(broadcastFeature());
  features.use(donationsFeature());
  features.use(starsFeature());
  // After the text-taking flows above: one started there is answered first (each start clears these).
  features.use(ownerPromosFeature());
  features.use(promoFeature());
  features.use(subscriberFeature());
  features.use(checkoutFeature());
  features.use(joinRequestsFeature());
  features.use(botMembershipFeature());
  features.use(fallbackFeature());
  bot.errorBoundary(onFeatureError, features);

  bot.catch((err) => {
    services.logger.error(
      { err: String(err.error), updateId: err.ctx.update.update_id },
      "update failed outside features",
    );
  });
  return bot;
}
