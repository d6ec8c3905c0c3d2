import { isAbsolute, resolve } from "node:path";
import {
  checkDatabaseTarget,
  databaseEnv,
  httpEnv,
  httpUrl,
  loadConfig,
  SIGNING_SECRET_MIN_LENGTH,
  secret,
  text,
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
    /** Set by pnpm to the folder `pnpm …` was typed in. */
    INIT_CWD: text().optional(),
  }),
  checkDatabaseTarget,
);

export type CliEnv = z.output<typeof cliEnvSchema>;

/**
 * Validates the environment (X_SECRET → Secret Manager included). A relative DATA_DIR is resolved
 * against the folder the operator typed `pnpm …` in (INIT_CWD), because pnpm runs scripts from the
 * package folder: `pnpm start` and `pnpm telepay` must agree on where ./.data is.
 */
export async function loadCliEnv(env: Record<string, string | undefined>): Promise<CliEnv> {
  const { config } = await loadConfig(cliEnvSchema, env);
  if (config.DATA_DIR !== "memory://" && !isAbsolute(config.DATA_DIR)) {
    config.DATA_DIR = resolve(config.INIT_CWD ?? process.cwd(), config.DATA_DIR);
  }
  return config;
}
