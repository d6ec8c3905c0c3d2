import { MAX_TIER_DAYS, MAX_TIER_LABEL, parseTiers as parseTierLines } from "@telepay/commerce";
import type { InputProblem, Locale } from "@telepay/telegram";

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
  /** The Stars price written as `⭐250` at the end of the line; null when none. */
  starsPrice?: number | null;
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
  /** The language of the channel's posts: the owner's own unless they pick another on the summary. */
  language?: Locale;
  /** ISO time of the last step; abandoned flows expire. */
  updatedAt: string;
}

export type EditField = "tiers" | "description" | "donation";

export interface EditSession {
  channelId: number;
  field: EditField;
  updatedAt: string;
}

/** Who a broadcast goes to (the core's BroadcastAudience). */
export type BroadcastAudience = "active" | "expired" | "all";

/**
 * An owner's /broadcast in progress: compose (text or a photo with a caption) → audience → confirm
 * (the preview is on screen). Sent, it lives in the broadcasts table and the draft is gone.
 */
export interface BroadcastDraft {
  channelId: number;
  step: "compose" | "audience" | "confirm";
  /** The text, or the photo's caption, exactly as the owner typed it (escaped when rendered). */
  text?: string;
  /** The owner's photo (a Telegram file_id); null for a text broadcast. */
  photoFileId?: string | null;
  audience?: BroadcastAudience;
  updatedAt: string;
}

/** A parsed input, or why it was refused (the bot words it in the owner's language). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: InputProblem };

/**
 * Tiers, one per line, in the core's one grammar (`price:days:label` or `price days label`, label
 * optional). Errors name the line so the owner can fix it.
 */
export function parseTiers(text: string): ParseResult<TierDraft[]> {
  const parsed = parseTierLines(text.split("\n"));
  if (parsed.ok) {
    return {
      ok: true,
      value: parsed.tiers.map((x) => ({
        price: x.price,
        days: x.durationDays,
        label: x.label,
        starsPrice: x.starsPrice,
      })),
    };
  }
  const p = parsed.problem;
  if (p.kind === "count")
    return {
      ok: false,
      error: p.got === 0 ? { kind: "tiers_none" } : { kind: "tiers_too_many", max: p.max },
    };
  const where = { line: p.index + 1, text: p.line };
  switch (p.kind) {
    case "price":
    case "price_zero":
      return { ok: false, error: { kind: "tier_price", ...where } };
    case "format":
    case "days":
      return { ok: false, error: { kind: "tier_days", ...where, max: MAX_TIER_DAYS } };
    case "label":
      return { ok: false, error: { kind: "tier_label", ...where, max: MAX_TIER_LABEL } };
    // A Stars price that is not a whole 1…10000 (`⭐250`): a price problem of that line.
    case "stars":
      return { ok: false, error: { kind: "tier_price", ...where } };
  }
}

/** A payout address: letters, digits and the separators some chains use; no spaces. */
export function parseWallet(text: string): ParseResult<string> {
  const wallet = text.trim();
  if (!/^[A-Za-z0-9:_.-]{16,128}$/.test(wallet)) {
    return { ok: false, error: { kind: "wallet" } };
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
    return { ok: false, error: { kind: "currency" } };
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
