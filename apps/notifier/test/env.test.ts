import { ConfigError } from "@telepay/config";
import { describe, expect, it } from "vitest";
import { loadNotifierEnv } from "../src/env.ts";

const base = {
  TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi",
  TELEGRAM_BOT_USERNAME: "telepay_bot",
  WEBHOOK_SIGNING_SECRET: "f0".repeat(32),
  DATABASE_URL: "postgres://u@127.0.0.1:5432/telepay",
  GOOGLE_CLOUD_PROJECT: "telepay-prod",
};

const problems = async (env: Record<string, string>) => {
  const err = await loadNotifierEnv(env).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems;
};

describe("notifier env", () => {
  it("refuses PUSH_VERIFY_OIDC=false outside the Pub/Sub emulator, in the one error that lists every problem", async () => {
    const found = await problems({
      ...base,
      NOTIFIER_CONSUME: "push",
      PUSH_VERIFY_OIDC: "false",
      REMINDER_DAYS: "0",
    });
    expect(found.map((p) => p.variable).sort()).toEqual(["PUSH_VERIFY_OIDC", "REMINDER_DAYS"]);
    expect(found.find((p) => p.variable === "PUSH_VERIFY_OIDC")!.message).toMatch(/PUBSUB_EMULATOR_HOST/);
    // Also when the notifier pulls: nothing may start with push verification off by accident.
    expect((await problems({ ...base, PUSH_VERIFY_OIDC: "false" })).map((p) => p.variable)).toEqual([
      "PUSH_VERIFY_OIDC",
    ]);
  });

  it("allows PUSH_VERIFY_OIDC=false against the emulator", async () => {
    const { config } = await loadNotifierEnv({
      ...base,
      NOTIFIER_CONSUME: "push",
      PUSH_VERIFY_OIDC: "false",
      PUBSUB_EMULATOR_HOST: "127.0.0.1:8681",
    });
    expect(config.PUSH_VERIFY_OIDC).toBe(false);
  });

  it("reads ALLOWED_IPS and TRUSTED_PROXY_HOPS for /jobs/*; loopback and 10.0.0.0/8 by default", async () => {
    const { config } = await loadNotifierEnv(base);
    expect(config.ALLOWED_IPS).toEqual(["127.0.0.1", "::1", "10.0.0.0/8"]);
    expect(config.TRUSTED_PROXY_HOPS).toBe(0);
    const found = await problems({ ...base, ALLOWED_IPS: "10.0.0.0/8, nope" });
    expect(found).toEqual([{ variable: "ALLOWED_IPS", message: expect.stringContaining('"nope"') }]);
  });
});
