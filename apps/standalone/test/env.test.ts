import { ConfigError } from "@telepay/config";
import { describe, expect, it } from "vitest";
import { loadStandaloneEnv, toStandaloneConfig } from "../src/env.ts";

const base = {
  TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi",
  NOWPAYMENTS_API_KEY: "np-key",
  NOWPAYMENTS_IPN_SECRET: "np-ipn-secret",
  DATA_DIR: "memory://",
};
const local = { port: 8080, signingSecret: "f0".repeat(32) };

const problems = async (env: Record<string, string>) => {
  const err = await loadStandaloneEnv(env).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems;
};

describe("standalone env", () => {
  it("polls by default: no webhook settings needed", async () => {
    const { config } = await loadStandaloneEnv(base);
    expect(toStandaloneConfig(config, local).telegram).toEqual({
      token: "123456:ABC-def_ghi",
      apiRoot: "https://api.telegram.org",
      mode: "polling",
    });
  });

  it("settlement: operator by default; direct is accepted with its coins; every bad value is named", async () => {
    const { config } = await loadStandaloneEnv(base);
    expect(config.SETTLEMENT).toBe("operator");
    expect(toStandaloneConfig(config, local).settlement).toEqual({
      mode: "operator",
      coins: ["btc", "eth", "ltc", "usdttrc20"],
    });
    const direct = await loadStandaloneEnv({
      ...base,
      SETTLEMENT: "direct",
      DIRECT_PAY_CURRENCIES: "BTC, usdttrc20",
    });
    expect(toStandaloneConfig(direct.config, local).settlement).toEqual({
      mode: "direct",
      coins: ["btc", "usdttrc20"],
    });
    // One start-up error lists every problem at once.
    const bad = await problems({ ...base, SETTLEMENT: "owner", DIRECT_PAY_CURRENCIES: "btc,b$d,btc" });
    expect(bad.map((p) => p.variable).sort()).toEqual(["DIRECT_PAY_CURRENCIES", "SETTLEMENT"]);
    const coins = bad.find((p) => p.variable === "DIRECT_PAY_CURRENCIES")!.message;
    expect(coins).toContain('"b$d"');
    expect(coins).toContain("listed twice: btc");
  });

  it("reconciliation: the dashboard login comes in pairs and reaches the NOWPayments client", async () => {
    const half = await problems({ ...base, NOWPAYMENTS_EMAIL: "ops@example.com" });
    expect(half.map((p) => p.variable)).toEqual(["NOWPAYMENTS_PASSWORD"]);
    const { config } = await loadStandaloneEnv({
      ...base,
      NOWPAYMENTS_EMAIL: "ops@example.com",
      NOWPAYMENTS_PASSWORD: "pw-123",
      RECONCILE_INTERVAL_SECONDS: "30",
    });
    const standalone = toStandaloneConfig(config, local);
    expect(standalone.nowPayments.login).toEqual({ email: "ops@example.com", password: "pw-123" });
    expect(standalone.reconcile).toEqual({
      intervalMs: 30_000,
      minAgeMs: 180_000,
      maxAgeMs: 168 * 3_600_000,
    });
  });

  it("TELEGRAM_MODE=webhook needs the secret and a public address, all named in one error", async () => {
    const found = await problems({ ...base, TELEGRAM_MODE: "webhook", NOWPAYMENTS_API_KEY: "" });
    expect(found.map((p) => p.variable).sort()).toEqual([
      "NOWPAYMENTS_API_KEY",
      "TELEGRAM_WEBHOOK_SECRET",
      "TELEGRAM_WEBHOOK_URL",
    ]);
    expect(found.find((p) => p.variable === "TELEGRAM_WEBHOOK_URL")!.message).toMatch(/PUBLIC_BASE_URL/);
  });

  it("webhook mode hands the secret and the URL (default PUBLIC_BASE_URL/telegram/webhook) to the bot", async () => {
    const webhook = { ...base, TELEGRAM_MODE: "webhook", TELEGRAM_WEBHOOK_SECRET: "hook_secret-1" };
    const viaBase = toStandaloneConfig(
      (await loadStandaloneEnv({ ...webhook, PUBLIC_BASE_URL: "https://pay.example.com" })).config,
      local,
    );
    expect(viaBase.telegram).toMatchObject({ mode: "webhook", webhookSecret: "hook_secret-1" });
    expect(viaBase.telegram.webhookUrl).toBeUndefined();
    expect(viaBase.publicBaseUrl).toBe("https://pay.example.com");
    const explicit = toStandaloneConfig(
      (
        await loadStandaloneEnv({
          ...webhook,
          TELEGRAM_WEBHOOK_URL: "https://tg.example.com/telegram/webhook",
        })
      ).config,
      local,
    );
    expect(explicit.telegram.webhookUrl).toBe("https://tg.example.com/telegram/webhook");
    expect(explicit.publicBaseUrl).toBe("http://127.0.0.1:8080");
  });

  it("hands ALLOWED_IPS and TRUSTED_PROXY_HOPS to the /jobs/* checks", async () => {
    const { config } = await loadStandaloneEnv({
      ...base,
      ALLOWED_IPS: "127.0.0.1, 10.8.0.0/16",
      TRUSTED_PROXY_HOPS: "1",
    });
    expect(toStandaloneConfig(config, local)).toMatchObject({
      allowedIps: ["127.0.0.1", "10.8.0.0/16"],
      trustedProxyHops: 1,
      signingSecret: local.signingSecret,
    });
  });

  it("REMINDER_DAYS and SWEEP_BATCH_SIZE reach the sweep (they were ignored: reminders always 3,1)", async () => {
    const { config } = await loadStandaloneEnv({ ...base, REMINDER_DAYS: "7, 2", SWEEP_BATCH_SIZE: "200" });
    expect(toStandaloneConfig(config, local)).toMatchObject({ reminderDays: [7, 2], sweepBatchSize: 200 });
    const defaults = toStandaloneConfig((await loadStandaloneEnv(base)).config, local);
    expect(defaults).toMatchObject({ reminderDays: [3, 1], sweepBatchSize: 1000 });
    const bad = await problems({ ...base, REMINDER_DAYS: "3,zero", SWEEP_BATCH_SIZE: "0" });
    expect(bad.map((p) => p.variable).sort()).toEqual(["REMINDER_DAYS", "SWEEP_BATCH_SIZE"]);
  });
});
