export {
  BROADCAST_STOP_CALLBACK,
  LANGUAGE_CALLBACK,
  type LanguageCallback,
  languageCallbackData,
  parseLanguageCallback,
  parseRefundCallback,
  parseReviewCallback,
  REFUND_CALLBACK,
  REVIEW_CALLBACK,
  type RefundCallback,
  type ReviewCallback,
  refundCallbackData,
  reviewCallbackData,
} from "./callback-data.ts";
export { type DeepLink, deepLinkPayload, deepLinkUrl, parseDeepLink } from "./deep-links.ts";
export {
  classifyApiError,
  classifyTelegramError,
  isMessageNotModified,
  isMessageToEditNotFound,
  isNotAParticipant,
  isPermanentTelegramError,
  isRetryableTelegramError,
  isUnremovableMember,
  type TelegramErrorKind,
} from "./errors.ts";
export {
  displayName,
  formatDate,
  formatMoney,
  shortenWallet,
  subtractDecimal,
} from "./format.ts";
export { escapeHtml, Html, html, link, raw } from "./html.ts";
export {
  catalogs,
  DEFAULT_LOCALE,
  isLocale,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  localesFolder,
  resolveLocale,
  type TextArgs,
  translate,
} from "./i18n.ts";
export { formatAmount, formatCount, formatDateTime } from "./locale-format.ts";
export * from "./messages.ts";
export { type CallScope, type RateLimits, TELEGRAM_LIMITS } from "./rate-limiter.ts";
export {
  createSenderTransformer,
  createTelegramApi,
  type PermanentErrorInfo,
  type SenderLimits,
  type SenderOptions,
  type SenderStats,
  type SenderTransformer,
  scopeOf,
  type TelegramApi,
  type TelegramApiOptions,
} from "./sender.ts";
