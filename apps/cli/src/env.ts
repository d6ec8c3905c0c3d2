import {
  broadcastsPerDay,
  checkDatabaseTarget,
  databaseEnv,
  httpEnv,
  httpUrl,
  loadConfig,
  nowPaymentsEnv,
  reconcileEnv,
  reminderDays,
  requireLoginPair,
  SIGNING_SECRET_MIN_LENGTH,
  secret,
  settlementEnv,
  telegramEnv,
  withRules,
} from "@telepay/config";
import { z } from "zod";

/**
 * What the CLI reads from the environment: where the database is (DATABASE_URL, Cloud SQL, or the
 * embedded DATA_DIR) and, for a real `sweep`, where the notifier listens and the secret that signs
 * its /jobs/sweep request.
 */
export const cliEnvSchema = withRules(
  z.object({
    ...databaseEnv,
    /** Base URL of a running notifier (or standalone) for `telepay sweep`. */
    NOTIFIER_URL: httpUrl().optional(),
    WEBHOOK_SIGNING_SECRET: secret(SIGNING_SECRET_MIN_LENGTH).optional(),
    /** "google-id-token": send a Google ID token to a notifier behind Cloud Run IAM (the scheduled job). */
    NOTIFIER_AUTH: z
      .enum(["none", "google-id-token"], { error: "must be none or google-id-token" })
      .default("none"),
    /** Port of a running `pnpm start`, for `sweep` on the embedded default. */
    PORT: httpEnv.PORT,
    /** For `payments reconcile` (asked only by that command). */
    NOWPAYMENTS_API_KEY: nowPaymentsEnv.NOWPAYMENTS_API_KEY.optional(),
    NOWPAYMENTS_API_BASE: nowPaymentsEnv.NOWPAYMENTS_API_BASE,
    NOWPAYMENTS_SANDBOX: nowPaymentsEnv.NOWPAYMENTS_SANDBOX,
    PAYMENT_UNDERPAID_TOLERANCE_PERCENT: nowPaymentsEnv.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
    ...reconcileEnv,
    /** SETTLEMENT=direct: `channel add` checks each wallet with NOWPayments (needs NOWPAYMENTS_API_KEY). */
    SETTLEMENT: settlementEnv.SETTLEMENT,
    /** For Stars: `payments reconcile` (getStarTransactions) and `payments refund` (refundStarPayment). */
    TELEGRAM_BOT_TOKEN: telegramEnv.TELEGRAM_BOT_TOKEN.optional(),
    TELEGRAM_API_ROOT: telegramEnv.TELEGRAM_API_ROOT,
    /** The notifier's reminder schedule, so `sweep --dry-run` lists the reminders the sweep sends. */
    REMINDER_DAYS: reminderDays(),
    /** Broadcasts one channel may start in 24 hours (`broadcast send`; the bot reads the same). */
    BROADCASTS_PER_CHANNEL_PER_DAY: broadcastsPerDay(),
  }),
  checkDatabaseTarget,
  requireLoginPair,
);

export type CliEnv = z.output<typeof cliEnvSchema>;

/**
 * Validates the environment (X_SECRET → Secret Manager included). DATA_DIR comes back absolute,
 * resolved the way every app resolves it (packages/config resolveDataDir), so `pnpm telepay`
 * opens the database `pnpm start` serves.
 */
export async function loadCliEnv(env: Record<string, string | undefined>): Promise<CliEnv> {
  const { config } = await loadConfig(cliEnvSchema, env);
  return config;
}
