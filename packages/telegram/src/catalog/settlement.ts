/**
 * What a channel's owner sees of the settlement ledger (SETTLEMENT=operator) in /mychannels: per
 * currency, what is due to them, what was paid out, and the last payout. The figures come from
 * commerce `settlement.balances`; the texts are the mc-balance-* keys of the catalogs.
 */
import type { Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

/** One currency's balance, amounts as decimal strings. */
export interface OwnerBalanceView {
  currency: string;
  earned: string;
  paid: string;
  /** Negative when a refund came after a payout. */
  due: string;
  lastPayout: { amount: string; at: Date } | null;
}

/**
 * The owner's balance block (HTML), in `locale`. With SETTLEMENT=direct (`direct`) payments reach the
 * owner's wallet without the operator: that is said first, and only balances left from operator mode
 * follow (they are still owed).
 */
export function ownerBalanceText(
  locale: Locale,
  balances: readonly OwnerBalanceView[],
  options: { direct?: boolean } = {},
): string {
  const m = translator(locale);
  if (options.direct) {
    const direct = m.html("mc-balance-direct").value;
    return balances.length === 0 ? direct : `${direct}\n${ownerBalanceText(locale, balances)}`;
  }
  if (balances.length === 0) return m.html("mc-balance-none").value;
  const lines = balances.map((b) => {
    const figures = {
      currency: b.currency.toUpperCase(),
      paid: m.money(b.paid, b.currency),
      earned: m.money(b.earned, b.currency),
    };
    const line = b.due.startsWith("-")
      ? m.html("mc-balance-ahead", { ...figures, ahead: m.money(b.due.slice(1), b.currency) })
      : m.html("mc-balance-due", { ...figures, due: m.money(b.due, b.currency) });
    const last = b.lastPayout
      ? m.html("mc-balance-last", {
          amount: m.money(b.lastPayout.amount, b.currency),
          date: m.date(b.lastPayout.at),
        })
      : m.html("mc-balance-never");
    return `${line.value}\n${last.value}`;
  });
  return [m.html("mc-balance-title").value, ...lines].join("\n");
}
