import { compareDecimal, toDecimalString } from "@telepay/payments";

/** The donation keypad's state, kept in the session so any instance can continue it. */
export interface KeypadSession {
  channelId: number;
  /** What the donor typed so far ("", "12", "12.", "12.5"). */
  amount: string;
  chatId: number;
  /** The one message the keypad edits in place; taps on any other message are stale. */
  messageId: number;
  /** ISO time after which the keypad is dead. */
  expiresAt: string;
}

export const KEYPAD_KEYS = [
  "0",
  "1",
  "2",
  "3",
  "4",
  "5",
  "6",
  "7",
  "8",
  "9",
  ".",
  "back",
  "clear",
  "ok",
  "cancel",
] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

export interface AmountRules {
  min: string;
  max: string;
  /** At most this many digits after the point (2 for fiat prices). */
  maxDecimals: number;
}

export type KeypadError = "too_many_decimals" | "above_max" | "already_has_point" | "empty" | "below_min";

export type KeypadResult = { ok: true; amount: string } | { ok: false; error: KeypadError; amount: string };

/** True for a string that names a keypad key. */
export function isKeypadKey(value: string): value is KeypadKey {
  return (KEYPAD_KEYS as readonly string[]).includes(value);
}

/**
 * Applies one editing key (digits, ".", back, clear) to the typed amount. Refused keys leave the
 * amount unchanged and name the reason, so the bot can explain instead of silently ignoring.
 */
export function pressKey(
  amount: string,
  key: Exclude<KeypadKey, "ok" | "cancel">,
  rules: AmountRules,
): KeypadResult {
  if (key === "back") return { ok: true, amount: amount.slice(0, -1) };
  if (key === "clear") return { ok: true, amount: "" };
  if (key === ".") {
    if (rules.maxDecimals === 0 || amount.includes("."))
      return { ok: false, error: "already_has_point", amount };
    return { ok: true, amount: `${amount === "" ? "0" : amount}.` };
  }
  const point = amount.indexOf(".");
  if (point >= 0 && amount.length - point - 1 >= rules.maxDecimals) {
    return { ok: false, error: "too_many_decimals", amount };
  }
  // A leading zero is replaced, not extended: "0" then "5" is "5", never "05".
  const next = amount === "0" ? key : amount + key;
  if (compareDecimal(withoutTrailingPoint(next), rules.max) > 0)
    return { ok: false, error: "above_max", amount };
  return { ok: true, amount: next };
}

/** Validates the typed amount on confirm; returns it normalised ("12.50" → "12.5"). */
export function confirmAmount(amount: string, rules: AmountRules): KeypadResult {
  const normalised = amount === "" ? undefined : toDecimalString(withoutTrailingPoint(amount));
  if (normalised === undefined || normalised === "0") return { ok: false, error: "empty", amount };
  const decimals = normalised.split(".")[1]?.length ?? 0;
  if (decimals > rules.maxDecimals) return { ok: false, error: "too_many_decimals", amount };
  if (compareDecimal(normalised, rules.min) < 0) return { ok: false, error: "below_min", amount };
  if (compareDecimal(normalised, rules.max) > 0) return { ok: false, error: "above_max", amount };
  return { ok: true, amount: normalised };
}

function withoutTrailingPoint(amount: string): string {
  const s = amount.endsWith(".") ? amount.slice(0, -1) : amount;
  return s === "" ? "0" : s;
}
