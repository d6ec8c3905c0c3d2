import { describe, expect, it } from "vitest";
import { type DeepLink, deepLinkPayload, deepLinkUrl, parseDeepLink } from "./deep-links.ts";

describe("deep links", () => {
  it("round-trips every kind within Telegram's 64 characters [A-Za-z0-9_-]", () => {
    const links: DeepLink[] = [
      { kind: "channel", channelId: 12 },
      { kind: "tier", channelId: 12, tierId: 34 },
      { kind: "donation", channelId: 12 },
      { kind: "order", reference: "AbC_123-xyz" },
      { kind: "promo", channelId: 2_147_483_647, code: "SPRING_26-X".padEnd(32, "Z") },
    ];
    for (const link of links) {
      const payload = deepLinkPayload(link);
      expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(parseDeepLink(payload)).toEqual(link);
    }
  });

  it("reads a promo code case-insensitively, with underscores in the code", () => {
    expect(parseDeepLink("p7_spring_sale")).toEqual({ kind: "promo", channelId: 7, code: "SPRING_SALE" });
    expect(deepLinkUrl("tele_bot", { kind: "promo", channelId: 7, code: "HALF" })).toBe(
      "https://t.me/tele_bot?start=p7_HALF",
    );
  });

  it("refuses malformed promo payloads", () => {
    for (const bad of [
      "p7_ab", // code too short
      `p7_${"A".repeat(33)}`, // code too long
      "p7_HALF!",
      "p7_HA LF",
      "p_HALF",
      "p0_HALF",
      "p99999999999_HALF", // id past 32 bits
      "p7HALF",
      `p7_${"A".repeat(60)}`,
    ])
      expect(parseDeepLink(bad), bad).toBeUndefined();
    expect(() => deepLinkPayload({ kind: "promo", channelId: 7, code: "bad code" })).toThrow();
  });
});
