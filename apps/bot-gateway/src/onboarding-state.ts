/**
 * /newchannel and /mychannels edit flows are explicit state machines whose state lives in the
 * session (bot_sessions), so a restart or another instance continues exactly where the owner was.
 */

/** A channel identified during onboarding (ids are decimal strings: 64-bit safe, JSON safe). */
export interface ChatRef {
  id: string;
  title: string;
  username?: string;
}

export interface TierDraft {
  price: string;
  days: number;
  label: string;
}

export const ONBOARDING_STEPS = [
  "open",
  "closed",
  "tiers",
  "wallet",
  "currency",
  "donation",
  "notifications",
  "confirm",
] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export interface OnboardingSession {
  step: OnboardingStep;
  open?: ChatRef;
  closed?: ChatRef;
  tiers?: TierDraft[];
  wallet?: string;
  currency?: string;
  network?: string | null;
  donationMessage?: string;
  notifications?: boolean;
  /** ISO time of the last step; abandoned flows expire. */
  updatedAt: string;
}

export type EditField = "tiers" | "description" | "donation";

export interface EditSession {
  channelId: number;
  field: EditField;
  updatedAt: string;
}

export const MAX_TIERS = 10;
const MAX_LABEL = 40;
const MAX_DAYS = 3650;
const PRICE_RE = /^(?:0|[1-9]\d{0,5})(?:\.\d{1,2})?$/;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses tiers, one per line, as `price:days:label` or `price days label` (label optional).
 * Errors name the line so the owner can fix it.
 */
export function parseTiers(text: string): ParseResult<TierDraft[]> {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length === 0) return { ok: false, error: "Send at least one tier." };
  if (lines.length > MAX_TIERS) return { ok: false, error: `At most ${MAX_TIERS} tiers.` };
  const tiers: TierDraft[] = [];
  for (const [i, line] of lines.entries()) {
    const parts = line.includes(":") ? line.split(":") : line.split(/\s+/);
    const [priceRaw = "", daysRaw = "", ...rest] = parts.map((p) => p.trim());
    const price = priceRaw.replace(/^\$/, "");
    const where = `Line ${i + 1} (“${line}”)`;
    if (!PRICE_RE.test(price) || /^0(\.0+)?$/.test(price)) {
      return {
        ok: false,
        error: `${where}: the price must be a positive amount with at most 2 decimals, like 9.99.`,
      };
    }
    if (!/^\d{1,4}$/.test(daysRaw) || Number(daysRaw) < 1 || Number(daysRaw) > MAX_DAYS) {
      return {
        ok: false,
        error: `${where}: the duration must be a whole number of days from 1 to ${MAX_DAYS}.`,
      };
    }
    const days = Number(daysRaw);
    const label = rest.join(line.includes(":") ? ":" : " ").trim() || `${days} days`;
    if (label.length > MAX_LABEL)
      return { ok: false, error: `${where}: the label is longer than ${MAX_LABEL} characters.` };
    tiers.push({ price, days, label });
  }
  return { ok: true, value: tiers };
}

/** A payout address: letters, digits and the separators some chains use; no spaces. */
export function parseWallet(text: string): ParseResult<string> {
  const wallet = text.trim();
  if (!/^[A-Za-z0-9:_.-]{16,128}$/.test(wallet)) {
    return {
      ok: false,
      error: "That does not look like a wallet address (16–128 letters and digits, no spaces).",
    };
  }
  return { ok: true, value: wallet };
}

/** `<ticker> [network]`, e.g. `usdttrc20` or `usdt tron`. */
export function parseCurrency(text: string): ParseResult<{ currency: string; network: string | null }> {
  const [currency = "", network, ...extra] = text.trim().toLowerCase().split(/\s+/);
  if (
    !/^[a-z0-9]{2,20}$/.test(currency) ||
    extra.length > 0 ||
    (network !== undefined && !/^[a-z0-9_-]{2,20}$/.test(network))
  ) {
    return {
      ok: false,
      error: "Send the ticker, optionally followed by the network, like “usdttrc20” or “usdt tron”.",
    };
  }
  return { ok: true, value: { currency, network: network ?? null } };
}

/** How an owner may name a channel in text: @username, a t.me link, or a numeric id. */
export type ChatReference = { kind: "username"; username: string } | { kind: "id"; id: string };

export function parseChatReference(text: string): ChatReference | undefined {
  const t = text.trim();
  const link = /^(?:https?:\/\/)?t\.me\/([A-Za-z][A-Za-z0-9_]{3,31})\/?$/.exec(t);
  if (link) return { kind: "username", username: link[1]! };
  const at = /^@([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(t);
  if (at) return { kind: "username", username: at[1]! };
  if (/^-?\d{5,20}$/.test(t)) return { kind: "id", id: t };
  return undefined;
}
