import {
  type BotGatewayHandle,
  createApp as createBotGateway,
  dashboardHeaders,
  isDashboardPage,
} from "@telepay/bot-gateway";
import { createReconciler, type ReconcileSettings } from "@telepay/commerce";
import {
  type AppHandle,
  DEFAULT_UNDERPAID_TOLERANCE_PERCENT,
  type HealthReport,
  type Logger,
} from "@telepay/config";
import type { Database } from "@telepay/db";
import {
  createInProcessBus,
  createOutboxRelay,
  deadLettersToDatabase,
  type InProcessBus,
  type OutboxRelay,
} from "@telepay/events";
import { createApp as createNotifier, type NotifierApp } from "@telepay/notifier";
import { createNowPaymentsClient } from "@telepay/payments";
import { createErrorHandler, notFound, requestIdOf, requestIds, securityHeaders } from "@telepay/security";
import { createTelegramApi, type TelegramApi } from "@telepay/telegram";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { type Context, Hono } from "hono";

export interface StandaloneConfig {
  telegram: {
    token: string;
    apiRoot?: string | undefined;
    /** TELEGRAM_MODE: "polling" (default) or "webhook" (updates on POST /telegram/webhook). */
    mode?: "polling" | "webhook";
    /** TELEGRAM_WEBHOOK_SECRET: required in webhook mode. */
    webhookSecret?: string;
    /** TELEGRAM_WEBHOOK_URL: default publicBaseUrl/telegram/webhook. */
    webhookUrl?: string;
  };
  nowPayments: {
    apiKey: string;
    ipnSecret: string;
    apiBase: string;
    allowedIps: string[];
    /** PAYMENT_UNDERPAID_TOLERANCE_PERCENT (see IngressConfig); default 1. */
    underpaidTolerancePercent?: string;
    /** NOWPAYMENTS_EMAIL / NOWPAYMENTS_PASSWORD: the JWT login reconciliation's payment list needs. */
    login?: { email: string; password: string } | undefined;
  };
  /** Reconciliation with NOWPayments: its timer (0 = only at start) and settings. */
  reconcile?: ReconcileSettings & { intervalMs?: number };
  /** Where this process is reachable from NOWPayments (ipn_callback_url) and, by default, Telegram. */
  publicBaseUrl: string;
  signingSecret: string;
  /** ALLOWED_IPS: who may call /jobs/* (the CLI on this machine: loopback). */
  allowedIps: string[];
  rateLimit: { perMinute: number; burst: number };
  trustedProxyHops: number;
  sweepIntervalMs: number;
  /** REMINDER_DAYS (default the notifier's: 3,1). */
  reminderDays?: readonly number[];
  /** SWEEP_BATCH_SIZE (default the notifier's). */
  sweepBatchSize?: number;
  /** How often unfinished grants and notices are resumed (default 5 s). */
  redriveIntervalMs?: number;
  /** DASHBOARD_INIT_DATA_MAX_AGE_SECONDS (default 3600). */
  dashboardInitDataMaxAgeSeconds?: number;
  /** BROADCASTS_PER_CHANNEL_PER_DAY (default 3). */
  broadcastsPerDay?: number;
  /** Outbox relay poll interval; commits also kick it, so this only bounds the catch-up delay. */
  relayIntervalMs?: number;
  /** SETTLEMENT and DIRECT_PAY_CURRENCIES (docs/settlement.md); default operator. */
  settlement?: { mode: "operator" | "direct"; coins: string[] };
}

export interface Standalone extends AppHandle {
  readonly bus: InProcessBus;
  readonly relay: OutboxRelay;
  readonly api: TelegramApi;
  readonly ingress: AppHandle;
  readonly notifier: NotifierApp;
  readonly bot: BotGatewayHandle;
}

/**
 * All three services in one process: the same createApp() code the Cloud Run entrypoints run,
 * joined by the in-process bus and one outbox relay, sharing one rate-limited Telegram sender (so
 * the process stays within one bot's limits). The caller owns the database and the HTTP server.
 */
export async function createStandalone(deps: {
  database: Database;
  config: StandaloneConfig;
  logger: Logger;
  /** The bot's clock (tests that show seeded figures as of a fixed instant); default the system clock. */
  now?: () => Date;
}): Promise<Standalone> {
  const { database, config, logger } = deps;
  const bus = createInProcessBus({ logger, onDeadLetter: deadLettersToDatabase(database.db, logger) });
  const relay = createOutboxRelay({ db: database.db, bus, logger });
  const api = createTelegramApi({
    token: config.telegram.token,
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    logger,
  });
  const me = await api.getMe();
  const botUsername = me.username;

  const ingress = await createIngress({
    db: database,
    bus,
    relay,
    config: {
      ipnSecret: config.nowPayments.ipnSecret,
      allowedIps: config.nowPayments.allowedIps,
      underpaidTolerancePercent: config.nowPayments.underpaidTolerancePercent,
      trustedProxyHops: config.trustedProxyHops,
      rateLimit: config.rateLimit,
    },
    logger,
  });
  const payments = createNowPaymentsClient({
    apiKey: config.nowPayments.apiKey,
    baseUrl: config.nowPayments.apiBase,
    login: config.nowPayments.login,
  });
  const { intervalMs: reconcileIntervalMs = 60_000, ...reconcileSettings } = config.reconcile ?? {};
  const reconciler = createReconciler({
    db: database.db,
    onEnqueued: () => relay.kick(),
    source: payments,
    policy: {
      underpaidTolerancePercent:
        config.nowPayments.underpaidTolerancePercent ?? DEFAULT_UNDERPAID_TOLERANCE_PERCENT,
    },
    settings: reconcileSettings,
  });
  if (!payments.canListPayments) {
    logger.warn(
      {},
      "no NOWPAYMENTS_EMAIL/NOWPAYMENTS_PASSWORD: reconciliation cannot find payments whose every IPN was lost",
    );
  }
  const notifier = await createNotifier({
    db: database,
    bus,
    api,
    relay,
    reconciler,
    config: {
      reconcileIntervalMs,
      starsReconcileIntervalMs: reconcileIntervalMs,
      botUsername,
      ...(config.reminderDays ? { reminderDays: config.reminderDays } : {}),
      ...(config.sweepBatchSize ? { sweepBatchSize: config.sweepBatchSize } : {}),
      sweepIntervalMs: config.sweepIntervalMs,
      redriveIntervalMs: config.redriveIntervalMs ?? 5_000,
      // The embedded database is locked to this process: a killed previous run's leases are void.
      exclusive: database.kind === "pglite",
      signingSecret: config.signingSecret,
      allowedIps: config.allowedIps,
      trustedProxyHops: config.trustedProxyHops,
      // Events come from the in-process bus: no push route exists to forge them through.
      consume: "subscribe",
    },
    logger,
  });
  const bot = await createBotGateway({
    db: database,
    api,
    relay,
    payments,
    config: {
      token: config.telegram.token,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      mode: config.telegram.mode ?? "polling",
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.telegram.webhookUrl ? { webhookUrl: config.telegram.webhookUrl } : {}),
      publicBaseUrl: config.publicBaseUrl,
      botUsername,
      ...(config.dashboardInitDataMaxAgeSeconds
        ? { dashboard: { initDataMaxAgeSeconds: config.dashboardInitDataMaxAgeSeconds } }
        : {}),
      ...(config.settlement ? { settlement: config.settlement } : {}),
      ...(config.broadcastsPerDay !== undefined ? { broadcastsPerDay: config.broadcastsPerDay } : {}),
      ...(config.reminderDays ? { reminderDays: [...config.reminderDays] } : {}),
    },
    logger,
    ...(deps.now ? { now: deps.now } : {}),
  });

  const parts: AppHandle[] = [ingress, notifier, bot];
  const app = new Hono();
  // This app answers /health, unknown paths and its own failures; the same format as the services.
  app.onError(createErrorHandler({ logger }));
  app.notFound(notFound);
  app.use(requestIds());
  // The dashboard's page may run its script and be framed by Telegram Web; everything else keeps
  // the strict API headers.
  const apiHeaders = securityHeaders();
  const pageHeaders = dashboardHeaders();
  app.use((c, next) => (isDashboardPage(c.req.path) ? pageHeaders : apiHeaders)(c, next));
  async function health(): Promise<HealthReport> {
    const reports = await Promise.all(parts.map((p) => p.health()));
    const components: Record<string, string> = {};
    for (const r of reports) {
      for (const [k, v] of Object.entries(r.components)) {
        // A component is ok only if every service sees it ok.
        if (components[k] === undefined || components[k] === "ok") components[k] = v;
      }
    }
    const security = reports.find((r) => r.service === ingress.name)?.security;
    return {
      status: reports.every((r) => r.status === "healthy") ? "healthy" : "unhealthy",
      service: "standalone",
      components,
      ...(security ? { security } : {}),
    };
  }
  app.get("/health", async function standaloneHealth(c) {
    const report = await health();
    return c.json(report, report.status === "healthy" ? 200 : 503);
  });
  // Each service keeps its own middleware stack (the IPN route's IP allowlist must not guard the
  // job routes, and so on), so requests are handed to the owning app rather than merged routers.
  // The request id assigned here goes along, so logs and the error body carry one id. There is no
  // /pubsub/*: events travel on the in-process bus.
  const forward = (target: AppHandle) => (c: Context) => {
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-request-id", requestIdOf(c));
    return target.app.fetch(new Request(c.req.raw, { headers }), c.env);
  };
  app.all("/webhooks/*", forward(ingress));
  app.all("/telegram/*", forward(bot));
  app.all("/dashboard", forward(bot));
  app.all("/dashboard/*", forward(bot));
  app.all("/jobs/*", forward(notifier));

  let started = false;
  let stopped = false;
  return {
    name: "standalone",
    app,
    bus,
    relay,
    api,
    ingress,
    notifier,
    bot,
    health,
    async start() {
      if (started) return;
      started = true;
      await ingress.start();
      await notifier.start();
      relay.start(config.relayIntervalMs ?? 1000);
      await bot.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop taking new work first (updates). Then drop Telegram calls still waiting for a rate-limit
      // slot: the grants and notices they belong to are rows, rescheduled and resumed at the next
      // start, so in-flight events finish at once instead of outliving the shutdown deadline.
      await bot.stop();
      api.sender.close();
      await relay.stop();
      await notifier.stop();
      await ingress.stop();
      await bus.close();
    },
  };
}
