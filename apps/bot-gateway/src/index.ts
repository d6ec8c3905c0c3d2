import { timingSafeEqual } from "node:crypto";
import { createReports, DEFAULT_REMINDER_DAYS } from "@telepay/commerce";
import type { AppHandle, HealthReport, Logger } from "@telepay/config";
import { botSessions, type Database, processedUpdates } from "@telepay/db";
import {
  BODY_LIMITS,
  createErrorHandler,
  limitBody,
  notFound,
  requestIds,
  securityHeaders,
} from "@telepay/security";
import { catalogs } from "@telepay/telegram";
import { lt } from "drizzle-orm";
import { type Api, type Bot, Api as GrammyApi } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { type Context, Hono, type Next } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { ALLOWED_UPDATES, createBot } from "./bot.ts";
import { installMenus } from "./commands.ts";
import type { BotContext, BotServices, InvoiceClient } from "./context.ts";
import { createDashboard, dashboardHeaders, isDashboardPage } from "./dashboard/index.ts";

export { ALLOWED_UPDATES, createBot, dedupeUpdates } from "./bot.ts";
export { installMenus, ownerCommands, subscriberCommands } from "./commands.ts";
export type {
  BotContext,
  BotServices,
  InvoiceClient,
  SessionData,
  SettlementSettings,
} from "./context.ts";
export { dashboardHeaders, isDashboardPage } from "./dashboard/index.ts";
export { createSessionStorage } from "./session-storage.ts";

const SERVICE = "bot-gateway";
const DAY_MS = 86_400_000;

const decimalAmount = z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "a decimal amount with at most 2 decimals");

/** Settings of the bot gateway, validated when the app is created (bad config fails start-up). */
export const botConfigSchema = z
  .object({
    token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like <bot id>:<key>"),
    apiRoot: z.url().optional(),
    mode: z.enum(["polling", "webhook"]),
    webhookSecret: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/)
      .optional(),
    /** Where webhook-ingress is reachable; ipn_callback_url = PUBLIC_BASE_URL/webhooks/nowpayments. */
    publicBaseUrl: z.url(),
    /** Where Telegram should POST updates in webhook mode; default PUBLIC_BASE_URL/telegram/webhook. */
    webhookUrl: z.url().optional(),
    /** Where this service's /dashboard is reachable (see dashboardUrlOf for the default). */
    dashboardUrl: z.url().optional(),
    /** Skips getMe at start-up when given. */
    botUsername: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/)
      .optional(),
    donation: z
      .object({
        min: decimalAmount.default("4.99"),
        max: decimalAmount.default("9999.99"),
        currency: z.string().min(3).default("USD"),
        timeoutMs: z
          .number()
          .int()
          .positive()
          .default(10 * 60_000),
      })
      .prefault({}),
    conversationTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(60 * 60_000),
    orderReuseMs: z
      .number()
      .int()
      .positive()
      .default(30 * 60_000),
    /**
     * SETTLEMENT (docs/settlement.md): `direct` makes each payment with the owner's wallet as
     * payout_address (in-chat checkout, coins from DIRECT_PAY_CURRENCIES) and checks new wallets.
     */
    settlement: z
      .object({
        mode: z.enum(["operator", "direct"]).default("operator"),
        coins: z
          .array(z.string().regex(/^[a-z0-9]{2,20}$/, "a lower-case NOWPayments ticker"))
          .min(1)
          .max(12)
          .default(["btc", "eth", "ltc", "usdttrc20"]),
      })
      .prefault({}),
    /** BROADCASTS_PER_CHANNEL_PER_DAY: broadcasts one channel may start in 24 hours (/broadcast). */
    broadcastsPerDay: z.number().int().min(0).max(100).default(3),
    /** REMINDER_DAYS: when the sweep reminds; trials started here set next_check_at from it. */
    reminderDays: z.array(z.number().int().positive()).default([...DEFAULT_REMINDER_DAYS]),
    /** The owner dashboard (Mini App at PUBLIC_BASE_URL/dashboard). */
    dashboard: z
      .object({
        /** DASHBOARD_INIT_DATA_MAX_AGE_SECONDS: an initData signed longer ago than this is refused. */
        initDataMaxAgeSeconds: z.number().int().positive().default(3600),
      })
      .prefault({}),
  })
  .refine((c) => c.mode !== "webhook" || c.webhookSecret, {
    message: "webhookSecret is required in webhook mode",
    path: ["webhookSecret"],
  });

export type BotConfig = z.input<typeof botConfigSchema>;

export interface BotGatewayDeps {
  db: Database;
  config: BotConfig;
  payments: InvoiceClient;
  /** An Api whose transformers (the shared rate-limited sender) the bot installs on its own Api. */
  api?: Api;
  /** Publishes enqueued events soon after an owner action (the outbox relay). */
  relay?: { kick(): void };
  logger: Logger;
  /** Injected clock (tests). */
  now?: () => Date;
}

export interface BotGatewayHandle extends AppHandle {
  /** The grammY bot (tests drive updates through it; standalone may share it). */
  readonly bot: Bot<BotContext>;
}

/**
 * Where the /mychannels button opens the dashboard, which this service serves: DASHBOARD_URL, else
 * the origin Telegram posts updates to (TELEGRAM_WEBHOOK_URL is this service), else
 * PUBLIC_BASE_URL (standalone serves both on one port). PUBLIC_BASE_URL alone would be wrong on
 * Cloud Run, where it is webhook-ingress. Telegram accepts only https Mini App URLs (an http one
 * makes it refuse the whole message), so on plain http there is no button, except against an
 * emulated Bot API (TELEGRAM_API_ROOT), as in the demo and tests.
 */
export function dashboardUrlOf(config: {
  dashboardUrl?: string | undefined;
  webhookUrl?: string | undefined;
  publicBaseUrl: string;
  apiRoot?: string | undefined;
}): string | undefined {
  const url = config.dashboardUrl
    ? new URL(config.dashboardUrl)
    : new URL("/dashboard", config.webhookUrl ?? config.publicBaseUrl.replace(/\/?$/, "/"));
  return url.protocol === "https:" || config.apiRoot ? url.toString() : undefined;
}

function secretEquals(expected: string, got: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The bot gateway: Telegram updates by webhook (`POST /telegram/webhook`) or long polling,
 * `GET /health`. Nothing connects until `start()` except getMe when no bot username is configured.
 */
export async function createApp(deps: BotGatewayDeps): Promise<BotGatewayHandle> {
  const parsed = botConfigSchema.safeParse(deps.config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    throw new TypeError(`bot-gateway config is invalid: ${issues}`);
  }
  const config = parsed.data;
  // Read the message catalogs now: a package without its locales/ fails at start, not at the first reply.
  catalogs();
  const logger = deps.logger;
  const botId = Number(config.token.split(":")[0]);

  let botInfo: UserFromGetMe;
  if (config.botUsername) {
    botInfo = {
      id: botId,
      is_bot: true,
      first_name: config.botUsername,
      username: config.botUsername,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
    } as UserFromGetMe;
  } else {
    // A static import: grammY is loaded with the bot anyway, and a bundled dynamic import() of this
    // CommonJS package would only expose `default` (tooling/package/package.ts refuses that).
    const probe = new GrammyApi(config.token, config.apiRoot ? { apiRoot: config.apiRoot } : {});
    if (deps.api) probe.config.use(...deps.api.config.installedTransformers());
    botInfo = await probe.getMe();
  }

  const now = deps.now ?? (() => new Date());
  const reports = createReports({ db: deps.db.db, now });
  const services: BotServices = {
    db: deps.db.db,
    reports,
    payments: deps.payments,
    logger,
    now,
    kickRelay: () => {
      try {
        deps.relay?.kick();
      } catch (err) {
        logger.warn({ err: String(err) }, "relay kick failed");
      }
    },
    settings: {
      botUsername: botInfo.username,
      botId: botInfo.id,
      ipnCallbackUrl: new URL("/webhooks/nowpayments", config.publicBaseUrl.replace(/\/?$/, "/")).toString(),
      donation: config.donation,
      conversationTimeoutMs: config.conversationTimeoutMs,
      orderReuseMs: config.orderReuseMs,
      broadcastsPerDay: config.broadcastsPerDay,
      reminderDays: config.reminderDays,
      dashboardUrl: dashboardUrlOf(config),
      settlement: config.settlement,
    },
  };

  const bot = createBot({
    token: config.token,
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
    botInfo,
    services,
    configureApi: (b) => {
      if (deps.api) b.api.config.use(...deps.api.config.installedTransformers());
    },
  });

  let inFlight = 0;
  let idle: (() => void) | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;
  let menus: Promise<unknown> | undefined;
  const menusAbort = new AbortController();

  const app = new Hono();
  app.onError(createErrorHandler({ logger }));
  app.notFound(notFound);
  app.use(requestIds());
  const apiHeaders = securityHeaders();
  const pageHeaders = dashboardHeaders();
  app.use((c, next) => (isDashboardPage(c.req.path) ? pageHeaders : apiHeaders)(c, next));
  app.route(
    "/",
    createDashboard({
      db: deps.db.db,
      reports,
      api: bot.api,
      botId: botInfo.id,
      botToken: config.token,
      initDataMaxAgeSeconds: config.dashboard.initDataMaxAgeSeconds,
      now,
      kickRelay: services.kickRelay,
    }),
  );

  // The secret token is a header: checked before any of the body is read, which is then bounded.
  async function webhookSecretToken(c: Context, next: Next) {
    if (config.mode !== "webhook" || !config.webhookSecret)
      throw new HTTPException(404, { message: "webhook mode is off" });
    if (!secretEquals(config.webhookSecret, c.req.header("x-telegram-bot-api-secret-token") ?? "")) {
      throw new HTTPException(401, { message: "bad secret token" });
    }
    await next();
  }

  app.post(
    "/telegram/webhook",
    webhookSecretToken,
    limitBody({ maxBytes: BODY_LIMITS.telegramUpdate }),
    async function telegramWebhook(c) {
      let update: Update;
      try {
        update = await c.req.json();
      } catch {
        throw new HTTPException(400, { message: "body is not JSON" });
      }
      if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) {
        throw new HTTPException(400, { message: "not a Telegram update" });
      }
      inFlight++;
      try {
        await bot.handleUpdate(update);
      } catch (err) {
        // Non-2xx makes Telegram redeliver; the de-duplication claim was released for exactly this.
        logger.error({ err: String(err), updateId: update.update_id }, "webhook update failed");
        throw new HTTPException(500, { message: "update failed" });
      } finally {
        inFlight--;
        if (inFlight === 0) idle?.();
      }
      return c.json({ ok: true });
    },
  );

  async function health(): Promise<HealthReport> {
    const dbOk = await deps.db.health();
    const components: Record<string, string> = { database: dbOk ? "ok" : "unreachable" };
    if (config.mode === "polling") components.telegram = stopped || bot.isRunning() ? "ok" : "not polling";
    const healthy = Object.values(components).every((v) => v === "ok");
    return { status: healthy ? "healthy" : "unhealthy", service: SERVICE, components };
  }

  app.get("/health", async (c) => {
    const report = await health();
    return c.json(report, report.status === "healthy" ? 200 : 503);
  });

  async function prune(): Promise<void> {
    const now = services.now();
    await services.db
      .delete(processedUpdates)
      .where(lt(processedUpdates.receivedAt, new Date(now.getTime() - 2 * DAY_MS)));
    await services.db.delete(botSessions).where(lt(botSessions.expiresAt, now));
  }

  return {
    name: SERVICE,
    app,
    bot,
    health,
    async start() {
      pruneTimer = setInterval(() => {
        prune().catch((err: unknown) => logger.warn({ err: String(err) }, "pruning bot state failed"));
      }, 3_600_000);
      pruneTimer.unref();
      // The command menus (per language; owners' own, paced): in the background, and a failure
      // here must not stop the bot.
      menus = installMenus(bot.api, services.db, logger, { paceMs: 100, signal: menusAbort.signal })
        .then((r) => logger.info(r, "command menus set"))
        .catch((err: unknown) => logger.warn({ err: String(err) }, "setMyCommands failed"));
      if (config.mode === "webhook") {
        const url =
          config.webhookUrl ??
          new URL("/telegram/webhook", config.publicBaseUrl.replace(/\/?$/, "/")).toString();
        await bot.api.setWebhook(url, {
          secret_token: config.webhookSecret!,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info({ url }, "telegram webhook set");
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            allowed_updates: [...ALLOWED_UPDATES],
            onStart: () => resolve(),
          })
          .catch((err: unknown) => {
            logger.error({ err: String(err) }, "polling stopped with an error");
            reject(err);
          });
      });
      logger.info({ bot: botInfo.username }, "telegram long polling started");
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(pruneTimer);
      menusAbort.abort();
      await menus;
      if (bot.isRunning()) await bot.stop();
      await polling?.catch(() => undefined);
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            idle = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, 10_000).unref()),
        ]);
      }
    },
  };
}
