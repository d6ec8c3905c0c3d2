import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { ConfigError, type ConfigProblem } from "./config-error.ts";
import { resolveDataDir } from "./data-dir.ts";
import {
  defaultSecretManager,
  isSecretVersionName,
  readSecretVersion,
  SECRET_SUFFIX,
  SECRET_VARIABLES,
  type SecretManagerClient,
} from "./secrets.ts";

export interface LoadConfigOptions {
  /** Defaults to a SecretManagerServiceClient created only if some X_SECRET is set. */
  secretManager?: SecretManagerClient | undefined;
  /** Variables that accept the X_SECRET form; defaults to SECRET_VARIABLES. */
  secretNames?: readonly string[] | undefined;
  /** The working directory a relative DATA_DIR falls back to outside a checkout; default process.cwd(). */
  cwd?: string | undefined;
}

export interface LoadedConfig<T> {
  config: T;
  /** Things an operator must hear about at start-up (log them at warn). */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

/**
 * Validates `env` against an app's schema. Values are trimmed and "" counts as unset; each secret
 * variable X may instead be given as X_SECRET = `projects/P/secrets/S/versions/V`, read through
 * Secret Manager. Every problem is collected and thrown as ONE ConfigError naming each variable
 * (values are never printed). WEBHOOK_SIGNING_SECRET is generated only when NODE_ENV=development.
 * A relative DATA_DIR comes back absolute (resolveDataDir: relative to the repository root).
 */
export async function loadConfig<T extends z.ZodObject>(
  schema: T,
  env: Env,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig<z.output<T>>> {
  const shape = schema.shape as Record<string, unknown>;
  const values: Env = {};
  for (const [key, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (value) values[key] = value;
  }
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const fromSecretManager = new Set<string>();

  // 1. X_SECRET → X through Secret Manager, for the secret variables this app reads.
  const secretNames = (options.secretNames ?? SECRET_VARIABLES).filter((name) => name in shape);
  const toFetch: { variable: string; resource: string }[] = [];
  for (const variable of secretNames) {
    const pointer = `${variable}${SECRET_SUFFIX}`;
    const resource = values[pointer];
    if (resource === undefined) continue;
    if (values[variable] !== undefined) {
      problems.push({ variable, message: `both ${variable} and ${pointer} are set; set only one` });
    } else if (!isSecretVersionName(resource)) {
      // Not echoed: a value pasted into the wrong variable would be a secret.
      problems.push({
        variable: pointer,
        message:
          "must be a Secret Manager resource name: projects/<project>/secrets/<name>/versions/<version>",
      });
    } else {
      toFetch.push({ variable, resource });
    }
  }
  if (toFetch.length > 0) {
    let client = options.secretManager;
    try {
      client ??= await defaultSecretManager();
    } catch (err) {
      problems.push({ variable: "Secret Manager", message: `client could not start: ${errorText(err)}` });
    }
    if (client) {
      const sm = client;
      await Promise.all(
        toFetch.map(async ({ variable, resource }) => {
          const pointer = `${variable}${SECRET_SUFFIX}`;
          try {
            const value = await readSecretVersion(sm, resource);
            if (value === "") {
              problems.push({ variable: pointer, message: `secret ${resource} is empty` });
            } else {
              values[variable] = value;
              fromSecretManager.add(variable);
            }
          } catch (err) {
            problems.push({ variable: pointer, message: `could not read ${resource}: ${errorText(err)}` });
          }
        }),
      );
    }
  }

  // 2. The development-only signing secret (the legacy fallback, now confined to development).
  if (
    "WEBHOOK_SIGNING_SECRET" in shape &&
    values.WEBHOOK_SIGNING_SECRET === undefined &&
    values[`WEBHOOK_SIGNING_SECRET${SECRET_SUFFIX}`] === undefined &&
    values.NODE_ENV === "development"
  ) {
    values.WEBHOOK_SIGNING_SECRET = randomBytes(32).toString("hex");
    warnings.push(
      "WEBHOOK_SIGNING_SECRET is not set: generated a random one for this process because NODE_ENV=development. " +
        "Signed requests made with any other secret will be rejected, and it changes on every restart. " +
        "Set WEBHOOK_SIGNING_SECRET (or WEBHOOK_SIGNING_SECRET_SECRET) outside development.",
    );
  }

  // 3. The schema, with a per-parse message for missing variables.
  const result = schema.safeParse(values, {
    error: (issue) => (issue.input === undefined ? "is required" : undefined),
  });
  if (!result.success) {
    // One line per variable: several failed checks on one value are joined.
    const byVariable = new Map<string, string[]>();
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      const variable = typeof key === "string" ? key : "configuration";
      const messages = byVariable.get(variable) ?? [];
      if (!messages.includes(issue.message)) messages.push(issue.message);
      byVariable.set(variable, messages);
    }
    for (const [variable, messages] of byVariable) {
      const hint =
        messages.includes("is required") && secretNames.includes(variable)
          ? ` (or set ${variable}${SECRET_SUFFIX})`
          : "";
      problems.push({
        variable: fromSecretManager.has(variable)
          ? `${variable} (from ${variable}${SECRET_SUFFIX})`
          : variable,
        message: `${messages.join("; ")}${hint}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config = (result as { data: z.output<T> }).data;
  // 4. One absolute DATA_DIR for every app, whatever folder it was started in (see data-dir.ts).
  const record = config as Record<string, unknown>;
  if (typeof record.DATA_DIR === "string") {
    record.DATA_DIR = resolveDataDir(record.DATA_DIR, { cwd: options.cwd ?? process.cwd() });
  }
  // An empty NOWPAYMENTS_IPN_ALLOWED_IPS is warned about by the app that serves the IPN route
  // (webhook-ingress createApp, also inside standalone), not here: bot-gateway reads the same
  // variables and has no such route.
  return { config, warnings };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
