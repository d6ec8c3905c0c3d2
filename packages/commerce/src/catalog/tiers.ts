import { type DbOrTx, tiers } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { CommerceError, CommerceErrorCode } from "../errors.ts";

/** How many active tiers a channel may offer (one tier post button each). */
export const MAX_TIERS = 10;
/** The longest a tier may last, in days (ten years). */
export const MAX_TIER_DAYS = 3650;
/** The longest tier label, in characters. */
export const MAX_TIER_LABEL = 64;

/** The most Stars a tier may cost (Telegram's cap for a Stars subscription invoice). */
export const MAX_STARS_PRICE = 10_000;

/**
 * A tier as the core stores it: a canonical decimal price, whole days, a label ("" = none) and its
 * price in Telegram Stars (whole Stars, null = not sold for Stars).
 */
export interface TierInput {
  price: string;
  durationDays: number;
  label: string;
  starsPrice: number | null;
}

/** A tier as callers hand it in (the Stars price is optional). */
export interface RawTier {
  price: string;
  durationDays: number;
  label?: string;
  starsPrice?: number | null;
}

/**
 * Why tiers were refused. `index` is the tier's 0-based place in the input (line or --tier).
 * - count: none, or more than MAX_TIERS; - format: not `price:days[:label]` / `price days [label]`;
 * - price: not a decimal amount; - price_zero: not above 0; - days: not 1…MAX_TIER_DAYS;
 * - label: longer than MAX_TIER_LABEL; - stars: a Stars price that is not a whole 1…MAX_STARS_PRICE.
 */
export type TierProblem =
  | { kind: "count"; got: number; max: number }
  | { kind: "format" | "price" | "price_zero" | "days" | "label" | "stars"; index: number; line: string };

export type TiersResult = { ok: true; tiers: TierInput[] } | { ok: false; problem: TierProblem };

/** A tier price: up to 999999.99, at most 2 decimals. */
const PRICE_RE = /^\d{1,6}(?:\.\d{1,2})?$/;

/** A decimal amount written the one canonical way: no leading zeros, no trailing fraction zeros. */
export function canonicalDecimal(value: string): string {
  const [whole = "0", fraction = ""] = value.split(".");
  const f = fraction.replace(/0+$/, "");
  return `${BigInt(whole).toString()}${f ? `.${f}` : ""}`;
}

/** True for a Stars price Telegram accepts for our invoices: a whole number 1…MAX_STARS_PRICE. */
export function isStarsPrice(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_STARS_PRICE;
}

function checkTier(
  raw: { price: string; days: string; label: string; starsPrice?: number | null },
  index: number,
  line: string,
): TierInput | TierProblem {
  const price = raw.price.trim().replace(/^\$/, "");
  if (!PRICE_RE.test(price)) return { kind: "price", index, line };
  const canonical = canonicalDecimal(price);
  if (/^0(\.0*)?$/.test(canonical)) return { kind: "price_zero", index, line };
  const days = raw.days.trim();
  if (!/^\d{1,4}$/.test(days) || Number(days) < 1 || Number(days) > MAX_TIER_DAYS)
    return { kind: "days", index, line };
  const label = raw.label.trim();
  if (label.length > MAX_TIER_LABEL) return { kind: "label", index, line };
  const starsPrice = raw.starsPrice ?? null;
  if (starsPrice !== null && !isStarsPrice(starsPrice)) return { kind: "stars", index, line };
  return { price: canonical, durationDays: Number(days), label, starsPrice };
}

/** A Stars price written at the end of a tier line: `⭐250` (or `★250`), after a space or a colon. */
const STARS_SUFFIX = /(?:^|[\s:])[⭐★]\uFE0F?\s*(\S*)\s*$/u;

/**
 * The one tier grammar (bot and CLI): `price:days[:label]` (the label may contain colons) or
 * `price days [label]`; the price may start with `$`; a line may end with its Stars price, `⭐250`.
 * Checks count, price, duration, label and Stars price.
 */
export function parseTiers(lines: readonly string[]): TiersResult {
  const given = lines.map((l) => l.trim()).filter((l) => l !== "");
  if (given.length === 0 || given.length > MAX_TIERS)
    return { ok: false, problem: { kind: "count", got: given.length, max: MAX_TIERS } };
  const out: TierInput[] = [];
  for (const [index, line] of given.entries()) {
    const stars = STARS_SUFFIX.exec(line);
    let starsPrice: number | null = null;
    let body = line;
    if (stars) {
      const n = /^\d{1,5}$/.test(stars[1]!) ? Number(stars[1]) : Number.NaN;
      if (!isStarsPrice(n)) return { ok: false, problem: { kind: "stars", index, line } };
      starsPrice = n;
      body = line.slice(0, stars.index).replace(/:$/, "").trim();
    }
    const colon = body.includes(":");
    const [price = "", days = "", ...rest] = colon ? body.split(":") : body.split(/\s+/);
    if (price.trim() === "" || days.trim() === "")
      return { ok: false, problem: { kind: "format", index, line } };
    const tier = checkTier({ price, days, label: rest.join(colon ? ":" : " "), starsPrice }, index, line);
    if ("kind" in tier) return { ok: false, problem: tier };
    out.push(tier);
  }
  return { ok: true, tiers: out };
}

/** Checks tiers that arrive already split (a price, a duration, a label, a Stars price) by the same rules. */
export function validateTiers(input: readonly RawTier[]): TiersResult {
  if (input.length === 0 || input.length > MAX_TIERS)
    return { ok: false, problem: { kind: "count", got: input.length, max: MAX_TIERS } };
  const out: TierInput[] = [];
  for (const [index, t] of input.entries()) {
    const line = `${t.price}:${t.durationDays}:${t.label ?? ""}`;
    const tier = checkTier(
      { price: t.price, days: String(t.durationDays), label: t.label ?? "", starsPrice: t.starsPrice },
      index,
      line,
    );
    if ("kind" in tier) return { ok: false, problem: tier };
    out.push(tier);
  }
  return { ok: true, tiers: out };
}

/** validateTiers, throwing CommerceError INVALID (details: field "tiers" and the problem). */
export function requireValidTiers(input: readonly RawTier[]): TierInput[] {
  const result = validateTiers(input);
  if (!result.ok)
    throw new CommerceError(CommerceErrorCode.INVALID, `invalid tiers: ${result.problem.kind}`, {
      field: "tiers",
      problem: result.problem,
    });
  return result.tiers;
}

/** A currency code for tier prices, like USD (upper-cased). */
export function priceCurrency(value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(code))
    throw new CommerceError(CommerceErrorCode.INVALID, `invalid price currency '${value}'`, {
      field: "priceCurrency",
    });
  return code;
}

/**
 * Makes `list` the channel's active tiers, at positions 1…n. Old rows are kept inactive so past
 * orders still name what was bought. Runs inside the caller's transaction.
 */
export async function writeTiers(
  tx: DbOrTx,
  channelId: number,
  list: readonly TierInput[],
  currency: string,
  now: Date,
) {
  await tx
    .update(tiers)
    .set({ active: false, updatedAt: now })
    .where(and(eq(tiers.channelId, channelId), eq(tiers.active, true)));
  return tx
    .insert(tiers)
    .values(
      list.map((t, i) => ({
        channelId,
        position: i + 1,
        price: t.price,
        currency,
        durationDays: t.durationDays,
        label: t.label,
        starsPrice: t.starsPrice,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning();
}

/** The rails a channel may take payment through (channels.rails). */
export const RAILS = ["crypto", "stars", "both"] as const;
export type Rails = (typeof RAILS)[number];

/** Whether `rails` sells for Stars / for crypto. */
export const sellsStars = (rails: Rails): boolean => rails === "stars" || rails === "both";
export const sellsCrypto = (rails: Rails): boolean => rails === "crypto" || rails === "both";

/**
 * THE rails rule (bot, CLI, dashboard): `rails` is crypto, stars or both, and a channel that sells
 * for Stars has a Stars price on every tier. Throws CommerceError INVALID (field "rails" or
 * "starsPrice", with the tier's index).
 */
export function requireRails(value: string, list: readonly TierInput[]): Rails {
  const rails = value.trim().toLowerCase();
  if (!(RAILS as readonly string[]).includes(rails))
    throw new CommerceError(
      CommerceErrorCode.INVALID,
      `rails must be crypto, stars or both, got '${value}'`,
      {
        field: "rails",
      },
    );
  if (sellsStars(rails as Rails)) {
    const index = list.findIndex((t) => t.starsPrice === null);
    if (index >= 0)
      throw new CommerceError(
        CommerceErrorCode.INVALID,
        `rails '${rails}' needs a Stars price on every tier; tier ${index + 1} has none`,
        { field: "starsPrice", index },
      );
  }
  return rails as Rails;
}
