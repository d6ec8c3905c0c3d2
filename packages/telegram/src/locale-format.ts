/**
 * Dates and amounts for a reader in `locale`, with Intl. Money stays a decimal string all the way:
 * Intl.NumberFormat formats the string exactly (no float on the way). Durations and other counted
 * words are Fluent plurals in the catalogs (`days`), not here.
 */
import type { Locale } from "./i18n.ts";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** ISO currencies shown the locale's way ($9.99, 9,99 $, US$ 9,99); anything else is a crypto ticker. */
const FIAT = new Set(["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "RUB", "UAH", "INR", "BRL", "TRY"]);

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

/**
 * "9.9" USD → "$9.90" (en), "9,90 $" (ru), "9,90 US$" (es), "US$ 9,90" (pt-BR); "0.00120000" BTC →
 * "0.0012 BTC" / "0,0012 BTC". Throws on anything that is not a decimal string.
 */
export function formatAmount(locale: Locale, amount: string, currency: string): string {
  const value = amount.trim();
  if (!DECIMAL.test(value)) throw new Error(`formatAmount: not a decimal string: ${JSON.stringify(amount)}`);
  const code = currency.trim().toUpperCase();
  // Telegram Stars (XTR) are whole and have a sign of their own: "250 ⭐", never a currency code.
  if (code === "XTR")
    return `${memo(`i|${locale}`, () => new Intl.NumberFormat(locale)).format(value as unknown as number)} ⭐`;
  const digits = (value.split(".")[1] ?? "").replace(/0+$/, "").length;
  // Intl.NumberFormat accepts decimal strings and keeps every digit (ECMA-402 NumberFormat v3).
  const num = value as unknown as number;
  if (FIAT.has(code) && digits <= 2) {
    return memo(
      `c|${locale}|${code}`,
      () => new Intl.NumberFormat(locale, { style: "currency", currency: code }),
    ).format(num);
  }
  const f = memo(`n|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 100 }));
  return `${f.format(num)} ${code}`;
}

/** "Mar 1, 2026, 2:05 PM UTC" / "1 мар. 2026 г., 14:05 UTC": the locale's order, always UTC, zone named. */
export function formatDateTime(locale: Locale, date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("formatDateTime: invalid date");
  const f = memo(
    `d|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  );
  return `${f.format(date)} UTC`;
}

/** A plain count in the locale's digits (1,234 / 1 234). */
export function formatCount(locale: Locale, n: number): string {
  return memo(`i|${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}
