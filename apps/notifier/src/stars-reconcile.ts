import { reconcileStars, type StarsReconcileResult } from "@telepay/commerce";
import { channels, starSubscriptions } from "@telepay/db";
import { eq, ne } from "drizzle-orm";
import type { Ctx } from "./context.ts";

/** Options of one Stars reconciliation pass. */
export interface StarsReconcileOptions {
  /** List what is missing, record nothing. */
  dryRun?: boolean;
  /** Newest transactions read at most (default 1000, as `telepay payments reconcile`). */
  maxTransactions?: number;
}

/** What a pass did; `skipped` when nothing sells or renews in Stars (Telegram was not asked). */
export type StarsReconcilePass = StarsReconcileResult & { skipped: boolean };

/**
 * Whether Stars charges can arrive at all: a channel sells for Stars, or a Stars subscription still
 * renews (Telegram keeps charging it after its channel went back to crypto only).
 */
async function starsInUse(ctx: Ctx): Promise<boolean> {
  const [selling] = await ctx.db
    .select({ id: channels.id })
    .from(channels)
    .where(ne(channels.rails, "crypto"))
    .limit(1);
  if (selling) return true;
  const [renewing] = await ctx.db
    .select({ id: starSubscriptions.id })
    .from(starSubscriptions)
    .where(eq(starSubscriptions.state, "renewing"))
    .limit(1);
  return renewing !== undefined;
}

/**
 * One periodic Stars reconciliation: compares getStarTransactions with the recorded charges and
 * records every charge whose successful_payment was lost through the same path as the update
 * (commerce reconcileStars → stars.recordCharge, idempotent by charge id). The grant it writes is
 * delivered by the re-drive. Runs on the notifier's reconcile timer, at start, and before every
 * scheduled sweep, so a renewal whose update was lost is recorded before the sweep would remove
 * the subscriber for want of it.
 */
export async function runStarsReconcile(
  ctx: Ctx,
  options: StarsReconcileOptions = {},
): Promise<StarsReconcilePass> {
  const dryRun = options.dryRun === true;
  if (!(await starsInUse(ctx)))
    return { dryRun, scanned: 0, known: 0, missing: [], refunded: [], skipped: true };
  const result = await reconcileStars(
    { db: ctx.db, onEnqueued: () => ctx.relay?.kick() },
    { getStarTransactions: (params) => ctx.api.getStarTransactions(params) },
    { dryRun, ...(options.maxTransactions ? { maxTransactions: options.maxTransactions } : {}) },
  );
  return { ...result, skipped: false };
}
