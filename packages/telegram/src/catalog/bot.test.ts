import { parseHtml } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import * as t from "./bot.ts";

/** Owner- and user-typed text that breaks HTML if it is not escaped. */
const EVIL = `<b>Bad & "bold"</i> <a href="x">`;
const tier = { label: EVIL, price: "9.9", currency: "USD", days: 30 };

/** Every message text of the catalog, fed hostile input (button labels are plain text). */
const MESSAGES: Record<string, string> = {
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
  onboardTiersPrompt: t.onboardTiersPrompt(),
  onboardSummary: t.onboardSummary({
    openTitle: EVIL,
    closedTitle: EVIL,
    tiers: [tier],
    wallet: "TQ9xWalletAddress0000000000000003fAb",
    currency: "usdt",
    network: EVIL,
    donationMessage: EVIL,
    notifications: true,
  }),
  onboardBotNotAdmin: t.onboardBotNotAdmin({ title: EVIL, role: "closed" }),
  onboardBotMissingRights: t.onboardBotMissingRights({ title: EVIL, rights: ["can_restrict_members"] }),
  onboardOwnerNotAdmin: t.onboardOwnerNotAdmin({ title: EVIL }),
  onboardTaken: t.onboardTaken({ title: EVIL }),
  onboardInvalid: t.onboardInvalid({ reason: EVIL }),
  onboardDone: t.onboardDone({ openTitle: EVIL, closedTitle: EVIL }),
  channelPanel: t.channelPanel({
    openTitle: EVIL,
    closedTitle: EVIL,
    status: "bot_lacks_rights",
    statusReason: EVIL,
    description: EVIL,
    donationMessage: EVIL,
    notifications: false,
    wallet: "TQ9xWalletAddress0000000000000003fAb",
    payoutCurrency: "btc",
    payoutNetwork: null,
    activeSubscribers: 3,
    revenue: [{ amount: "1234.5", currency: "USD", orders: 7 }],
    tiers: [tier],
  }),
  exportCaption: t.exportCaption({ title: EVIL, rows: 1 }),
  editPrompt: t.editPrompt({ field: "tiers", current: EVIL, title: EVIL }),
  ownerNoLongerAdmin: t.ownerNoLongerAdmin({ title: EVIL }),
  ownerBotRemoved: t.ownerBotRemoved({ title: EVIL }),
  ownerBotLacksRights: t.ownerBotLacksRights({ title: EVIL, rights: ["can_invite_users"] }),
  ownerBotRestored: t.ownerBotRestored({ title: EVIL }),
};

describe("bot message catalog", () => {
  it.each(Object.entries(MESSAGES))("%s is valid Telegram HTML and shows input literally", (_name, text) => {
    const plain = parseHtml(text);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.length).toBeLessThanOrEqual(4096);
    if (text.includes("&lt;b&gt;")) expect(plain).toContain(EVIL);
    expect(text).not.toContain("<b>Bad");
  });

  it("formats money and durations from decimal strings", () => {
    expect(t.tierButton(tier)).toBe(`${EVIL} · 9.90 USD / 30 days`);
    expect(t.payButton({ amount: "1234.5", currency: "usd" })).toBe("💳 Pay 1,234.50 USD");
    expect(parseHtml(MESSAGES.channelPanel!)).toContain("Revenue so far: 1,234.50 USD (7 paid)");
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
