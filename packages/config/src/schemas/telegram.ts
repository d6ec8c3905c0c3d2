import { z } from "zod";
import { httpUrl, secret } from "../fields.ts";
import type { EnvRule } from "../rules.ts";

export const TELEGRAM_MODES = ["polling", "webhook"] as const;
export type TelegramMode = (typeof TELEGRAM_MODES)[number];

/**
 * Telegram settings. TELEGRAM_MODE defaults to polling (standalone); Cloud Run's bot-gateway
 * overrides the default with `telegramMode("webhook")`. Compose with `requireWebhookSecret`.
 */
export const telegramEnv = {
  TELEGRAM_BOT_TOKEN: secret().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like <bot id>:<key> from @BotFather"),
  TELEGRAM_API_ROOT: httpUrl().default("https://api.telegram.org"),
  TELEGRAM_MODE: telegramMode("polling"),
  // Telegram's own rule for secret_token: 1-256 characters of A-Z a-z 0-9 _ -.
  TELEGRAM_WEBHOOK_SECRET: secret()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
};

/** TELEGRAM_MODE with an app-specific default. */
export function telegramMode(fallback: TelegramMode) {
  return z.enum(TELEGRAM_MODES, { error: "must be polling or webhook" }).default(fallback);
}

/** Webhook mode needs TELEGRAM_WEBHOOK_SECRET (checked against X-Telegram-Bot-Api-Secret-Token). */
export const requireWebhookSecret: EnvRule = (env, ctx) => {
  if (env.TELEGRAM_MODE === "webhook" && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["TELEGRAM_WEBHOOK_SECRET"],
      message: "is required when TELEGRAM_MODE=webhook",
    });
  }
};
