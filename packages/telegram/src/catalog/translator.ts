import { escapeHtml, Html } from "../html.ts";
import { type Locale, translate } from "../i18n.ts";
import { formatAmount, formatCount, formatDateTime } from "../locale-format.ts";

/** A catalog argument: text is escaped into HTML messages, Html is inserted as is, numbers pick plurals. */
export type Arg = string | number | Html;

/** What every catalog module builds its texts from, bound to one locale. */
export interface Translator {
  locale: Locale;
  /** A message text (HTML): string arguments are escaped, Html ones are inserted as they are. */
  html(key: string, args?: Record<string, Arg>): Html;
  /** A plain text (button label, toast, command description): nothing is escaped. */
  plain(key: string, args?: Record<string, string | number>): string;
  /** "30 days" / "30 дней": the `days` plural of the catalog. */
  days(n: number): string;
  money(amount: string, currency: string): string;
  date(date: Date): string;
  count(n: number): string;
}

/** The Translator for `locale`. */
export function translator(locale: Locale): Translator {
  return {
    locale,
    html(key, args) {
      const escaped: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(args ?? {})) {
        escaped[k] = v instanceof Html ? v.value : typeof v === "string" ? escapeHtml(v) : v;
      }
      return new Html(translate(locale, key, escaped));
    },
    plain: (key, args) => translate(locale, key, args),
    days: (n) => translate(locale, "days", { count: n }),
    money: (amount, currency) => formatAmount(locale, amount, currency),
    date: (date) => formatDateTime(locale, date),
    count: (n) => formatCount(locale, n),
  };
}
