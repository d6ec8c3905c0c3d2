import { describe, expect, it } from "vitest";
import { loadBotEnv, toBotConfig } from "./env.ts";

const base = {
  TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi\n",
  TELEGRAM_WEBHOOK_SECRET: "s3cret-token",
  NOWPAYMENTS_API_KEY: "np-key",
  PUBLIC_BASE_URL: "https://pay.example.com",
  DATABASE_URL: "postgres://u@127.0.0.1:5432/telepay",
};

describe("bot-gateway env", () => {
  it("defaults to webhook mode and trims values", async () => {
    const { config } = await loadBotEnv(base);
    expect(toBotConfig(config)).toMatchObject({
      token: "123456:ABC-def_ghi",
      mode: "webhook",
      webhookSecret: "s3cret-token",
      publicBaseUrl: "https://pay.example.com",
      apiRoot: "https://api.telegram.org",
    });
  });

  it("names every missing or malformed variable at once", async () => {
    const { TELEGRAM_WEBHOOK_SECRET: _, ...noSecret } = base;
    const err = await loadBotEnv({ ...noSecret, TELEGRAM_BOT_TOKEN: "nope", PUBLIC_BASE_URL: "" }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const message = String((err as Error).message);
    expect(message).toContain("TELEGRAM_BOT_TOKEN");
    expect(message).toContain("TELEGRAM_WEBHOOK_SECRET");
    expect(message).toContain("PUBLIC_BASE_URL");
    expect(message).not.toContain("np-key");
  });

  it("polling mode needs no webhook secret", async () => {
    const { TELEGRAM_WEBHOOK_SECRET: _, ...noSecret } = base;
    const { config } = await loadBotEnv({ ...noSecret, TELEGRAM_MODE: "polling" });
    expect(toBotConfig(config).mode).toBe("polling");
  });
});
