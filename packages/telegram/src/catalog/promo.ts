/**
 * The bot's texts for promo codes and free trials (issue 15), in one locale (catalogs:
 * packages/telegram/locales, keys `pr-*`). Codes, titles and labels are escaped here; callers never
 * build message text. Subscriber screens first, then the owner's /mychannels → Promo codes.
 */
import type { Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

/** Why a code was refused: the core's PromoRefusal (commerce promos.ts `details.reason`). */
export type PromoRefusalReason =
  | "format"
  | "unknown"
  | "disabled"
  | "expired"
  | "tier"
  | "used_up"
  | "below_minimum"
  | "donation";

/** Why a trial was refused: access.startTrial's `details.reason`. */
export type TrialRefusalReason = "no_trial" | "channel_inactive" | "subscribed" | "trial_used";

/** Which answer of the owner's new-code conversation was refused (the core's `details.field`). */
export type PromoField =
  | "code"
  | "discount"
  | "percentOff"
  | "amountOff"
  | "maxUses"
  | "expiresAt"
  | "tierPositions"
  | "taken";

/** One code in the owner's list. */
export interface PromoListItem {
  code: string;
  percentOff: number | null;
  amountOff: string | null;
  currency: string;
  maxUses: number | null;
  uses: number;
  held: number;
  expiresAt: Date | null;
  tierPositions: number[] | null;
  active: boolean;
  /** The p<channel>_<CODE> deep link. */
  url: string;
}

const TRIAL_REFUSAL_KEYS: Record<TrialRefusalReason, string> = {
  no_trial: "pr-trial-no-trial",
  channel_inactive: "pr-trial-channel-inactive",
  subscribed: "pr-trial-subscribed",
  trial_used: "pr-trial-used",
};

const kebab = (s: string) => s.replaceAll("_", "-");

/** The promo and trial texts bound to one locale. */
export function promoTexts(locale: Locale) {
  const m = translator(locale);
  const discount = (d: { percentOff: number | null; amountOff: string | null; currency: string }) =>
    d.percentOff !== null
      ? m.plain("pr-percent-off", { percent: d.percentOff })
      : m.plain("pr-amount-off", { amount: m.money(d.amountOff ?? "0", d.currency) });
  return {
    locale,
    // ── Subscribers ──
    /** The offer's "Have a code?" button. */
    haveCodeButton: () => m.plain("pr-have-code-button"),
    /** "Start 7-day free trial". */
    trialButton: (days: number) => m.plain("pr-trial-button", { days }),
    /** Asks for the code as a message. */
    codePrompt: (title: string) => m.html("pr-code-prompt", { title }).value,
    /** Above the channel's plans when a code came with the link or was typed. */
    codeNotice: (code: string) => m.html("pr-code-notice", { code }).value,
    /** A plan's button with the code applied (the price after it is shown once the order is open). */
    tierWithCodeButton: (d: { label: string; days: number }) =>
      m.plain("pr-tier-button", { plan: d.label || m.days(d.days) }),
    /** The line under an invoice bought with a code: the price before → after. */
    discountLine: (d: { code: string; before: string; after: string; currency: string }) =>
      m.html("pr-discount-line", {
        code: d.code,
        before: m.money(d.before, d.currency),
        after: m.money(d.after, d.currency),
      }).value,
    /** Why the code cannot be used; `below_minimum` names the price and the minimum. */
    refusal: (
      reason: PromoRefusalReason,
      d: { code?: string; price?: string; minimum?: string; currency?: string } = {},
    ) =>
      reason === "below_minimum"
        ? m.html("pr-refused-below-minimum", {
            code: d.code ?? "",
            price: m.money(d.price ?? "0", d.currency ?? "USD"),
            minimum: m.money(d.minimum ?? "1", d.currency ?? "USD"),
          }).value
        : m.html(`pr-refused-${kebab(reason)}`, { code: d.code ?? "" }).value,
    /** The trial has begun; the invite follows from the notifier. */
    trialStarted: (d: { title: string; days: number; until: Date }) =>
      m.html("pr-trial-started", { title: d.title, period: m.days(d.days), until: m.date(d.until) }).value,
    trialRefused: (reason: TrialRefusalReason, title: string) =>
      m.html(TRIAL_REFUSAL_KEYS[reason], { title }).value,

    // ── Owners ──
    /** The /mychannels panel's button. */
    promosButton: () => m.plain("pr-promos-button"),
    addButton: () => m.plain("pr-add-button"),
    disableButton: (code: string) => m.plain("pr-disable-button", { code }),
    backButton: () => m.plain("pr-back-button"),
    /**
     * The channel's codes with their uses and links; `more` codes were left out (a Telegram message
     * holds 4096 characters), and the line says where to see them all.
     */
    list: (title: string, items: PromoListItem[], more = 0) => {
      const head = m.html("pr-list-head", { title }).value;
      if (items.length === 0) return `${head}\n\n${m.html("pr-list-none").value}`;
      const lines = items.map((p) => {
        const parts = [
          discount(p),
          p.maxUses !== null
            ? m.plain("pr-uses-of", { uses: p.uses, max: p.maxUses })
            : m.plain("pr-uses", { uses: p.uses }),
        ];
        if (p.held > p.uses) parts.push(m.plain("pr-held", { held: p.held - p.uses }));
        if (p.expiresAt) parts.push(m.plain("pr-expires", { date: m.date(p.expiresAt) }));
        if (p.tierPositions && p.tierPositions.length > 0)
          parts.push(m.plain("pr-tiers", { tiers: p.tierPositions.join(", ") }));
        if (!p.active) parts.push(m.plain("pr-disabled"));
        return m.html("pr-list-line", { code: p.code, details: parts.join(" · "), url: p.url }).value;
      });
      const tail = more > 0 ? `\n\n${m.html("pr-list-more", { count: more }).value}` : "";
      return `${head}\n\n${lines.join("\n\n")}${tail}`;
    },
    /** The questions of the new-code conversation. */
    askCode: () => m.html("pr-ask-code").value,
    askDiscount: (currency: string) => m.html("pr-ask-discount", { currency }).value,
    askMaxUses: () => m.html("pr-ask-max-uses").value,
    askExpiry: () => m.html("pr-ask-expiry").value,
    askTiers: (tiers: Array<{ position: number; label: string; days: number }>) =>
      m.html("pr-ask-tiers", {
        tiers: tiers.map((t) => `${t.position} — ${t.label || m.days(t.days)}`).join("\n"),
      }).value,
    /** An answer the conversation (or the core) refused; the same question follows. */
    badAnswer: (field: PromoField) =>
      m.html(`pr-bad-${kebab(field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))}`).value,
    created: (d: { code: string; url: string }) => m.html("pr-created", d).value,
    /** The panel's button, with the channel's current trial. */
    trialSettingsButton: (days: number) =>
      m.plain("pr-trial-settings-button", { current: days > 0 ? m.days(days) : m.plain("pr-trial-off") }),
    askTrialDays: (d: { title: string; days: number; max: number }) =>
      m.html("pr-ask-trial-days", {
        title: d.title,
        current: d.days > 0 ? m.days(d.days) : m.plain("pr-trial-off"),
        max: d.max,
      }).value,
    badTrialDays: (max: number) => m.html("pr-bad-trial-days", { max }).value,
    trialDaysSaved: (days: number) =>
      m.html("pr-trial-days-saved", { current: days > 0 ? m.days(days) : m.plain("pr-trial-off") }).value,
    disabledToast: (code: string) => m.plain("pr-disabled-toast", { code }),
  };
}
export type PromoTexts = ReturnType<typeof promoTexts>;
