/**
 * The direct-mode checkout message (SETTLEMENT=direct, docs/settlement.md), in the payer's locale:
 * keys `checkout-*` of the catalogs. The bot sends it with the QR code; the notifier edits the same
 * message when the payment's status changes, so both build the caption here, once.
 */
import type { Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

/** What the checkout message shows. Amounts are decimal strings, shown exactly as NOWPayments gave them. */
export interface CheckoutView {
  title: string;
  /** The order's price and currency (e.g. 4.99 USD). */
  price: { amount: string; currency: string };
  /** The payment NOWPayments created (the stored checkout row): the exact amount and coin to send, and where. */
  checkout: {
    payAmount: string;
    payCurrency: string;
    payAddress: string;
    payinExtraId: string | null;
    expiresAt: Date | null;
  };
  /** The payment's status (NOWPayments' names) or needs_review. */
  status: string;
}

/** Statuses that share a line (the payer only needs to know the money is on its way). */
const STATUS_LINE: Record<string, string> = {
  waiting: "waiting",
  confirming: "confirming",
  confirmed: "confirming",
  sending: "confirming",
  partially_paid: "partially-paid",
  finished: "finished",
  expired: "expired",
  failed: "failed",
  refunded: "refunded",
  needs_review: "needs-review",
};

/** Statuses after which the payer has nothing more to send (no pay buttons, nothing to copy). */
export const CHECKOUT_FINAL_STATUSES: ReadonlySet<string> = new Set([
  "finished",
  "expired",
  "failed",
  "refunded",
  "needs_review",
]);

/** The checkout texts bound to one locale. */
export function checkoutTexts(locale: Locale) {
  const m = translator(locale);
  return {
    /** NOWPayments refused a payment in this coin (often: the amount is under its minimum). */
    coinUnavailable: (coin: string) =>
      m.html("checkout-coin-unavailable", { coin: coin.toUpperCase() }).value,
    /** A coin button's label: its ticker as NOWPayments names it, upper-cased (data, not a text). */
    coinButton: (coin: string) => coin.toUpperCase(),
    /** Onboarding (SETTLEMENT=direct): NOWPayments refused the wallet, with its reason. */
    walletRefused: (d: { wallet: string; currency: string; reason: string }) =>
      m.html("checkout-wallet-refused", {
        wallet: d.wallet,
        currency: d.currency.toUpperCase(),
        reason: d.reason.slice(0, 200),
      }).value,
    /** Onboarding: the wallet could not be checked (NOWPayments unreachable); nothing was stored. */
    walletUnchecked: () => m.html("checkout-wallet-unchecked").value,
    /** The photo caption (HTML, well under Telegram's 1024 characters). */
    caption(v: CheckoutView): string {
      const lines = [
        m.html("checkout-head", { title: v.title, price: m.money(v.price.amount, v.price.currency) }).value,
        "",
      ];
      if (!CHECKOUT_FINAL_STATUSES.has(v.status)) {
        lines.push(
          m.html("checkout-send", {
            amount: v.checkout.payAmount,
            coin: v.checkout.payCurrency.toUpperCase(),
            address: v.checkout.payAddress,
          }).value,
        );
        if (v.checkout.payinExtraId)
          lines.push(m.html("checkout-memo", { memo: v.checkout.payinExtraId }).value);
        if (v.checkout.expiresAt)
          lines.push(m.html("checkout-expires", { expires: m.date(v.checkout.expiresAt) }).value);
        lines.push("");
      }
      lines.push(m.html(`checkout-status-${STATUS_LINE[v.status] ?? "waiting"}`).value);
      return lines.join("\n");
    },
  };
}
export type CheckoutTexts = ReturnType<typeof checkoutTexts>;
