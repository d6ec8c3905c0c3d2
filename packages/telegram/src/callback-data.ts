/**
 * Typed callback data for inline buttons one app sends and another handles (the notifier's owner
 * DMs, the bot's handlers). Telegram allows 1–64 bytes; each kind has a short prefix, and parse
 * returns undefined for anything that is not exactly a well-formed value of the kind.
 */
import { isLocale, type Locale } from "./i18n.ts";

/** The owner's decision on a payment flagged for review: grant anyway, or dismiss with a note. */
export interface ReviewCallback {
  action: "grant" | "dismiss";
  /** The review's id (its payment id). */
  paymentId: string;
  /** The reason the owner was shown (the decision is refused if the payment was flagged again since). */
  reason: string;
}

const ACTIONS = { grant: "g", dismiss: "d" } as const;
const REVIEW = /^rv:([gd]):([A-Za-z0-9_-]{1,36}):([a-z_]{1,20})$/;

/** `rv:<g|d>:<payment id>:<reason>`; throws if it would not fit Telegram's 64 bytes. */
export function reviewCallbackData(cb: ReviewCallback): string {
  const data = `rv:${ACTIONS[cb.action]}:${cb.paymentId}:${cb.reason}`;
  if (!REVIEW.test(data)) throw new RangeError(`review callback data out of shape: ${data}`);
  return data;
}

/** The ReviewCallback in `data`, or undefined. */
export function parseReviewCallback(data: string | undefined): ReviewCallback | undefined {
  const m = data ? REVIEW.exec(data) : null;
  if (!m) return undefined;
  return { action: m[1] === "g" ? "grant" : "dismiss", paymentId: m[2]!, reason: m[3]! };
}

/** Matches every review callback (for grammY's callbackQuery filter). */
export const REVIEW_CALLBACK = REVIEW;

/**
 * A language picked from a keyboard: the user's own (/language) or a channel's posts (the owner's
 * /newchannel summary and /mychannels panel).
 */
export type LanguageCallback =
  | { target: "user"; locale: Locale }
  | { target: "onboarding"; locale: Locale }
  | { target: "channel"; channelId: number; locale: Locale };

const LANGUAGE = /^lg:(u|o|c(\d{1,12})):([A-Za-z-]{2,5})$/;

/** `lg:u:<locale>`, `lg:o:<locale>` or `lg:c<channel id>:<locale>`. */
export function languageCallbackData(cb: LanguageCallback): string {
  const where = cb.target === "user" ? "u" : cb.target === "onboarding" ? "o" : `c${cb.channelId}`;
  return `lg:${where}:${cb.locale}`;
}

/** The LanguageCallback in `data` (only for a locale TelePay speaks), or undefined. */
export function parseLanguageCallback(data: string | undefined): LanguageCallback | undefined {
  const m = data ? LANGUAGE.exec(data) : null;
  if (!m || !isLocale(m[3])) return undefined;
  const locale = m[3];
  if (m[1] === "u") return { target: "user", locale };
  if (m[1] === "o") return { target: "onboarding", locale };
  return { target: "channel", channelId: Number(m[2]), locale };
}

/** Matches every language callback (for grammY's callbackQuery filter). */
export const LANGUAGE_CALLBACK = LANGUAGE;

/**
 * The owner's Refund button on a paid order (notifier: owner payment notice) and its confirm step:
 * `ask` shows what the refund does, `confirm` refunds, `keep` drops the question. Carries only the
 * order id: who may press it, and what it refunds, is read from the database (commerce refunds).
 */
export interface RefundCallback {
  action: "ask" | "confirm" | "keep";
  orderId: number;
}

const REFUND_ACTIONS = { ask: "a", confirm: "c", keep: "k" } as const;
const REFUND = /^rf:([ack]):([1-9]\d{0,11})$/;

/** `rf:<a|c|k>:<order id>`. */
export function refundCallbackData(cb: RefundCallback): string {
  const data = `rf:${REFUND_ACTIONS[cb.action]}:${cb.orderId}`;
  if (!REFUND.test(data)) throw new RangeError(`refund callback data out of shape: ${data}`);
  return data;
}

/** The RefundCallback in `data`, or undefined. */
export function parseRefundCallback(data: string | undefined): RefundCallback | undefined {
  const m = data ? REFUND.exec(data) : null;
  if (!m) return undefined;
  const action = m[1] === "a" ? "ask" : m[1] === "c" ? "confirm" : "keep";
  return { action, orderId: Number(m[2]) };
}

/** Matches every refund callback (for grammY's callbackQuery filter). */
export const REFUND_CALLBACK = REFUND;

/**
 * The Stop button under a broadcast's progress message. It carries no id: the bot finds the
 * broadcast by that message (commerce broadcasts.byProgressMessage), for the presser's own only.
 */
export const BROADCAST_STOP_CALLBACK = "bc:x";
