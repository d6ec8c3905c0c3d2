import type { PaymentOutcome } from "@telepay/payments";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import type { CommerceDeps } from "./deps.ts";
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
  const result: StarsReconcileResult = { dryRun, scanned: 0, known: 0, missing: [] };
  for (let offset = 0; offset < max; offset += PAGE) {
    const { transactions } = await source.getStarTransactions({
      offset,
      limit: Math.min(PAGE, max - offset),
    });
    result.scanned += transactions.length;
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
  return result;
}
