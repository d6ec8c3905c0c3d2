import {
  broadcastsPerDay,
  checkDatabaseTarget,
  databaseEnv,
  httpEnv,
  integer,
  loadConfig,
  loggingEnv,
  nowPaymentsApiBase,
  nowPaymentsEnv,
  pubsubEnv,
  reminderDays,
  requireWebhookSecret,
  settlementEnv,
  telegramEnv,
  telegramMode,
  text,
  withRules,
} from "@telepay/config";
import { z } from "zod";
import type { BotConfig } from "./index.ts";

/**
 * What bot-gateway reads from the environment (docs/architecture.md#environment), composed from the
 * shared per-concern shapes. TELEGRAM_MODE defaults to webhook here: this entrypoint is the
 * Cloud Run service (standalone composes createApp itself and polls).
 */
export const botEnvSchema = withRules(
  z.object({
    ...databaseEnv,
    ...loggingEnv,
    ...pubsubEnv,
    ...httpEnv,
    ...telegramEnv,
    TELEGRAM_MODE: telegramMode("webhook"),
    /** Optional: skips getMe at start-up. */
    TELEGRAM_BOT_USERNAME: text()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "must be the bot's @username without the @")
      .optional(),
    /** Where Telegram should POST updates; default PUBLIC_BASE_URL/telegram/webhook. */
    TELEGRAM_WEBHOOK_URL: z.url().optional(),
    /** Where the owner dashboard (this service's /dashboard) is reachable; default below. */
    DASHBOARD_URL: z.url().optional(),
    NOWPAYMENTS_API_KEY: nowPaymentsEnv.NOWPAYMENTS_API_KEY,
    NOWPAYMENTS_API_BASE: nowPaymentsEnv.NOWPAYMENTS_API_BASE,
    NOWPAYMENTS_SANDBOX: nowPaymentsEnv.NOWPAYMENTS_SANDBOX,
    ...settlementEnv,
    /** The owner dashboard refuses an initData signed longer ago than this (docs/dashboard.md). */
    DASHBOARD_INIT_DATA_MAX_AGE_SECONDS: integer(3600, 60, 604_800),
    /** How many broadcasts one channel may start in 24 hours (/broadcast; the CLI reads it too). */
    BROADCASTS_PER_CHANNEL_PER_DAY: broadcastsPerDay(),
    /** Days before expiry to remind: the bot's trials and grants set next_check_at from it. */
    REMINDER_DAYS: reminderDays(),
  }),
  checkDatabaseTarget,
  requireWebhookSecret,
);

export type BotEnv = z.output<typeof botEnvSchema>;

/** Validates the environment (X_SECRET → Secret Manager included); one error names every problem. */
export function loadBotEnv(env: Record<string, string | undefined>) {
  return loadConfig(botEnvSchema, env);
}

/** The part of the env createApp needs. */
export function toBotConfig(env: BotEnv): BotConfig {
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    mode: env.TELEGRAM_MODE,
    ...(env.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET } : {}),
    ...(env.TELEGRAM_WEBHOOK_URL ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL } : {}),
    ...(env.DASHBOARD_URL ? { dashboardUrl: env.DASHBOARD_URL } : {}),
    ...(env.TELEGRAM_BOT_USERNAME ? { botUsername: env.TELEGRAM_BOT_USERNAME } : {}),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    dashboard: { initDataMaxAgeSeconds: env.DASHBOARD_INIT_DATA_MAX_AGE_SECONDS },
    settlement: { mode: env.SETTLEMENT, coins: env.DIRECT_PAY_CURRENCIES },
    broadcastsPerDay: env.BROADCASTS_PER_CHANNEL_PER_DAY,
    reminderDays: env.REMINDER_DAYS,
  };
}

/** NOWPayments client options from the env. */
export function toPaymentsOptions(env: BotEnv) {
  return { apiKey: env.NOWPAYMENTS_API_KEY, baseUrl: nowPaymentsApiBase(env) };
}
