import { startBotApiEmulator } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import {
  createTelegramApi,
  escapeHtml,
  formatDate,
  formatMoney,
  html,
  notifierMessages,
  raw,
  shortenWallet,
  subtractDecimal,
} from "../src/index.ts";

const EVIL = `<b>Free</b> & "cheap" <a href="https://evil.example">click</a>`;

describe("escaping", () => {
  it("escapes the characters Telegram's HTML parser cares about", () => {
    expect(escapeHtml(`a < b && c > "d"`)).toBe("a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
  });

  it("html`` escapes interpolations but keeps nested html and raw markup", () => {
    const title = "Tom & Jerry <3";
    const inner = html`<i>${title}</i>`;
    expect(
      html`<b>${title}</b> ${inner} ${raw("<u>ok</u>")} ${null}${undefined}${[1, "<", 2]}`.toString(),
    ).toBe("<b>Tom &amp; Jerry &lt;3</b> <i>Tom &amp; Jerry &lt;3</i> <u>ok</u> 1&lt;2");
  });

  it("an owner title full of markup reaches the user exactly as typed", async () => {
    const emulator = await startBotApiEmulator();
    const api = createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot });
    try {
      emulator.addUser({ id: 5, first_name: "U" });
      emulator.addChat({ id: 5, type: "private" });
      const m = notifierMessages("en").accessRenewed({
        channelTitle: EVIL,
        tierLabel: "<script>",
        amount: "9.9",
        currency: "usd",
        expiresAt: new Date("2026-03-01T14:05:00Z"),
      });
      await api.sendMessage(5, m.text, m.options);
      const [stored] = emulator.messages(5);
      expect(stored!.plainText).toContain(
        `Your subscription to ${EVIL} is renewed until Mar 1, 2026, 2:05 PM UTC.`,
      );
      expect(stored!.plainText).toContain("Plan: <script> — $9.90");
    } finally {
      api.sender.close();
      await emulator.stop();
    }
  });
});

describe("formatting", () => {
  it("formats money without floats", () => {
    expect(formatMoney("9.9", "usd")).toBe("9.90 USD");
    expect(formatMoney("1234567.5", "EUR")).toBe("1,234,567.50 EUR");
    expect(formatMoney("0.00120000", "btc")).toBe("0.0012 BTC");
    expect(formatMoney("0.1", "usdttrc20")).toBe("0.1 USDTTRC20");
    expect(() => formatMoney("1e3", "USD")).toThrow(/decimal/);
  });

  it("formats dates in UTC, unambiguously", () => {
    expect(formatDate(new Date("2026-12-31T23:59:59.999+02:00"))).toBe("2026-12-31 21:59 UTC");
  });

  it("shortens wallets and subtracts decimals exactly", () => {
    expect(shortenWallet("TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb")).toBe("TQ9xAb…3fAb");
    expect(shortenWallet("short")).toBe("short");
    expect(subtractDecimal("0.3", "0.1")).toBe("0.2");
    expect(subtractDecimal("100", "99.99999999")).toBe("0.00000001");
    expect(subtractDecimal("1", "2")).toBe("0");
  });

  it("says what is missing from a partial payment", () => {
    const m = notifierMessages("en").paymentUpdate({
      status: "partially_paid",
      channelTitle: "A&B",
      payAmount: "0.3",
      actuallyPaid: "0.1",
      payCurrency: "eth",
    });
    expect(m.text).toContain("We received 0.1 ETH of 0.3 ETH; <b>0.2 ETH is missing</b>");
    expect(m.text).toContain("<b>A&amp;B</b>");
  });
});
