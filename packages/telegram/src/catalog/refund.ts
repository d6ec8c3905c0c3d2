/**
 * The bot's texts for the owner's Refund button (catalogs: packages/telegram/locales, keys
 * `refund-*`), in the owner's locale. A Stars refund gives the Stars back through Telegram; a crypto
 * refund cannot be sent by TelePay, so its texts say the owner returns the money and TelePay records it.
 */
import type { Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

/** How the payment is refunded (commerce RefundPreview.method). */
export type RefundMethod = "stars" | "recorded";

/** The refund texts bound to one locale. */
export function refundTexts(locale: Locale) {
  const m = translator(locale);
  return {
    /** The question before anything happens: what will be refunded, and how. */
    confirm: (d: {
      method: RefundMethod;
      amount: string;
      currency: string;
      reference: string;
      customer: string;
    }) =>
      m.html(d.method === "stars" ? "refund-confirm-stars" : "refund-confirm-recorded", {
        amount: m.money(d.amount, d.currency),
        reference: d.reference,
        customer: d.customer,
      }).value,
    confirmButton: (method: RefundMethod) =>
      m.plain(method === "stars" ? "refund-confirm-button-stars" : "refund-confirm-button-recorded"),
    keepButton: () => m.plain("refund-keep-button"),
    kept: () => m.plain("refund-kept"),
    /** After the refund: what happened (the reversal notice follows with the access details). */
    done: (d: { method: RefundMethod; amount: string; currency: string; reference: string }) =>
      m.html(d.method === "stars" ? "refund-done-stars" : "refund-done-recorded", {
        amount: m.money(d.amount, d.currency),
        reference: d.reference,
      }).value,
    notYours: () => m.plain("refund-not-yours"),
    already: () => m.plain("refund-already"),
    notRefundable: () => m.plain("refund-not-refundable"),
    failed: () => m.plain("refund-failed"),
  };
}
export type RefundTexts = ReturnType<typeof refundTexts>;
