/**
 * The catalogs: one Fluent file per locale in packages/telegram/locales, loaded through grammY's
 * i18n plugin (@grammyjs/i18n). Every user-visible text lives there; the typed functions in
 * ./catalog turn data into arguments and escape it. Design: docs/i18n.md.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";

/** The locales TelePay speaks; "en" is the fallback for everything else. */
export const LOCALES = ["en", "ru", "es", "pt-BR"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The native name of each locale (the /language buttons). */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  ru: "Русский",
  es: "Español",
  "pt-BR": "Português (Brasil)",
};

/**
 * The .ftl files: packages/telegram/locales from this file, and <app>/locales from a packaged
 * bundle's dist/ (tooling/package copies them there), the same ../ either way.
 */
export const localesFolder = fileURLToPath(new URL("../locales", import.meta.url));

/** True for a TelePay locale id ("pt-BR", not "pt-br"). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of `codes` TelePay speaks (a stored /language choice, then Telegram's IETF
 * `language_code`), else English. "pt", "pt-br" and "pt-PT" read as Brazilian Portuguese,
 * "es-419" as Spanish, "ru-RU" as Russian.
 */
export function resolveLocale(...codes: Array<string | null | undefined>): Locale {
  for (const code of codes) {
    if (!code) continue;
    if (isLocale(code)) return code;
    const base = code.trim().toLowerCase().split(/[-_]/)[0];
    if (base === "pt") return "pt-BR";
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}

let shared: I18n | undefined;

/**
 * The loaded catalogs (read once, synchronously, on first use; never at import). Unicode
 * isolation marks are off: Telegram renders HTML, and the marks would end up inside codes and links.
 */
export function catalogs(folder: string = localesFolder): I18n {
  if (shared && folder === localesFolder) return shared;
  const i18n = new I18n({ defaultLocale: DEFAULT_LOCALE, fluentBundleOptions: { useIsolating: false } });
  for (const locale of LOCALES) {
    i18n.loadLocaleSync(locale, {
      source: readFileSync(join(folder, `${locale}.ftl`), "utf8"),
      bundleOptions: { useIsolating: false },
    });
  }
  if (folder === localesFolder) shared = i18n;
  return i18n;
}

/** Fluent arguments: strings are inserted as given, numbers select plural forms. */
export type TextArgs = Record<string, string | number>;

/** One catalog entry in `locale`; falls back to English for a key a locale lacks. */
export function translate(locale: Locale, key: string, args?: TextArgs): string {
  return catalogs().t(locale, key, args);
}
