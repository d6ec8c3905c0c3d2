import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  checkDatabaseTarget,
  databaseEnv,
  httpEnv,
  loadConfig,
  loggingEnv,
  NOWPAYMENTS_SANDBOX_BASE,
  nowPaymentsApiBase,
  nowPaymentsEnv,
  pubsubEnv,
  requireWebhookSecret,
  type SecretManagerClient,
  securityEnv,
  telegramEnv,
  telegramMode,
  withRules,
} from "../src/index.ts";

const TOKEN = "123456:AAH-secret_token_value";
const API_KEY = "NP-KEY-ABCDEF-123456";
const IPN = "ipn-secret-value-xyz";
const SIGNING = "s".repeat(40);

/** What bot-gateway / webhook-ingress compose, more or less. */
const appSchema = withRules(
  z.object({
    ...telegramEnv,
    ...nowPaymentsEnv,
    ...databaseEnv,
    ...pubsubEnv,
    ...securityEnv,
    ...httpEnv,
    ...loggingEnv,
  }),
  requireWebhookSecret,
  checkDatabaseTarget,
);

const validEnv = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  NOWPAYMENTS_API_KEY: API_KEY,
  NOWPAYMENTS_IPN_SECRET: IPN,
  WEBHOOK_SIGNING_SECRET: SIGNING,
  PUBLIC_BASE_URL: "https://pay.example.com/",
};

/** Fake of Google's client (not ours): answers from a map and records what was asked. */
function fakeSecretManager(secrets: Record<string, string | Uint8Array | null>) {
  const calls: string[] = [];
  const client: SecretManagerClient = {
    async accessSecretVersion({ name }) {
      calls.push(name);
      if (!(name in secrets)) throw new Error(`5 NOT_FOUND: Secret [${name}] not found`);
      return [{ payload: { data: secrets[name] } }];
    },
  };
  return { client, calls };
}

async function problemsOf(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe("loadConfig", () => {
  it("applies the documented defaults", async () => {
    const { config, warnings } = await loadConfig(appSchema, validEnv);
    expect(config).toMatchObject({
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      TELEGRAM_MODE: "polling",
      NOWPAYMENTS_SANDBOX: false,
      NOWPAYMENTS_IPN_ALLOWED_IPS: [],
      PAYMENT_UNDERPAID_TOLERANCE_PERCENT: "1",
      DB_POOL_SIZE: 5,
      DB_MAX_OVERFLOW: 10,
      DB_POOL_TIMEOUT: 30,
      DB_POOL_RECYCLE: 1800,
      DB_IAM_AUTH: false,
      // The default, absolute: .data at the repository root (test/data-dir.test.ts).
      DATA_DIR: fileURLToPath(new URL("../../../.data", import.meta.url)),
      ALLOWED_IPS: ["127.0.0.1", "::1", "10.0.0.0/8"],
      RATE_LIMIT_PER_MINUTE: 10,
      RATE_LIMIT_BURST: 20,
      TRUSTED_PROXY_HOPS: 0,
      PORT: 8080,
      PUBLIC_BASE_URL: "https://pay.example.com",
      LOG_LEVEL: "info",
      NODE_ENV: "production",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(nowPaymentsApiBase(config)).toBe("https://api.nowpayments.io/v1");
    // The empty IPN allowlist is the IPN route's warning (webhook-ingress createApp), not the loader's.
    expect(warnings).toEqual([]);
  });

  it("trims every value, so a pasted trailing newline is harmless (docs/legacy-mistakes.md#lm-3)", async () => {
    const { config } = await loadConfig(appSchema, {
      ...validEnv,
      TELEGRAM_BOT_TOKEN: `${TOKEN}\n`,
      NOWPAYMENTS_IPN_SECRET: `  ${IPN}\r\n`,
      DB_POOL_SIZE: " 7 ",
      TELEGRAM_MODE: "webhook\n",
      TELEGRAM_WEBHOOK_SECRET: "hook_secret-1\n",
    });
    expect(config.TELEGRAM_BOT_TOKEN).toBe(TOKEN);
    expect(config.NOWPAYMENTS_IPN_SECRET).toBe(IPN);
    expect(config.DB_POOL_SIZE).toBe(7);
    expect(config.TELEGRAM_MODE).toBe("webhook");
    expect(config.TELEGRAM_WEBHOOK_SECRET).toBe("hook_secret-1");
  });

  it("treats an empty value as unset", async () => {
    const err = await problemsOf(loadConfig(appSchema, { ...validEnv, NOWPAYMENTS_API_KEY: "  " }));
    expect(err.problems).toEqual([
      { variable: "NOWPAYMENTS_API_KEY", message: "is required (or set NOWPAYMENTS_API_KEY_SECRET)" },
    ]);
    const { config } = await loadConfig(appSchema, { ...validEnv, DB_POOL_SIZE: "", ALLOWED_IPS: "" });
    expect(config.DB_POOL_SIZE).toBe(5);
    expect(config.ALLOWED_IPS).toEqual(["127.0.0.1", "::1", "10.0.0.0/8"]);
  });

  it("lists every problem at once, one per line, naming each variable and never a secret value", async () => {
    const env = {
      TELEGRAM_BOT_TOKEN: "not a token with spaces",
      NOWPAYMENTS_IPN_SECRET: "has inner whitespace",
      TELEGRAM_MODE: "webhook",
      DATABASE_URL: "mysql://user:hunter2@db/x",
      DB_POOL_SIZE: "lots",
      DB_POOL_RECYCLE: "5",
      ALLOWED_IPS: "127.0.0.1, 10.0.0/8, 2001:db8::/129",
      PORT: "70000",
      PUBLIC_BASE_URL: "ftp://example.com",
      LOG_LEVEL: "loud",
    };
    const err = await problemsOf(loadConfig(appSchema, env));
    expect(err.problems.map((p) => p.variable).sort()).toEqual(
      [
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
        "NOWPAYMENTS_API_KEY",
        "NOWPAYMENTS_IPN_SECRET",
        "WEBHOOK_SIGNING_SECRET",
        "DATABASE_URL",
        "DB_POOL_SIZE",
        "DB_POOL_RECYCLE",
        "ALLOWED_IPS",
        "PORT",
        "PUBLIC_BASE_URL",
        "LOG_LEVEL",
      ].sort(),
    );
    const lines = err.message.split("\n");
    expect(lines[0]).toBe("Invalid configuration (12 problems):");
    expect(lines).toHaveLength(13);
    expect(err.message).toContain("  - TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook");
    expect(err.message).toContain("  - DB_POOL_SIZE: must be a whole number");
    expect(err.message).toContain("  - DB_POOL_RECYCLE: must be at least 60");
    expect(err.message).toContain("  - PORT: must be at most 65535");
    expect(err.message).toContain(
      '  - ALLOWED_IPS: not an IP address or CIDR range: "10.0.0/8", "2001:db8::/129"',
    );
    expect(err.message).toContain("  - PUBLIC_BASE_URL: must be an http(s) URL");
    expect(err.message).toContain("  - WEBHOOK_SIGNING_SECRET: is required");
    for (const secretValue of ["not a token", "inner whitespace", "hunter2"]) {
      expect(err.message).not.toContain(secretValue);
    }
  });

  it("requires TELEGRAM_WEBHOOK_SECRET in webhook mode only, and honours an app's mode default", async () => {
    await expect(loadConfig(appSchema, { ...validEnv, TELEGRAM_MODE: "polling" })).resolves.toBeTruthy();
    const cloudRun = withRules(
      z.object({ ...telegramEnv, TELEGRAM_MODE: telegramMode("webhook") }),
      requireWebhookSecret,
    );
    const err = await problemsOf(loadConfig(cloudRun, { TELEGRAM_BOT_TOKEN: TOKEN }));
    expect(err.problems).toEqual([
      { variable: "TELEGRAM_WEBHOOK_SECRET", message: "is required when TELEGRAM_MODE=webhook" },
    ]);
    const bad = await problemsOf(
      loadConfig(cloudRun, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: "no/slashes" }),
    );
    expect(bad.problems[0]?.variable).toBe("TELEGRAM_WEBHOOK_SECRET");
    expect(bad.problems).toHaveLength(1);
  });

  it("chooses the NOWPayments sandbox, and an explicit base wins", async () => {
    const sandbox = await loadConfig(appSchema, { ...validEnv, NOWPAYMENTS_SANDBOX: "true" });
    expect(nowPaymentsApiBase(sandbox.config)).toBe(NOWPAYMENTS_SANDBOX_BASE);
    const emulator = await loadConfig(appSchema, {
      ...validEnv,
      NOWPAYMENTS_SANDBOX: "true",
      NOWPAYMENTS_API_BASE: "http://127.0.0.1:4010/v1/",
    });
    expect(nowPaymentsApiBase(emulator.config)).toBe("http://127.0.0.1:4010/v1");
    const err = await problemsOf(loadConfig(appSchema, { ...validEnv, NOWPAYMENTS_SANDBOX: "maybe" }));
    expect(err.problems).toEqual([{ variable: "NOWPAYMENTS_SANDBOX", message: "must be true or false" }]);
  });

  it("reads PAYMENT_UNDERPAID_TOLERANCE_PERCENT as a decimal string within 0–50", async () => {
    for (const [given, read] of [
      ["0", "0"],
      ["0.5", "0.5"],
      ["02.50", "2.5"],
      ["50", "50"],
      ["10.0", "10"],
    ]) {
      const { config } = await loadConfig(appSchema, {
        ...validEnv,
        PAYMENT_UNDERPAID_TOLERANCE_PERCENT: given,
      });
      expect(config.PAYMENT_UNDERPAID_TOLERANCE_PERCENT, given).toBe(read);
    }
    for (const [given, message] of [
      ["50.0001", "must be at most 50"],
      ["100", "must be at most 50"],
      ["-1", "must be a percentage such as 1 or 0.5 (at most 4 decimals)"],
      ["1e1", "must be a percentage such as 1 or 0.5 (at most 4 decimals)"],
      ["1%", "must be a percentage such as 1 or 0.5 (at most 4 decimals)"],
      ["0.00001", "must be a percentage such as 1 or 0.5 (at most 4 decimals)"],
    ]) {
      const err = await problemsOf(
        loadConfig(appSchema, { ...validEnv, PAYMENT_UNDERPAID_TOLERANCE_PERCENT: given }),
      );
      expect(err.problems, given).toEqual([{ variable: "PAYMENT_UNDERPAID_TOLERANCE_PERCENT", message }]);
    }
  });

  it("parses IPv4 and IPv6 allowlists", async () => {
    const { config, warnings } = await loadConfig(appSchema, {
      ...validEnv,
      NOWPAYMENTS_IPN_ALLOWED_IPS: "51.89.194.21, 2001:db8::/32,::1",
    });
    expect(config.NOWPAYMENTS_IPN_ALLOWED_IPS).toEqual(["51.89.194.21", "2001:db8::/32", "::1"]);
    expect(warnings).toEqual([]);
  });

  it("checks the Cloud SQL settings together", async () => {
    const err = await problemsOf(
      loadConfig(appSchema, {
        ...validEnv,
        DATABASE_URL: "postgres://u@h/db",
        CLOUD_SQL_CONNECTION_NAME: "proj:us-central1:inst",
      }),
    );
    expect(err.problems).toEqual([
      {
        variable: "CLOUD_SQL_CONNECTION_NAME",
        message: "set either DATABASE_URL or CLOUD_SQL_CONNECTION_NAME, not both",
      },
      { variable: "DB_USER", message: "is required with CLOUD_SQL_CONNECTION_NAME" },
      { variable: "DB_NAME", message: "is required with CLOUD_SQL_CONNECTION_NAME" },
      {
        variable: "DB_PASSWORD",
        message: "is required with CLOUD_SQL_CONNECTION_NAME unless DB_IAM_AUTH=true",
      },
    ]);
    const iam = await loadConfig(appSchema, {
      ...validEnv,
      CLOUD_SQL_CONNECTION_NAME: "proj:us-central1:inst",
      DB_USER: "svc@proj.iam",
      DB_NAME: "telepay",
      DB_IAM_AUTH: "true",
    });
    expect(iam.config.DB_IAM_AUTH).toBe(true);
    const malformed = await problemsOf(
      loadConfig(appSchema, { ...validEnv, CLOUD_SQL_CONNECTION_NAME: "just-an-instance" }),
    );
    expect(malformed.problems.map((p) => p.variable)).toContain("CLOUD_SQL_CONNECTION_NAME");
  });

  it("validates the Pub/Sub settings", async () => {
    const { config } = await loadConfig(appSchema, {
      ...validEnv,
      PUBSUB_EMULATOR_HOST: "127.0.0.1:8085",
      GOOGLE_CLOUD_PROJECT: "telepay-test",
      PUBSUB_TOPIC_PREFIX: "staging-",
    });
    expect(config).toMatchObject({
      PUBSUB_EMULATOR_HOST: "127.0.0.1:8085",
      PUBSUB_TOPIC_PREFIX: "staging-",
      PUBSUB_MAX_MESSAGES: 20,
    });
    const err = await problemsOf(
      loadConfig(appSchema, {
        ...validEnv,
        PUBSUB_EMULATOR_HOST: "http://localhost",
        PUBSUB_MAX_MESSAGES: "0",
      }),
    );
    expect(err.problems).toEqual([
      { variable: "PUBSUB_EMULATOR_HOST", message: "must be host:port" },
      { variable: "PUBSUB_MAX_MESSAGES", message: "must be at least 1" },
    ]);
  });
});

describe("loadConfig with X_SECRET", () => {
  const TOKEN_NAME = "projects/telepay/secrets/bot-token/versions/latest";
  const IPN_NAME = "projects/telepay/secrets/ipn/versions/3";

  it("reads X_SECRET through Secret Manager and trims the stored newline", async () => {
    const { client, calls } = fakeSecretManager({
      [TOKEN_NAME]: new TextEncoder().encode(`${TOKEN}\n`),
      [IPN_NAME]: `${IPN}\n`,
    });
    const env = {
      ...validEnv,
      TELEGRAM_BOT_TOKEN: undefined,
      NOWPAYMENTS_IPN_SECRET: undefined,
      TELEGRAM_BOT_TOKEN_SECRET: TOKEN_NAME,
      NOWPAYMENTS_IPN_SECRET_SECRET: ` ${IPN_NAME}\n`,
    };
    const { config } = await loadConfig(appSchema, env, { secretManager: client });
    expect(config.TELEGRAM_BOT_TOKEN).toBe(TOKEN);
    expect(config.NOWPAYMENTS_IPN_SECRET).toBe(IPN);
    expect(calls.sort()).toEqual([IPN_NAME, TOKEN_NAME].sort());
  });

  it("never asks Secret Manager when no X_SECRET is set", async () => {
    const { client, calls } = fakeSecretManager({});
    await loadConfig(appSchema, validEnv, { secretManager: client });
    expect(calls).toEqual([]);
  });

  it("ignores X_SECRET for variables the app does not read", async () => {
    const { client, calls } = fakeSecretManager({});
    const schema = z.object({ ...httpEnv });
    await loadConfig(
      schema,
      { PUBLIC_BASE_URL: "http://x", DATABASE_URL_SECRET: "garbage" },
      { secretManager: client },
    );
    expect(calls).toEqual([]);
  });

  it("reports every secret problem together with the plain ones", async () => {
    const { client } = fakeSecretManager({ [IPN_NAME]: "\n", [TOKEN_NAME]: "not a token" });
    const env = {
      TELEGRAM_BOT_TOKEN_SECRET: TOKEN_NAME,
      NOWPAYMENTS_API_KEY: API_KEY,
      NOWPAYMENTS_API_KEY_SECRET: "projects/p/secrets/k/versions/1",
      NOWPAYMENTS_IPN_SECRET_SECRET: IPN_NAME,
      WEBHOOK_SIGNING_SECRET_SECRET: "sk_live_pasted_the_value_here",
      DB_PASSWORD_SECRET: "projects/p/secrets/missing/versions/2",
      PUBLIC_BASE_URL: "https://pay.example.com",
    };
    const err = await problemsOf(loadConfig(appSchema, env, { secretManager: client }));
    expect(err.problems).toEqual([
      {
        variable: "NOWPAYMENTS_API_KEY",
        message: "both NOWPAYMENTS_API_KEY and NOWPAYMENTS_API_KEY_SECRET are set; set only one",
      },
      {
        variable: "WEBHOOK_SIGNING_SECRET_SECRET",
        message:
          "must be a Secret Manager resource name: projects/<project>/secrets/<name>/versions/<version>",
      },
      { variable: "NOWPAYMENTS_IPN_SECRET_SECRET", message: `secret ${IPN_NAME} is empty` },
      {
        variable: "DB_PASSWORD_SECRET",
        message: expect.stringContaining("could not read projects/p/secrets/missing/versions/2: 5 NOT_FOUND"),
      },
      {
        variable: "TELEGRAM_BOT_TOKEN (from TELEGRAM_BOT_TOKEN_SECRET)",
        message: "must not contain whitespace; must look like <bot id>:<key> from @BotFather",
      },
      { variable: "NOWPAYMENTS_IPN_SECRET", message: "is required (or set NOWPAYMENTS_IPN_SECRET_SECRET)" },
      { variable: "WEBHOOK_SIGNING_SECRET", message: "is required (or set WEBHOOK_SIGNING_SECRET_SECRET)" },
    ]);
    expect(err.message).not.toContain("sk_live_pasted_the_value_here");
    expect(err.message).not.toContain("not a token");
  });

  it("rejects malformed resource names without calling Secret Manager", async () => {
    const { client, calls } = fakeSecretManager({});
    for (const name of [
      "projects/p/secrets/s",
      "projects/p/secrets/s/versions/",
      "projects//secrets/s/versions/1",
      "secrets/s/versions/1",
      "projects/p/secrets/s/versions/one",
    ]) {
      const err = await problemsOf(
        loadConfig(
          z.object({ ...nowPaymentsEnv }),
          { NOWPAYMENTS_API_KEY: API_KEY, NOWPAYMENTS_IPN_SECRET_SECRET: name },
          {
            secretManager: client,
          },
        ),
      );
      expect(err.problems.map((p) => p.variable)).toContain("NOWPAYMENTS_IPN_SECRET_SECRET");
    }
    expect(calls).toEqual([]);
  });

  it("honours a custom list of secret variables", async () => {
    const { client } = fakeSecretManager({ "projects/p/secrets/url/versions/1": "https://from.secret" });
    const { config } = await loadConfig(
      z.object({ ...httpEnv }),
      { PUBLIC_BASE_URL_SECRET: "projects/p/secrets/url/versions/1" },
      { secretManager: client, secretNames: ["PUBLIC_BASE_URL"] },
    );
    expect(config.PUBLIC_BASE_URL).toBe("https://from.secret");
  });
});

describe("WEBHOOK_SIGNING_SECRET generation", () => {
  const schema = z.object({ ...securityEnv, ...loggingEnv });

  it("generates 32 random bytes with a loud warning only when NODE_ENV=development", async () => {
    const first = await loadConfig(schema, { NODE_ENV: "development" });
    const second = await loadConfig(schema, { NODE_ENV: "development" });
    expect(first.config.WEBHOOK_SIGNING_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(second.config.WEBHOOK_SIGNING_SECRET).not.toBe(first.config.WEBHOOK_SIGNING_SECRET);
    expect(first.warnings).toEqual([expect.stringContaining("WEBHOOK_SIGNING_SECRET is not set: generated")]);
    expect(first.warnings.join("")).not.toContain(first.config.WEBHOOK_SIGNING_SECRET);
  });

  it("never generates outside development", async () => {
    for (const NODE_ENV of [undefined, "production", "test", "Development"]) {
      const err = await problemsOf(loadConfig(schema, { NODE_ENV }));
      expect(err.problems.map((p) => p.variable)).toContain("WEBHOOK_SIGNING_SECRET");
    }
  });

  it("keeps a given secret in development and rejects a short one", async () => {
    const { config, warnings } = await loadConfig(schema, {
      NODE_ENV: "development",
      WEBHOOK_SIGNING_SECRET: SIGNING,
    });
    expect(config.WEBHOOK_SIGNING_SECRET).toBe(SIGNING);
    expect(warnings).toEqual([]);
    const err = await problemsOf(loadConfig(schema, { WEBHOOK_SIGNING_SECRET: "short" }));
    expect(err.problems).toEqual([
      { variable: "WEBHOOK_SIGNING_SECRET", message: "must be at least 16 characters" },
    ]);
  });
});
