import {
  checkDatabaseTarget,
  databaseEnv,
  flag,
  httpEnv,
  integer,
  loadConfig,
  loggingEnv,
  nowPaymentsEnv,
  pubsubEnv,
  reconcileEnv,
  reminderDays,
  requireLoginPair,
  securityEnv,
  telegramEnv,
  text,
  withRules,
} from "@telepay/config";
import { z } from "zod";

/** The notifier's environment: the shared package schemas plus its own settings. */
export const notifierEnvSchema = withRules(
  z.object({
    ...databaseEnv,
    ...pubsubEnv,
    ...securityEnv,
    ...loggingEnv,
    PORT: httpEnv.PORT,
    TELEGRAM_BOT_TOKEN: telegramEnv.TELEGRAM_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegramEnv.TELEGRAM_API_ROOT,
    /** The bot's username for deep links; read with getMe at start-up when unset. */
    TELEGRAM_BOT_USERNAME: text()
      .regex(/^@?[A-Za-z0-9_]{3,64}$/, "must be a bot username")
      .optional(),
    /** Flood limits of this process's sender: per process! (docs/decisions/telegram-sender.md). */
    TELEGRAM_GLOBAL_PER_SECOND: integer(30, 1, 1000),
    TELEGRAM_PER_CHAT_PER_SECOND: integer(1, 1, 100),
    TELEGRAM_PER_GROUP_PER_MINUTE: integer(20, 1, 1000),
    /** Days before expiry to remind, comma separated. */
    REMINDER_DAYS: reminderDays(),
    SWEEP_BATCH_SIZE: integer(1000, 1, 10_000),
    /** 0 = no built-in loop (Cloud Scheduler calls POST /jobs/sweep). */
    SWEEP_INTERVAL_SECONDS: integer(0, 0, 86_400),
    /** Built-in re-drive of unfinished grants and notices (0 = none; the scheduled sweep also runs it). */
    REDRIVE_INTERVAL_SECONDS: integer(10, 0, 3_600),
    /** "push" on Cloud Run (Pub/Sub pushes to /pubsub/push); "subscribe" for streaming pull / in-process. */
    NOTIFIER_CONSUME: z
      .enum(["push", "subscribe"], { error: "must be push or subscribe" })
      .default("subscribe"),
    PUSH_VERIFY_OIDC: flag(true),
    PUSH_AUDIENCE: text().optional(),
    PUSH_SERVICE_ACCOUNT_EMAIL: z.email({ error: "must be an e-mail address" }).optional(),
    PUBSUB_MAX_DELIVERY_ATTEMPTS: integer(5, 5, 100),
    // Reconciliation with NOWPayments on a timer: only when the API key is given (on Cloud Run the
    // telepay-reconcile job does it, and the notifier needs no NOWPayments credentials).
    NOWPAYMENTS_API_KEY: nowPaymentsEnv.NOWPAYMENTS_API_KEY.optional(),
    NOWPAYMENTS_API_BASE: nowPaymentsEnv.NOWPAYMENTS_API_BASE,
    NOWPAYMENTS_SANDBOX: nowPaymentsEnv.NOWPAYMENTS_SANDBOX,
    PAYMENT_UNDERPAID_TOLERANCE_PERCENT: nowPaymentsEnv.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
    ...reconcileEnv,
  }),
  checkDatabaseTarget,
  requireLoginPair,
  (env, ctx) => {
    // The emulator sends no token; anywhere else an unverified push route lets anyone post events.
    if (env.PUSH_VERIFY_OIDC === false && !env.PUBSUB_EMULATOR_HOST) {
      ctx.addIssue({
        code: "custom",
        path: ["PUSH_VERIFY_OIDC"],
        message: "may be false only against the Pub/Sub emulator (PUBSUB_EMULATOR_HOST)",
      });
    }
    if (env.NOTIFIER_CONSUME === "push" && env.PUSH_VERIFY_OIDC === true) {
      for (const name of ["PUSH_AUDIENCE", "PUSH_SERVICE_ACCOUNT_EMAIL"] as const) {
        if (!env[name])
          ctx.addIssue({ code: "custom", path: [name], message: "is required when PUSH_VERIFY_OIDC=true" });
      }
    }
  },
);

export type NotifierEnv = z.output<typeof notifierEnvSchema>;

/** Reads and validates the environment once, failing loudly with every problem named. */
export function loadNotifierEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig(notifierEnvSchema, env);
}
