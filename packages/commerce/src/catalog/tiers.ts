import { type DbOrTx, tiers } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { CommerceError, CommerceErrorCode } from "../errors.ts";

/** How many active tiers a channel may offer (one tier post button each). */
export const MAX_TIERS = 10;
/** The longest a tier may last, in days (ten years). */
export const MAX_TIER_DAYS = 3650;
/** The longest tier label, in characters. */
export const MAX_TIER_LABEL = 64;

/** A tier as the core stores it: a canonical decimal price, whole days, a label ("" = none). */
export interface TierInput {
  price: string;
  durationDays: number;
  label: string;
}

/**
 * Why tiers were refused. `index` is the tier's 0-based place in the input (line or --tier).
 * - count: none, or more than MAX_TIERS; - format: not `price:days[:label]` / `price days [label]`;
 * - price: not a decimal amount; - price_zero: not above 0; - days: not 1…MAX_TIER_DAYS;
 * - label: longer than MAX_TIER_LABEL.
 */
export type TierProblem =
  | { kind: "count"; got: number; max: number }
  | { kind: "format" | "price" | "price_zero" | "days" | "label"; index: number; line: string };

export type TiersResult = { ok: true; tiers: TierInput[] } | { ok: false; problem: TierProblem };

/** A tier price: up to 999999.99, at most 2 decimals. */
const PRICE_RE = /^\d{1,6}(?:\.\d{1,2})?$/;

/** A decimal amount written the one canonical way: no leading zeros, no trailing fraction zeros. */
export function canonicalDecimal(value: string): string {
  const [whole = "0", fraction = ""] = value.split(".");
  const f = fraction.replace(/0+$/, "");
  return `${BigInt(whole).toString()}${f ? `.${f}` : ""}`;
}

function checkTier(
  raw: { price: string; days: string; label: string },
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
  return { price: canonical, durationDays: Number(days), label };
}

/**
 * The one tier grammar (bot and CLI): `price:days[:label]` (the label may contain colons) or
 * `price days [label]`; the price may start with `$`. Checks count, price, duration and label.
 */
export function parseTiers(lines: readonly string[]): TiersResult {
  const given = lines.map((l) => l.trim()).filter((l) => l !== "");
  if (given.length === 0 || given.length > MAX_TIERS)
    return { ok: false, problem: { kind: "count", got: given.length, max: MAX_TIERS } };
  const out: TierInput[] = [];
  for (const [index, line] of given.entries()) {
    const colon = line.includes(":");
    const [price = "", days = "", ...rest] = colon ? line.split(":") : line.split(/\s+/);
    if (price.trim() === "" || days.trim() === "")
      return { ok: false, problem: { kind: "format", index, line } };
    const tier = checkTier({ price, days, label: rest.join(colon ? ":" : " ") }, index, line);
    if ("kind" in tier) return { ok: false, problem: tier };
    out.push(tier);
  }
  return { ok: true, tiers: out };
}

/** Checks tiers that arrive already split (a price, a duration, a label) by the same rules. */
export function validateTiers(
  input: readonly { price: string; durationDays: number; label?: string }[],
): TiersResult {
  if (input.length === 0 || input.length > MAX_TIERS)
    return { ok: false, problem: { kind: "count", got: input.length, max: MAX_TIERS } };
  const out: TierInput[] = [];
  for (const [index, t] of input.entries()) {
    const line = `${t.price}:${t.durationDays}:${t.label ?? ""}`;
    const tier = checkTier(
      { price: t.price, days: String(t.durationDays), label: t.label ?? "" },
      index,
      line,
    );
    if ("kind" in tier) return { ok: false, problem: tier };
    out.push(tier);
  }
  return { ok: true, tiers: out };
}

/** validateTiers, throwing CommerceError INVALID (details: field "tiers" and the problem). */
export function requireValidTiers(
  input: readonly { price: string; durationDays: number; label?: string }[],
): TierInput[] {
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
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning();
}
