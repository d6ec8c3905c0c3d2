import { describe, expect, it } from "vitest";
import { dashboardUrlOf } from "./index.ts";

describe("dashboardUrlOf (where /mychannels opens the Mini App)", () => {
  it("on Cloud Run opens bot-gateway's own page, not webhook-ingress's (PUBLIC_BASE_URL)", () => {
    expect(
      dashboardUrlOf({
        publicBaseUrl: "https://ingress.example.run.app",
        webhookUrl: "https://bot.example.run.app/telegram/webhook",
      }),
    ).toBe("https://bot.example.run.app/dashboard");
  });

  it("DASHBOARD_URL wins over both", () => {
    expect(
      dashboardUrlOf({
        publicBaseUrl: "https://ingress.example.run.app",
        webhookUrl: "https://bot.example.run.app/telegram/webhook",
        dashboardUrl: "https://owners.example.com/dashboard",
      }),
    ).toBe("https://owners.example.com/dashboard");
  });

  it("standalone (one port) uses PUBLIC_BASE_URL", () => {
    expect(dashboardUrlOf({ publicBaseUrl: "https://telepay.example.com/base" })).toBe(
      "https://telepay.example.com/dashboard",
    );
  });

  it("leaves the button out on plain http, which Telegram refuses, unless the Bot API is emulated", () => {
    expect(dashboardUrlOf({ publicBaseUrl: "http://127.0.0.1:8080" })).toBeUndefined();
    expect(dashboardUrlOf({ publicBaseUrl: "http://127.0.0.1:8080", apiRoot: "http://127.0.0.1:9000" })).toBe(
      "http://127.0.0.1:8080/dashboard",
    );
  });
});
