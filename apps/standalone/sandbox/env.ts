import { integer, loadConfig, loggingEnv } from "@telepay/config";
import { z } from "zod";

/**
 * `pnpm sandbox` needs no accounts, so it reads almost nothing: the page's port (0 = any free
 * one) and the log level of TelePay's log file. Everything else is made up per run.
 */
export const sandboxEnvSchema = z.object({
  ...loggingEnv,
  PORT: integer(8090, 0, 65_535),
});

export type SandboxEnv = z.output<typeof sandboxEnvSchema>;

/** Validates the environment; one ConfigError lists every problem. */
export function loadSandboxEnv(env: Record<string, string | undefined>) {
  return loadConfig(sandboxEnvSchema, env);
}
