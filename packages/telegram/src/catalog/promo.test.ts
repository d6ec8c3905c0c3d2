import { parseHtml } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../i18n.ts";
import { promoTexts } from "./promo.ts";

/** Owner-typed titles and labels that break HTML if they are not escaped. */
const EVIL = `<b>Bad & "bold"</i> <a href="x">`;

describe("promo and trial texts", () => {
  it.each(LOCALES)("%s: every message escapes titles and labels and has no missing key", (locale) => {
    const t = promoTexts(locale);
    const item = {
      code: "SPRING",
      percentOff: null,
      amountOff: "2.5",
      currency: "USD",
      maxUses: 10,
      uses: 3,
      held: 5,
      expiresAt: new Date("2027-01-01T00:00:00Z"),
      tierPositions: [1, 2],
      active: false,
      url: "https://t.me/bot?start=p1_SPRING",
    };
    const messages = [
      t.codePrompt(EVIL),
      t.codeNotice("SPRING"),
      t.discountLine({ code: "SPRING", before: "9.99", after: "7.99", currency: "USD" }),
      ...(["format", "unknown", "disabled", "expired", "tier", "used_up", "donation"] as const).map((r) =>
        t.refusal(r, { code: "SPRING" }),
      ),
      t.refusal("below_minimum", { code: "BIG", price: "0.5", minimum: "1", currency: "USD" }),
      t.trialStarted({ title: EVIL, days: 7, until: new Date("2027-01-01T00:00:00Z") }),
      ...(["no_trial", "channel_inactive", "subscribed", "trial_used"] as const).map((r) =>
        t.trialRefused(r, EVIL),
      ),
      t.list(EVIL, [item, { ...item, percentOff: 20, amountOff: null, maxUses: null, active: true }]),
      t.list(EVIL, []),
      t.askCode(),
      t.askDiscount("USD"),
      t.askMaxUses(),
      t.askExpiry(),
      t.askTiers([{ position: 1, label: EVIL, days: 30 }]),
      ...(
        [
          "code",
          "taken",
          "discount",
          "percentOff",
          "amountOff",
          "maxUses",
          "expiresAt",
          "tierPositions",
        ] as const
      ).map((f) => t.badAnswer(f)),
      t.created({ code: "SPRING", url: "https://t.me/bot?start=p1_SPRING" }),
      t.askTrialDays({ title: EVIL, days: 0, max: 365 }),
      t.badTrialDays(365),
      t.trialDaysSaved(7),
    ];
    for (const html of messages) {
      expect(html).not.toMatch(/\{|pr-[a-z-]+/);
      expect(html).not.toContain("<b>Bad");
      // Telegram's HTML parser would accept it: every tag closes.
      expect(() => parseHtml(html)).not.toThrow();
    }
    const plain = [
      t.haveCodeButton(),
      t.trialButton(1),
      t.trialButton(7),
      t.promosButton(),
      t.trialSettingsButton(0),
    ];
    for (const label of plain) expect(label).not.toMatch(/\{|pr-/);
    expect(t.list(EVIL, [item])).toContain("&lt;b&gt;Bad");
  });
});
