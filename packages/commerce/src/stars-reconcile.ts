import { orders, payments } from "@telepay/db";
import type { PaymentOutcome } from "@telepay/payments";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import { type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { paidItsOrder } from "./paid-its-order.ts";
import { createReversals } from "./reversals.ts";
import { createStars } from "./stars.ts";

/** A Stars transaction as getStarTransactions returns it (the fields reconciliation reads). */
export interface StarTransactionLike {
  id: string;
  amount: number;
  date: number;
  source?: {
    type: string;
    transaction_type?: string;
    user?: { id: number };
    invoice_payload?: string;
    subscription_period?: number;
  };
  /** An outgoing transaction: for a refund, the user the charge (same id) was given back to. */
  receiver?: {
    type: string;
    transaction_type?: string;
    user?: { id: number };
    invoice_payload?: string;
  };
}

/** Where the transactions come from: the Bot API's getStarTransactions (offset, limit ≤ 100). */
export interface StarTransactionSource {
  getStarTransactions(params: { offset: number; limit: number }): Promise<{
    transactions: StarTransactionLike[];
  }>;
}

/** One charge Telegram has that we had not recorded, and what recording it did. */
export interface ReconciledCharge {
  chargeId: string;
  userId: string;
  orderReference: string;
  amount: number;
  /** null on a dry run. */
  outcome: PaymentOutcome | null;
  renewal: boolean;
}

export interface StarsReconcileResult {
  dryRun: boolean;
  /** Transactions read from Telegram. */
  scanned: number;
  /** Incoming invoice payments among them that were already recorded. */
  known: number;
  missing: ReconciledCharge[];
  /**
   * Charges Telegram gave back (refundStarPayment) whose order still had its access: a refund that
   * died between Telegram and the reversal, or one made outside TelePay. Reversed (not on a dry run).
   */
  refunded: ReconciledRefund[];
}

/** A refunded charge whose order was still paid for, and whether this pass reversed it. */
export interface ReconciledRefund {
  chargeId: string;
  orderReference: string;
  /** False on a dry run, or when another run reversed it first. */
  reversed: boolean;
}

const PAGE = 100;

/**
 * Compares Telegram's Stars transactions with the recorded charges and records every incoming
 * invoice payment we missed (a lost successful_payment) through the same path as the update
 * (commerce stars.recordCharge): idempotent, so a run racing the update records it once. Reads at
 * most `maxTransactions` (newest first, as Telegram lists them).
 */
export async function reconcileStars(
  deps: CommerceDeps,
  source: StarTransactionSource,
  options: { dryRun?: boolean; maxTransactions?: number } = {},
): Promise<StarsReconcileResult> {
  const stars = createStars(deps);
  const max = options.maxTransactions ?? 1000;
  const dryRun = options.dryRun === true;
  const result: StarsReconcileResult = { dryRun, scanned: 0, known: 0, missing: [], refunded: [] };
  // Refunds are applied after every page: the charge a refund gives back may sit on a later
  // (older) page and be recorded only then.
  const refundIds = new Set<string>();
  for (let offset = 0; offset < max; offset += PAGE) {
    const { transactions } = await source.getStarTransactions({
      offset,
      limit: Math.min(PAGE, max - offset),
    });
    result.scanned += transactions.length;
    for (const t of transactions)
      if (t.receiver?.type === "user" && t.receiver.transaction_type === "invoice_payment")
        refundIds.add(t.id);
    const charges = transactions.filter(
      (t) =>
        t.source?.type === "user" &&
        t.source.transaction_type === "invoice_payment" &&
        t.source.user !== undefined &&
        typeof t.source.invoice_payload === "string",
    );
    const known = await stars.knownCharges(charges.map((t) => t.id));
    result.known += known.size;
    // Oldest first, so a lost first charge is recorded before a lost renewal of it.
    for (const t of [...charges].reverse()) {
      if (known.has(t.id)) continue;
      const src = t.source!;
      const recurring = src.subscription_period !== undefined;
      const item: ReconciledCharge = {
        chargeId: t.id,
        userId: String(src.user!.id),
        orderReference: src.invoice_payload!,
        amount: t.amount,
        outcome: null,
        renewal: false,
      };
      if (!dryRun) {
        const recorded = await stars.recordCharge({
          userId: BigInt(src.user!.id),
          payload: src.invoice_payload!,
          chargeId: t.id,
          currency: STARS_CURRENCY,
          totalAmount: t.amount,
          isRecurring: recurring,
          // Whether it renews an order already paid is for recordCharge to see.
          isFirstRecurring: false,
          periodEnd: recurring ? new Date((t.date + src.subscription_period!) * 1000) : null,
          raw: { ...t, reconciled: true } as unknown as Record<string, unknown>,
        });
        item.outcome = recorded.outcome;
        item.renewal = recorded.renewal;
      }
      result.missing.push(item);
    }
    if (transactions.length < PAGE) break;
  }
  result.refunded = await reverseRefunded(deps, [...refundIds], dryRun);
  return result;
}

/**
 * The refunded charges whose order still grants access, reversed through the core's one refund
 * path (cause `stars_refund`, actor system). This is what finds an owner's or operator's refund
 * whose process died after Telegram returned the Stars and before the reversal was written.
 */
async function reverseRefunded(
  deps: CommerceDeps,
  chargeIds: string[],
  dryRun: boolean,
): Promise<ReconciledRefund[]> {
  if (chargeIds.length === 0) return [];
  const core = coreOf(deps);
  const open = await core.db
    .select({ chargeId: payments.paymentId, orderReference: orders.reference })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        inArray(payments.paymentId, chargeIds),
        isNull(orders.reversedAt),
        paidItsOrder(payments.paymentId),
      ),
    );
  const reversals = createReversals(deps);
  const out: ReconciledRefund[] = [];
  for (const row of open) {
    let reversed = false;
    if (!dryRun) {
      try {
        await reversals.refundPayment(row.chargeId, { kind: "system" }, "stars_refund");
        reversed = true;
      } catch (err) {
        // Reversed by a racing run or press in the meantime: nothing left to do.
        if (!(err instanceof CommerceError && err.code === "CONFLICT")) throw err;
      }
    }
    out.push({ ...row, reversed });
  }
  return out;
}
