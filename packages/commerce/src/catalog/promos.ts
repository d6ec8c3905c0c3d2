import { type DbOrTx, type OrderStatus, orders, promoCodes, tiers } from "@telepay/db";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Actor, type CommerceDeps, coreOf } from "../deps.ts";
import { CommerceError, CommerceErrorCode } from "../errors.ts";
import { isRowId } from "../ids.ts";
import { audit } from "./audit.ts";
import { actOn } from "./channels.ts";
import { canonicalDecimal } from "./tiers.ts";

/** A promo code row. */
export type PromoCode = typeof promoCodes.$inferSelect;

/** A code as stored and as carried by deep links: upper case, 3-32 of `A-Z 0-9 _ -`. */
export const PROMO_CODE_RE = /^[A-Z0-9_-]{3,32}$/;
/** The largest percent a code may take off (100 % would be a free trial: use trials). */
export const MAX_PROMO_PERCENT = 99;
/**
 * The smallest amount the payment processor accepts for an invoice, in the tier's currency. A code
 * never brings a price below it: the order is refused with a clear reason instead (NOWPayments
 * refuses tiny invoices, and a half-paid order is worse than no order).
 */
export const PROCESSOR_MIN_ORDER_AMOUNT = "1";
/**
 * How long an unpaid order holds one of its code's uses. Past that, the abandoned order gives the
 * use back by itself (it stops counting); its invoice, if paid later, is still honoured.
 */
export const PROMO_HOLD_MS = 60 * 60_000;

/** Orders that count as a use whatever their age: paid or being paid. */
const USED_STATUSES: readonly OrderStatus[] = [
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
  "finished",
  "needs_review",
];
/** Orders that count as a use only while younger than PROMO_HOLD_MS. */
const HELD_STATUSES: readonly OrderStatus[] = ["created", "waiting"];

/** Why a code cannot be used; `details.reason` of the INVALID error (field `promoCode`). */
export type PromoRefusal =
  | "format"
  | "unknown"
  | "disabled"
  | "expired"
  | "tier"
  | "used_up"
  | "below_minimum"
  | "donation";

const refuse = (reason: PromoRefusal, message: string, extra: Record<string, unknown> = {}) =>
  new CommerceError(CommerceErrorCode.INVALID, message, { field: "promoCode", reason, ...extra });

/** Normalises a code typed by a person or carried by a link (trimmed, upper case) or refuses it. */
export function normalizePromoCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!PROMO_CODE_RE.test(code))
    throw refuse("format", "a promo code is 3-32 letters, digits, _ or -", { code: raw.slice(0, 40) });
  return code;
}

const toCents = (decimal: string): bigint => {
  const [whole = "0", fraction = ""] = decimal.split(".");
  return BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
};
const fromCents = (cents: bigint): string =>
  canonicalDecimal(`${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`);

/**
 * The price after a code (rounded to the cent, half up). Refuses with `below_minimum` when the
 * result would be under the processor's minimum. Used only by priceOrder (orders.ts).
 */
export function discountedPrice(
  price: string,
  promo: Pick<PromoCode, "code" | "percentOff" | "amountOff">,
  minimum: string = PROCESSOR_MIN_ORDER_AMOUNT,
): string {
  const cents = toCents(price);
  const after =
    promo.percentOff !== null
      ? (cents * BigInt(100 - promo.percentOff) + 50n) / 100n
      : cents - toCents(promo.amountOff ?? "0");
  if (after < toCents(minimum))
    throw refuse(
      "below_minimum",
      `with code ${promo.code} the price would be ${after > 0n ? fromCents(after) : "0"}, below the payment processor's minimum of ${canonicalDecimal(minimum)}`,
      { price: after > 0n ? fromCents(after) : "0", minimum: canonicalDecimal(minimum) },
    );
  return fromCents(after);
}

/** What an owner sets on a new code. */
export interface PromoInput {
  channelId: number;
  code: string;
  /** 1-99; give this or amountOff. */
  percentOff?: number;
  /** A decimal amount (≤ 2 decimals) in the channel's price currency. */
  amountOff?: string;
  maxUses?: number | null;
  expiresAt?: Date | null;
  /** Tier positions (1-based, as shown); empty or absent = every tier. */
  tierPositions?: readonly number[] | null;
}

/** A code with how often it was used (paid orders) and how many uses orders hold right now. */
export interface PromoSummary extends PromoCode {
  uses: number;
  held: number;
}

/** A promo code as owners and operators see it (`telepay promo list --json`, the dashboard). */
export function promoJson(p: PromoSummary) {
  return {
    id: p.id,
    channelId: p.channelId,
    code: p.code,
    percentOff: p.percentOff,
    amountOff: p.amountOff,
    maxUses: p.maxUses,
    uses: p.uses,
    held: p.held,
    expiresAt: p.expiresAt?.toISOString() ?? null,
    tierPositions: p.tierPositions,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
  };
}

const invalid = (field: string, message: string) =>
  new CommerceError(CommerceErrorCode.INVALID, message, { field });

/**
 * THE count of a code's uses taken at `now`: every order paid or being paid, plus one per *person*
 * with a recent unpaid order — so one subscriber opening unpaid orders (other plans, every 30
 * minutes) holds one use, not all of them. `exceptUser`'s own unpaid orders are left out: a new
 * order of theirs shares the use they already hold.
 */
const usesTaken = (now: Date, exceptUser?: bigint) => {
  const recent = new Date(now.getTime() - PROMO_HOLD_MS);
  const used = sql.join(
    USED_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  const held = sql.join(
    HELD_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  const notMe = exceptUser === undefined ? sql`` : sql` and ${orders.userId} <> ${exceptUser}`;
  return sql<number>`(count(*) filter (where ${orders.status} in (${used}))
    + count(distinct ${orders.userId}) filter (where ${orders.status} in (${held}) and ${orders.createdAt} > ${recent.toISOString()}::timestamptz${notMe}))::int`.mapWith(
    Number,
  );
};

/**
 * The code a subscriber wants to apply to a tier, locked (FOR UPDATE) for the rest of the caller's
 * transaction, so that counting its uses and inserting the order are one atomic step: two orders
 * racing for a code's last use are serialised on this row and the second sees the first.
 */
export async function claimPromo(
  tx: DbOrTx,
  /** tierPosition: the tier being bought (null: none); undefined: no tier chosen yet (promos.check). */
  input: { channelId: number; code: string; tierPosition: number | null | undefined; now: Date },
): Promise<PromoCode> {
  const code = normalizePromoCode(input.code);
  if (!isRowId(input.channelId)) throw refuse("unknown", `no promo code ${code} for this channel`, { code });
  const [promo] = await tx
    .select()
    .from(promoCodes)
    .where(and(eq(promoCodes.channelId, input.channelId), eq(promoCodes.code, code)))
    .for("update");
  if (!promo) throw refuse("unknown", `no promo code ${code} for this channel`, { code });
  if (!promo.active) throw refuse("disabled", `promo code ${code} was disabled`, { code });
  if (promo.expiresAt && promo.expiresAt.getTime() <= input.now.getTime())
    throw refuse("expired", `promo code ${code} expired`, { code });
  if (
    input.tierPosition !== undefined &&
    promo.tierPositions &&
    promo.tierPositions.length > 0 &&
    (input.tierPosition === null || !promo.tierPositions.includes(input.tierPosition))
  )
    throw refuse("tier", `promo code ${code} does not apply to this tier`, { code });
  return promo;
}

/** Refuses `userId` a new order with a claimed (locked) code when every use is taken by others. */
export async function requireUseLeft(tx: DbOrTx, promo: PromoCode, now: Date, userId: bigint): Promise<void> {
  if (promo.maxUses === null) return;
  const [row] = await tx
    .select({ n: usesTaken(now, userId) })
    .from(orders)
    .where(eq(orders.promoCodeId, promo.id));
  if (Number(row?.n ?? 0) >= promo.maxUses)
    throw refuse("used_up", `promo code ${promo.code} has no uses left`, { code: promo.code });
}

/** Promo codes: create, list, disable (owner or CLI); applying one is orders.open's job. */
export function createPromos(deps: CommerceDeps) {
  const core = coreOf(deps);

  async function summaries(tx: DbOrTx, rows: PromoCode[], now: Date): Promise<PromoSummary[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const counts = await tx
      .select({
        id: orders.promoCodeId,
        uses: sql<number>`count(*) filter (where ${orders.status} = 'finished')`.mapWith(Number),
        held: usesTaken(now),
      })
      .from(orders)
      .where(inArray(orders.promoCodeId, ids))
      .groupBy(orders.promoCodeId);
    const by = new Map(counts.map((c) => [c.id, c]));
    return rows.map((r) => ({ ...r, uses: by.get(r.id)?.uses ?? 0, held: by.get(r.id)?.held ?? 0 }));
  }

  return {
    /**
     * Creates a code for a channel (audit `promo.created`). Refuses: a malformed code, a percent
     * outside 1-99, a non-positive or >2-decimal amount, both or neither discount, max uses < 1, an
     * expiry in the past, a tier position the channel does not offer, a code the channel already has,
     * another owner's channel.
     */
    async add(actor: Actor, input: PromoInput): Promise<PromoSummary> {
      const code = normalizePromoCode(input.code);
      const hasPercent = input.percentOff !== undefined;
      const hasAmount = input.amountOff !== undefined;
      if (hasPercent === hasAmount)
        throw invalid("discount", "give either a percent or an amount off, not both");
      if (
        hasPercent &&
        (!Number.isInteger(input.percentOff) ||
          input.percentOff! < 1 ||
          input.percentOff! > MAX_PROMO_PERCENT)
      )
        throw invalid("percentOff", `percent off must be a whole number from 1 to ${MAX_PROMO_PERCENT}`);
      let amountOff: string | null = null;
      if (hasAmount) {
        const raw = input.amountOff!.trim();
        if (!/^\d{1,6}(\.\d{1,2})?$/.test(raw) || /^0+(\.0*)?$/.test(raw))
          throw invalid(
            "amountOff",
            `amount off must be a positive amount with at most 2 decimals, got '${raw}'`,
          );
        amountOff = canonicalDecimal(raw);
      }
      if (input.maxUses !== undefined && input.maxUses !== null) {
        if (!Number.isInteger(input.maxUses) || input.maxUses < 1 || input.maxUses > 1_000_000)
          throw invalid("maxUses", "max uses must be a whole number from 1 to 1000000");
      }
      const now = core.now();
      if (input.expiresAt && input.expiresAt.getTime() <= now.getTime())
        throw invalid("expiresAt", "the expiry must be in the future");
      const positions = [...new Set(input.tierPositions ?? [])];
      return core.db.transaction(async (tx) => {
        await actOn(tx, input.channelId, actor);
        if (positions.length > 0) {
          const offered = await tx
            .select({ position: tiers.position })
            .from(tiers)
            .where(and(eq(tiers.channelId, input.channelId), eq(tiers.active, true)));
          const missing = positions.filter((p) => !offered.some((o) => o.position === p));
          if (missing.length > 0)
            throw invalid("tierPositions", `the channel has no tier at position ${missing.join(", ")}`);
        }
        const [row] = await tx
          .insert(promoCodes)
          .values({
            channelId: input.channelId,
            code,
            percentOff: hasPercent ? input.percentOff! : null,
            amountOff,
            maxUses: input.maxUses ?? null,
            expiresAt: input.expiresAt ?? null,
            tierPositions: positions.length > 0 ? positions.sort((a, b) => a - b) : null,
            createdBy: actor.kind === "owner" ? actor.telegramId : null,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing({ target: [promoCodes.channelId, promoCodes.code] })
          .returning();
        if (!row)
          throw new CommerceError(CommerceErrorCode.CONFLICT, `the channel already has a code ${code}`, {
            field: "code",
          });
        await audit(tx, actor, "promo.created", input.channelId, {
          promoCodeId: row.id,
          code,
          percentOff: row.percentOff,
          amountOff: row.amountOff,
          maxUses: row.maxUses,
          expiresAt: row.expiresAt?.toISOString() ?? null,
          tierPositions: row.tierPositions,
        });
        return { ...row, uses: 0, held: 0 };
      });
    },

    /**
     * Whether a subscriber may apply a code to the channel now, before choosing a plan (the bot's
     * `p<channel>_<CODE>` link and "Have a code?"): the same rule as orders.open (claimPromo,
     * requireUseLeft), so it refuses `format`, `unknown`, `disabled`, `expired` and `used_up`;
     * `tier` and `below_minimum` depend on the plan and come from orders.open. Holds no use and
     * computes no price. Returns the code and the tier positions it is limited to (null: all).
     */
    async check(input: {
      channelId: number;
      code: string;
      /** Who asks: their own unpaid order with the code does not count against them. */
      userId: bigint;
    }): Promise<Pick<PromoCode, "code" | "tierPositions">> {
      const now = core.now();
      return core.db.transaction(async (tx) => {
        const promo = await claimPromo(tx, {
          channelId: input.channelId,
          code: input.code,
          tierPosition: undefined,
          now,
        });
        await requireUseLeft(tx, promo, now, input.userId);
        return { code: promo.code, tierPositions: promo.tierPositions };
      });
    },

    /** A channel's codes, newest first, with their use counts. */
    async list(actor: Actor, channelId: number): Promise<PromoSummary[]> {
      await actOn(core.db, channelId, actor);
      const rows = await core.db
        .select()
        .from(promoCodes)
        .where(eq(promoCodes.channelId, channelId))
        .orderBy(asc(promoCodes.id));
      return summaries(core.db, rows, core.now());
    },

    /** Disables a code (audit `promo.disabled`); orders already holding it keep their price. */
    async disable(actor: Actor, channelId: number, rawCode: string): Promise<PromoSummary> {
      const code = normalizePromoCode(rawCode);
      const now = core.now();
      return core.db.transaction(async (tx) => {
        await actOn(tx, channelId, actor);
        const [row] = await tx
          .update(promoCodes)
          .set({ active: false, updatedAt: now })
          .where(and(eq(promoCodes.channelId, channelId), eq(promoCodes.code, code)))
          .returning();
        if (!row)
          throw new CommerceError(
            CommerceErrorCode.NOT_FOUND,
            `no promo code ${code} for channel ${channelId}`,
          );
        await audit(tx, actor, "promo.disabled", channelId, { promoCodeId: row.id, code });
        const [summary] = await summaries(tx, [row], now);
        return summary!;
      });
    },
  };
}
export type Promos = ReturnType<typeof createPromos>;
