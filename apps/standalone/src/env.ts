import {
  broadcastsPerDay,
  checkDatabaseTarget,
  databaseEnv,
  httpUrl,
  integer,
  loadConfig,
  loggingEnv,
  nowPaymentsApiBase,
  nowPaymentsEnv,
  nowPaymentsLoginOf,
  reconcileEnv,
  reconcileSettingsOf,
  reminderDays,
  requireLoginPair,
  requireWebhookSecret,
  securityEnv,
  settlementEnv,
  telegramEnv,
  withRules,
} from "@telepay/config";
import { z } from "zod";
import type { StandaloneConfig } from "./compose.ts";

/**
 * Standalone reads the union of what the three services read (docs/architecture.md#environment), with
 * local defaults: long polling, the in-process bus, PGlite in DATA_DIR, and PUBLIC_BASE_URL
 * defaulting to this process's own port (IPNs only reach it if NOWPayments can, e.g. through a tunnel).
 * TELEGRAM_MODE=webhook takes updates on POST /telegram/webhook instead of polling.
 */
export const standaloneEnvSchema = withRules(
  z.object({
    ...telegramEnv,
    ...nowPaymentsEnv,
    ...reconcileEnv,
    ...settlementEnv,
    ...databaseEnv,
    ...loggingEnv,
    ...securityEnv,
    // Generated and kept in DATA_DIR when unset (see signing-secret.ts): nothing outside this
    // process calls the signed routes unless the operator configures it.
    WEBHOOK_SIGNING_SECRET: securityEnv.WEBHOOK_SIGNING_SECRET.optional(),
    PORT: integer(8080, 0, 65_535),
    PUBLIC_BASE_URL: httpUrl().optional(),
    /** Where Telegram should POST updates in webhook mode; default PUBLIC_BASE_URL/telegram/webhook. */
    TELEGRAM_WEBHOOK_URL: httpUrl().optional(),
    /** How often the built-in expiry sweep runs (Cloud Run uses Cloud Scheduler instead). */
    SWEEP_INTERVAL_SECONDS: integer(60, 5, 86_400),
    /** The owner dashboard refuses an initData signed longer ago than this (docs/dashboard.md). */
    DASHBOARD_INIT_DATA_MAX_AGE_SECONDS: integer(3600, 60, 604_800),
    /** How many broadcasts one channel may start in 24 hours (/broadcast, `telepay broadcast send`). */
    BROADCASTS_PER_CHANNEL_PER_DAY: broadcastsPerDay(),
    /** How often unfinished grants and notices are resumed. */
    REDRIVE_INTERVAL_SECONDS: integer(5, 1, 3_600),
    /** Days before expiry to remind, comma separated (the notifier's and the CLI's setting). */
    REMINDER_DAYS: reminderDays(),
    SWEEP_BATCH_SIZE: integer(1000, 1, 10_000),
  }),
  checkDatabaseTarget,
  requireWebhookSecret,
  requireLoginPair,
  (env, ctx) => {
    // The local default (127.0.0.1) is never reachable by Telegram: webhook mode needs a real address.
    if (env.TELEGRAM_MODE === "webhook" && !env.TELEGRAM_WEBHOOK_URL && !env.PUBLIC_BASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["TELEGRAM_WEBHOOK_URL"],
        message: "is required when TELEGRAM_MODE=webhook, unless PUBLIC_BASE_URL is set",
      });
    }
  },
);

export type StandaloneEnv = z.output<typeof standaloneEnvSchema>;

/** Validates the environment; one ConfigError lists every problem. */
export function loadStandaloneEnv(env: Record<string, string | undefined>) {
  return loadConfig(standaloneEnvSchema, env);
}

/**
 * createStandalone's settings from the validated env, the HTTP port and the signing secret (from
 * WEBHOOK_SIGNING_SECRET or the one kept in DATA_DIR).
 */
export function toStandaloneConfig(
  env: StandaloneEnv,
  local: { port: number; signingSecret: string },
): StandaloneConfig {
  return {
    telegram: {
      token: env.TELEGRAM_BOT_TOKEN,
      apiRoot: env.TELEGRAM_API_ROOT,
      mode: env.TELEGRAM_MODE,
      ...(env.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET } : {}),
      ...(env.TELEGRAM_WEBHOOK_URL ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL } : {}),
    },
    nowPayments: {
      apiKey: env.NOWPAYMENTS_API_KEY,
      ipnSecret: env.NOWPAYMENTS_IPN_SECRET,
      apiBase: apiBaseOf(env),
      allowedIps: env.NOWPAYMENTS_IPN_ALLOWED_IPS,
      underpaidTolerancePercent: env.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
      login: nowPaymentsLoginOf(env),
    },
    reconcile: { intervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000, ...reconcileSettingsOf(env) },
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${local.port}`,
    signingSecret: local.signingSecret,
    allowedIps: env.ALLOWED_IPS,
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    sweepIntervalMs: env.SWEEP_INTERVAL_SECONDS * 1000,
    redriveIntervalMs: env.REDRIVE_INTERVAL_SECONDS * 1000,
    reminderDays: env.REMINDER_DAYS,
    sweepBatchSize: env.SWEEP_BATCH_SIZE,
    dashboardInitDataMaxAgeSeconds: env.DASHBOARD_INIT_DATA_MAX_AGE_SECONDS,
    settlement: { mode: env.SETTLEMENT, coins: env.DIRECT_PAY_CURRENCIES },
    broadcastsPerDay: env.BROADCASTS_PER_CHANNEL_PER_DAY,
  };
}

/** The NOWPayments API base after NOWPAYMENTS_SANDBOX is applied. */
export function apiBaseOf(env: StandaloneEnv): string {
  return nowPaymentsApiBase(env);
}
