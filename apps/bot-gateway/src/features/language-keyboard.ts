import {
  type LanguageCallback,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  languageCallbackData,
} from "@telepay/telegram";
import { InlineKeyboard } from "grammy";

/** The four languages as buttons (native names), two per row; the current one is ticked. */
export function languageKeyboard(
  target: (locale: Locale) => LanguageCallback,
  current: Locale | undefined,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  LOCALES.forEach((locale, i) => {
    kb.text(`${locale === current ? "✓ " : ""}${LOCALE_NAMES[locale]}`, languageCallbackData(target(locale)));
    if (i % 2 === 1 && i < LOCALES.length - 1) kb.row();
  });
  return kb;
}
