import { describe, expect, it } from "vitest";
import { parseChatReference, parseCurrency, parseTiers, parseWallet } from "./onboarding-state.ts";

describe("owner input parsing", () => {
  it("reads tiers as price:days:label or price days label", () => {
    expect(parseTiers("9.99:30:Monthly\n24.99 90 Three months\n$89:365 ⭐900")).toEqual({
      ok: true,
      value: [
        { price: "9.99", days: 30, label: "Monthly", starsPrice: null },
        { price: "24.99", days: 90, label: "Three months", starsPrice: null },
        { price: "89", days: 365, label: "", starsPrice: 900 },
      ],
    });
  });

  it("names the line of a bad tier", () => {
    const r = parseTiers("9.99:30:Monthly\n9.999:30:Bad");
    expect(r).toMatchObject({ ok: false });
    expect(r).toEqual({ ok: false, error: { kind: "tier_price", line: 2, text: "9.999:30:Bad" } });
    expect(parseTiers("0:30:Free")).toMatchObject({ ok: false });
    expect(parseTiers("5:0:Never")).toMatchObject({ ok: false });
    expect(parseTiers("")).toEqual({ ok: false, error: { kind: "tiers_none" } });
    expect(parseTiers(Array.from({ length: 11 }, () => "1:1:x").join("\n"))).toMatchObject({ ok: false });
  });

  it("accepts wallets and currencies in their usual shapes only", () => {
    expect(parseWallet(" TQ9xWalletAddress0000000000000003fAb ")).toEqual({
      ok: true,
      value: "TQ9xWalletAddress0000000000000003fAb",
    });
    expect(parseWallet("not a wallet")).toMatchObject({ ok: false });
    expect(parseCurrency("USDT tron")).toEqual({ ok: true, value: { currency: "usdt", network: "tron" } });
    expect(parseCurrency("btc")).toEqual({ ok: true, value: { currency: "btc", network: null } });
    expect(parseCurrency("usdt on tron please")).toMatchObject({ ok: false });
  });

  it("recognises @username, t.me links and numeric ids", () => {
    expect(parseChatReference("@my_channel")).toEqual({ kind: "username", username: "my_channel" });
    expect(parseChatReference("https://t.me/my_channel")).toEqual({
      kind: "username",
      username: "my_channel",
    });
    expect(parseChatReference("-1001234567890")).toEqual({ kind: "id", id: "-1001234567890" });
    expect(parseChatReference("my channel")).toBeUndefined();
  });
});
