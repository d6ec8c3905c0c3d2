import { parseHtml } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../i18n.ts";
import { botTexts } from "./bot.ts";

/** Owner- and user-typed text that breaks HTML if it is not escaped. */
const EVIL = `<b>Bad & "bold"</i> <a href="x">`;
const tier = { label: EVIL, price: "9.9", currency: "USD", days: 30 };

/** Every message text of the catalog in one locale, fed hostile input (button labels are plain text). */
const messages = (t: ReturnType<typeof botTexts>): Record<string, string> => ({
  welcome: t.welcome({ firstName: EVIL }),
  help: t.help(),
  channelMenu: t.channelMenu({
    title: EVIL,
    description: EVIL,
    tiers: [tier, tier],
    renewal: true,
    notice: t.offerChanged(),
  }),
  channelUnavailable: t.channelUnavailable({ title: EVIL, description: EVIL }),
  tierOffer: t.tierOffer({ title: EVIL, description: "", tier }),
  invoice: t.invoice({
    title: EVIL,
    kind: "subscription",
    label: EVIL,
    amount: "9.99",
    currency: "USD",
    days: 30,
  }),
  donationInvoice: t.invoice({
    title: EVIL,
    kind: "donation",
    label: "",
    amount: "5",
    currency: "USD",
    days: null,
  }),
  orderStatus: t.orderStatus({
    title: EVIL,
    kind: "subscription",
    label: EVIL,
    amount: "9.99",
    currency: "USD",
    days: 30,
    status: "finished",
    reference: "abc_DEF-123",
    paidAt: new Date("2026-03-01T14:05:00Z"),
  }),
  subscriptionsList: t.subscriptionsList({
    items: [
      { title: EVIL, active: true, expiresAt: new Date("2026-03-01T00:00:00Z"), status: "active" },
      { title: EVIL, active: false, expiresAt: new Date("2026-01-01T00:00:00Z"), status: "expired" },
    ],
  }),
  wayBackIn: t.wayBackIn({ title: EVIL }),
  joinRequestDeclined: t.joinRequestDeclined({ title: EVIL }),
  donationKeypad: t.donationKeypad({
    title: EVIL,
    message: EVIL,
    amount: "12.5",
    currency: "USD",
    min: "4.99",
    max: "9999.99",
  }),
  onboardOpenPrompt: t.onboardOpenPrompt({ botUsername: "telepay_bot" }),
  onboardClosedPrompt: t.onboardClosedPrompt({ openTitle: EVIL }),
  onboardTiersPrompt: t.onboardTiersPrompt({ currency: "usd" }),
  onboardSummary: t.onboardSummary({
    openTitle: EVIL,
    closedTitle: EVIL,
    tiers: [tier],
    wallet: "TQ9xWalletAddress0000000000000003fAb",
    currency: "usdt",
    network: EVIL,
    donationMessage: EVIL,
    notifications: true,
    language: "pt-BR",
  }),
  onboardBotNotAdmin: t.onboardBotNotAdmin({ title: EVIL, role: "closed" }),
  onboardBotMissingRights: t.onboardBotMissingRights({ title: EVIL, rights: ["can_restrict_members"] }),
  onboardOwnerNotAdmin: t.onboardOwnerNotAdmin({ title: EVIL }),
  onboardTaken: t.onboardTaken({ title: EVIL }),
  onboardInvalid: t.onboardInvalid({ kind: "tier_price", line: 2, text: EVIL }),
  onboardDone: t.onboardDone({ openTitle: EVIL, closedTitle: EVIL }),
  channelPanel: t.channelPanel({
    openTitle: EVIL,
    closedTitle: EVIL,
    status: "bot_lacks_rights",
    description: EVIL,
    donationMessage: EVIL,
    notifications: false,
    wallet: "TQ9xWalletAddress0000000000000003fAb",
    payoutCurrency: "btc",
    payoutNetwork: null,
    activeSubscribers: 3,
    revenue: [{ amount: "1234.5", currency: "USD", orders: 7 }],
    tiers: [tier],
    language: "ru",
  }),
  exportCaption: t.exportCaption({ title: EVIL, rows: 1 }),
  editPrompt: t.editPrompt({ field: "tiers", current: EVIL, title: EVIL }),
  ownerNoLongerAdmin: t.ownerNoLongerAdmin({ title: EVIL }),
  ownerBotRemoved: t.ownerBotRemoved({ title: EVIL }),
  ownerBotLacksRights: t.ownerBotLacksRights({ title: EVIL, rights: ["can_invite_users"] }),
  ownerBotRestored: t.ownerBotRestored({ title: EVIL }),
  editPromptEmpty: t.editPrompt({ field: "description", current: "", title: EVIL }),
  reviewDismissed: t.reviewDismissed({ paymentId: "123", note: EVIL }),
  languagePrompt: t.languagePrompt(),
});

const t = botTexts("en");
const MESSAGES = messages(t);

describe("bot message catalog", () => {
  const all = LOCALES.flatMap((locale) =>
    Object.entries(messages(botTexts(locale))).map(([name, text]) => [`${locale} ${name}`, text] as const),
  );
  it.each(all)("%s is valid Telegram HTML, shows input literally, leaves nothing unfilled", (_name, text) => {
    const plain = parseHtml(text);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.length).toBeLessThanOrEqual(4096);
    if (text.includes("&lt;b&gt;")) expect(plain).toContain(EVIL);
    expect(text).not.toContain("<b>Bad");
    expect(text).not.toMatch(/\{\s*\$|undefined|\[object/);
  });

  it("formats money and durations from decimal strings, for the reader's locale", () => {
    expect(t.tierButton(tier)).toBe(`${EVIL} · $9.90 / 30 days`);
    expect(t.payButton({ amount: "1234.5", currency: "usd" })).toBe("💳 Pay $1,234.50");
    expect(parseHtml(MESSAGES.channelPanel!)).toContain("Revenue so far: $1,234.50 (7 paid)");
    const ru = botTexts("ru");
    expect(ru.tierButton({ ...tier, days: 1 })).toMatch(/· 9,90\s\$ \/ 1 день$/);
    expect(ru.tierButton({ ...tier, days: 3 })).toMatch(/\/ 3 дня$/);
    expect(ru.tierButton({ ...tier, days: 30 })).toMatch(/\/ 30 дней$/);
    expect(parseHtml(ru.exportCaption({ title: "VIP", rows: 22 }))).toBe("📄 Платежи канала VIP: 22 заказа.");
    expect(parseHtml(ru.onboardInvalid({ kind: "text_too_long", max: 1000 }))).toMatch(
      /не длиннее 1\s000 символов/,
    );
    expect(botTexts("pt-BR").payButton({ amount: "5", currency: "USD" })).toMatch(/^💳 Pagar US\$\s5,00$/);
    expect(botTexts("es").buyButton(tier)).toMatch(/^Continuar — 9,90\sUS\$$/);
  });

  it("words a tier without a label by its duration, and the channel without a title", () => {
    expect(botTexts("es").tierButton({ ...tier, label: "" })).toMatch(/^30 días · /);
    expect(parseHtml(botTexts("ru").channelUnavailable({ title: "", description: "" }))).toContain(
      "этот канал",
    );
  });

  it("describes each order status in words", () => {
    const render = (status: string) =>
      parseHtml(
        t.orderStatus({
          title: "VIP",
          kind: "subscription",
          label: "Monthly",
          amount: "9.99",
          currency: "USD",
          days: 30,
          status,
          reference: "r",
          paidAt: null,
        }),
      );
    expect(render("waiting")).toContain("Waiting for payment");
    expect(render("confirming")).toContain("waiting for network confirmations");
    expect(render("partially_paid")).toContain("Partially paid");
    expect(render("expired")).toContain("nothing was charged");
  });
});
