import { channels, type DbOrTx, payouts } from "@telepay/db";
import { eq, type SQL, sql } from "drizzle-orm";
import { audit } from "./catalog/audit.ts";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";

/**
 * The operator settlement ledger (SETTLEMENT=operator): every payment lands in the operator's
 * NOWPayments account, and this is what the operator owes each channel's owner. docs/settlement.md
 * explains each rule; they live here once, for the CLI (`telepay payouts`) and the bot (/mychannels).
 *
 * A payment counts towards its channel when
 * - its order is paid and still paid: `orders.status = 'finished'`. A reversal (refund, chargeback)
 *   moves the order off `finished` (to `refunded`/`failed`), so it stops counting and what is due
 *   shrinks — below zero when it was already paid out (the owner then owes it back). Hook: a new
 *   reversed state of an order or payment belongs in {@link COUNTS} and nowhere else;
 * - money arrived on it and it was not reversed: the payment's latest status is one of
 *   {@link MONEY_ARRIVED} (`refunded`/`failed` payments never count);
 * - it was not set aside for review, or its review was resolved with "grant" (an underpaid payment an
 *   owner accepted counts; a dismissed one — a second payment, a wrong coin — is the operator's to
 *   refund and never the owner's);
 * - it was not a direct payment (SETTLEMENT=direct, a `checkouts` row): NOWPayments paid that one out
 *   to the owner's wallet itself, so the operator owes nothing for it. Payments taken while the
 *   deployment ran in operator mode still count after a switch to direct.
 *
 * It counts with `outcome_amount` in `outcome_currency`: what NOWPayments actually credited the
 * operator, after its fees and at the rate of the day (overpayments included, shortfalls excluded).
 * When an IPN carried no outcome, the order's price in its price currency is counted instead.
 * Amounts are summed per (channel, currency) and never converted: a channel paid in two coins has
 * two balances.
 */
const MONEY_ARRIVED = ["finished", "partially_paid", "confirmed", "sending"] as const;

const HAS_OUTCOME = sql.raw(`(p.outcome_amount is not null and p.outcome_currency is not null)`);
const CREDIT_CURRENCY = sql`lower(case when ${HAS_OUTCOME} then p.outcome_currency else o.currency end)`;
const CREDIT_AMOUNT = sql`case when ${HAS_OUTCOME} then p.outcome_amount else o.amount end`;
const COUNTS = sql`o.status = 'finished'
  and not exists (select 1 from checkouts k where k.payment_id = p.payment_id)
  and p.status in (${sql.join(
    MONEY_ARRIVED.map((s) => sql`${s}`),
    sql`, `,
  )})
  and (not p.needs_review or exists (
    select 1 from review_resolutions r
    where r.payment_id = p.payment_id and r.reason = p.review_reason and r.decision = 'grant'))`;

/** One channel's balance in one currency. Amounts are decimal strings. */
export interface Balance {
  channelId: number;
  ownerTelegramId: bigint;
  /** Lower-case ticker of what the operator received (e.g. usdttrc20), or the price currency. */
  currency: string;
  /** Sum of the payments that count (see above). */
  earned: string;
  /** Sum of the payouts marked paid. */
  paid: string;
  /** earned − paid; negative when a reversal came after a payout. */
  due: string;
  /** How many payments count. */
  payments: number;
  lastPayout: { amount: string; currency: string; at: Date; note: string | null } | null;
}

export interface BalanceFilter {
  channelId?: number;
  ownerTelegramId?: bigint;
}

export interface MarkPaidInput {
  channelId: number;
  /** A positive decimal string, at most 8 decimals. */
  amount: string;
  /** The ledger currency; may be left out when the channel has exactly one. */
  currency?: string;
  note?: string | null;
  /** Record it even when it exceeds what is due. */
  force?: boolean;
  actor: Actor;
}

export interface PayoutRecorded {
  payoutId: number;
  channelId: number;
  amount: string;
  currency: string;
  dueBefore: string;
  dueAfter: string;
  forced: boolean;
  at: Date;
}

/** A payout amount: positive, at most 8 decimals (the precision of the coins NOWPayments pays in). */
export const PAYOUT_AMOUNT = /^(?:0|[1-9]\d{0,14})(?:\.\d{1,8})?$/;
export const MAX_PAYOUT_NOTE_LENGTH = 500;

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) ?? [];
}

/** Balances per (channel, currency), earned and paid computed in SQL (NUMERIC, never floats). */
async function readBalances(db: DbOrTx, filter: BalanceFilter): Promise<Balance[]> {
  const where: SQL[] = [];
  if (filter.channelId !== undefined) where.push(sql`c.id = ${filter.channelId}`);
  if (filter.ownerTelegramId !== undefined)
    where.push(sql`c.owner_telegram_id = ${String(filter.ownerTelegramId)}::bigint`);
  const channelWhere = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const result = await db.execute(sql`
    with scope as (select c.id, c.owner_telegram_id from channels c ${channelWhere}),
    ledger as (
      select o.channel_id, ${CREDIT_CURRENCY} as currency, ${CREDIT_AMOUNT} as earned, 0::numeric as paid, 1 as n
      from payments p join orders o on o.id = p.order_id
      where o.channel_id in (select id from scope) and ${COUNTS}
      union all
      select po.channel_id, lower(po.currency), 0::numeric, po.amount, 0
      from payouts po where po.channel_id in (select id from scope)
    ),
    last as (
      select distinct on (po.channel_id, lower(po.currency)) po.channel_id, lower(po.currency) as currency,
        po.amount::text as amount, po.created_at, po.note
      from payouts po where po.channel_id in (select id from scope)
      order by po.channel_id, lower(po.currency), po.created_at desc, po.id desc
    )
    select l.channel_id, s.owner_telegram_id::text as owner, l.currency,
      sum(l.earned)::text as earned, sum(l.paid)::text as paid, (sum(l.earned) - sum(l.paid))::text as due,
      sum(l.n)::int as payments, max(last.amount) as last_amount, max(last.created_at) as last_at,
      max(last.note) as last_note
    from ledger l join scope s on s.id = l.channel_id
    left join last on last.channel_id = l.channel_id and last.currency = l.currency
    group by l.channel_id, s.owner_telegram_id, l.currency
    order by l.channel_id, l.currency`);
  return rowsOf(result).map((r) => ({
    channelId: Number(r.channel_id),
    ownerTelegramId: BigInt(String(r.owner)),
    currency: String(r.currency),
    earned: normalize(String(r.earned)),
    paid: normalize(String(r.paid)),
    due: normalize(String(r.due)),
    payments: Number(r.payments),
    lastPayout:
      r.last_at === null || r.last_at === undefined
        ? null
        : {
            amount: normalize(String(r.last_amount)),
            currency: String(r.currency),
            at: new Date(r.last_at as string | Date),
            note: (r.last_note as string | null) ?? null,
          },
  }));
}

/** "12.50000000" → "12.5", "0E-8"/"-0" → "0": NUMERIC sums carry their inputs' scale. */
function normalize(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value === "0E-8" || /^0E/i.test(value) ? "0" : value;
  let v = value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
  if (v === "-0") v = "0";
  return v;
}

/** The settlement ledger: balances owed to owners, and payouts marked paid. */
export function createSettlement(deps: CommerceDeps) {
  const core = coreOf(deps);
  return {
    /** Balances per channel and currency (only channels with a payment or a payout appear). */
    balances(filter: BalanceFilter = {}): Promise<Balance[]> {
      return readBalances(core.db, filter);
    },

    /**
     * Records a payout to a channel's owner, audited. Refused (CONFLICT) when it exceeds what is due
     * unless `force`; concurrent calls for a channel run one after the other (the channel row is
     * locked), so two payouts can never both be checked against the same balance.
     */
    async markPaid(input: MarkPaidInput): Promise<PayoutRecorded> {
      const amount = input.amount.trim();
      if (!PAYOUT_AMOUNT.test(amount) || /^0(\.0*)?$/.test(amount)) {
        throw new CommerceError(
          "INVALID",
          `the amount must be a positive decimal like 12.5 (at most 8 decimals), got '${input.amount}'`,
          { field: "amount" },
        );
      }
      const note = input.note?.trim() ? input.note.trim() : null;
      if (note && note.length > MAX_PAYOUT_NOTE_LENGTH) {
        throw new CommerceError("INVALID", `the note is longer than ${MAX_PAYOUT_NOTE_LENGTH} characters`, {
          field: "note",
        });
      }
      const wanted = input.currency?.trim().toLowerCase();
      if (wanted !== undefined && !/^[a-z0-9]{2,20}$/.test(wanted)) {
        throw new CommerceError(
          "INVALID",
          `the currency must be a ticker like usdttrc20, got '${input.currency}'`,
          {
            field: "currency",
          },
        );
      }
      return core.db.transaction(async (tx) => {
        const [channel] = await tx
          .select({ id: channels.id })
          .from(channels)
          .where(eq(channels.id, input.channelId))
          .for("update");
        if (!channel) throw new CommerceError("NOT_FOUND", `no channel with id ${input.channelId}`);
        const balances = await readBalances(tx, { channelId: input.channelId });
        let currency = wanted;
        if (currency === undefined) {
          if (balances.length !== 1) {
            throw new CommerceError(
              "INVALID",
              balances.length === 0
                ? `channel ${input.channelId} has no payments yet: nothing is due`
                : `channel ${input.channelId} has balances in ${balances.map((b) => b.currency).join(", ")}: name the currency`,
              { field: "currency" },
            );
          }
          currency = balances[0]!.currency;
        }
        const due = balances.find((b) => b.currency === currency)?.due ?? "0";
        const [check] = rowsOf(
          await tx.execute(
            sql`select (${amount}::numeric > ${due}::numeric) as over, (${due}::numeric - ${amount}::numeric)::text as after`,
          ),
        );
        const over = check!.over === true;
        if (over && !input.force) {
          throw new CommerceError(
            "CONFLICT",
            `${amount} ${currency} is more than the ${due} ${currency} due to channel ${input.channelId}; add --force to record it anyway`,
            { due, currency },
          );
        }
        const [row] = await tx
          .insert(payouts)
          .values({
            channelId: input.channelId,
            amount,
            currency,
            note,
            actor: input.actor.kind,
            actorTelegramId: input.actor.kind === "owner" ? input.actor.telegramId : null,
            forced: over,
            createdAt: core.now(),
          })
          .returning();
        const dueAfter = normalize(String(check!.after));
        await audit(tx, input.actor, "payout.marked_paid", input.channelId, {
          payoutId: row!.id,
          amount,
          currency,
          note,
          dueBefore: due,
          dueAfter,
          forced: over,
        });
        return {
          payoutId: row!.id,
          channelId: input.channelId,
          amount,
          currency,
          dueBefore: due,
          dueAfter,
          forced: over,
          at: row!.createdAt,
        };
      });
    },
  };
}
export type Settlement = ReturnType<typeof createSettlement>;
