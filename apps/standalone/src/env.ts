import {
  checkDatabaseTarget,
  databaseEnv,
  httpUrl,
  integer,
  loadConfig,
  loggingEnv,
  nowPaymentsApiBase,
  nowPaymentsEnv,
  requireWebhookSecret,
  securityEnv,
  telegramEnv,
  withRules,
} from "@telepay/config";
import { z } from "zod";

/**
 * Standalone reads the union of what the three services read (ARCHITECTURE.md § Contracts), with
 * local defaults: long polling, the in-process bus, PGlite in DATA_DIR, and PUBLIC_BASE_URL
 * defaulting to this process's own port (IPNs only reach it if NOWPayments can, e.g. through a tunnel).
 */
export const standaloneEnvSchema = withRules(
  z.object({
    ...telegramEnv,
    ...nowPaymentsEnv,
    ...databaseEnv,
    ...loggingEnv,
    ...securityEnv,
    // Generated and kept in DATA_DIR when unset (see signing-secret.ts): nothing outside this
    // process calls the signed routes unless the operator configures it.
    WEBHOOK_SIGNING_SECRET: securityEnv.WEBHOOK_SIGNING_SECRET.optional(),
    PORT: integer(8080, 0, 65_535),
    PUBLIC_BASE_URL: httpUrl().optional(),
    /** How often the built-in expiry sweep runs (Cloud Run uses Cloud Scheduler instead). */
    SWEEP_INTERVAL_SECONDS: integer(60, 5, 86_400),
    /** How often unfinished grants and notices are resumed. */
    REDRIVE_INTERVAL_SECONDS: integer(5, 1, 3_600),
  }),
  checkDatabaseTarget,
  requireWebhookSecret,
);

export type StandaloneEnv = z.output<typeof standaloneEnvSchema>;

/** Validates the environment; one ConfigError lists every problem. */
export function loadStandaloneEnv(env: Record<string, string | undefined>) {
  return loadConfig(standaloneEnvSchema, env);
}

/** The NOWPayments API base after NOWPAYMENTS_SANDBOX is applied. */
export function apiBaseOf(env: StandaloneEnv): string {
  return nowPaymentsApiBase(env);
}
