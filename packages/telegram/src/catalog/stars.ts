/**
 * The bot's Telegram Stars texts, in the subscriber's locale (catalogs: packages/telegram/locales,
 * keys `stars-*`). Titles and labels are escaped here; callers never build message text.
 */
import type { Html } from "../html.ts";
import type { Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

/** Why a pre-checkout query is refused (the core's CheckoutRefusal). */
export type StarsRefusal = "unknown_order" | "not_yours" | "price_changed" | "unavailable" | "already_paid";

/** The Stars texts bound to one locale. */
export function starsTexts(locale: Locale) {
  const m = translator(locale);
  const plan = (label: string, days: number) => label || m.days(days);
  return {
    /** "250 ⭐" */
    amount: (stars: number) => m.plain("stars-amount", { stars: m.count(stars) }),
    /** A tier's Stars button in the channel menu. */
    menuButton: (d: { label: string; days: number; stars: number }) =>
      m.plain("stars-menu-button", { label: plan(d.label, d.days), stars: m.count(d.stars) }),
    /** The tier offer's Stars button. */
    offerButton: (stars: number) => m.plain("stars-offer-button", { stars: m.count(stars) }),
    payButton: (stars: number) => m.plain("stars-pay-button", { stars: m.count(stars) }),
    /** Telegram's invoice title (at most 32 characters) and description (at most 255). */
    invoiceTitle: (title: string) => truncate(title || plan("", 30), 32),
    invoiceDescription: (d: { title: string; label: string; days: number }) =>
      truncate(
        m.plain("stars-invoice-description", {
          plan: plan(d.label, d.days),
          days: m.days(d.days),
          title: d.title,
        }),
        255,
      ),
    /** The screen with the Pay button. */
    invoice: (d: { title: string; label: string; days: number; stars: number; renews: boolean }) =>
      m.html("stars-invoice", {
        title: d.title,
        plan: plan(d.label, d.days),
        price: m.plain("stars-amount", { stars: m.count(d.stars) }),
        days: m.days(d.days),
        renewal: m.html(d.renews ? "stars-renews-note" : "stars-one-off-note"),
      }).value,
    notSold: () => m.html("stars-not-sold").value,
    /** The pre-checkout refusal (plain text, shown by Telegram). */
    refusal: (reason: StarsRefusal) => m.plain(`stars-checkout-${reason.replace("_", "-")}`),
    paymentReview: () => m.html("stars-payment-review").value,
    /** One line of /subscriptions for a Stars subscription. */
    renewalLine: (d: { title: string; renews: boolean; date: Date }) =>
      m.html(d.renews ? "stars-renewal-on" : "stars-renewal-off", { title: d.title, date: m.date(d.date) }),
    stopButton: (title: string) => m.plain("stars-stop-button", { title: truncate(title, 40) }),
    resumeButton: (title: string) => m.plain("stars-resume-button", { title: truncate(title, 40) }),
    renewalStopped: () => m.plain("stars-renewal-stopped"),
    renewalResumed: () => m.plain("stars-renewal-resumed"),
    renewalFailed: () => m.plain("stars-renewal-failed"),
    /** Why tiers of a channel selling for Stars were refused (an owner's edit). */
    tiersNeedStars: () => m.plain("stars-tiers-need-price"),
    /** Joins lines of a list into one HTML text. */
    lines: (parts: Html[]) => parts.map((p) => p.value).join("\n"),
  };
}
export type StarsTexts = ReturnType<typeof starsTexts>;

/** Cuts a text to `max` characters (Telegram's limits for invoice fields and button labels). */
function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
