import { orders, subscriptions } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { deliverGrant, type GrantOutcome } from "./access.ts";
import { type CheckoutRefresh, refreshCheckouts } from "./checkouts.ts";
import type { Ctx } from "./context.ts";
import { deliverNotice, dueNotices, type NoticeOutcome } from "./notices.ts";
import { removeReversed } from "./sweep.ts";

export interface RedriveOptions {
  /** Rows of each kind per run (default 500); the rest are picked up by the next run. */
  limit?: number;
  /** Only these orders (the CLI's `grants redrive <order>`). */
  orderIds?: readonly number[];
}

export interface RedriveResult {
  /** Refunded orders whose reversal had not run yet (docs/refunds.md). */
  reversed: number;
  /** Subscribers a refund left without time, taken out of the closed channel. */
  removed: number;
  grants: Record<GrantOutcome, number>;
  notices: Record<NoticeOutcome, number>;
  /** Unfinished broadcasts nobody was working on, given a new broadcast.requested. */
  broadcasts: number;
  /** Direct-mode checkout messages brought up to date (SETTLEMENT=direct). */
  checkouts: CheckoutRefresh;
}

/**
 * Resumes every unfinished piece of payment work found in the database: grants first (owed, due for
 * a retry, or held by a lapsed lease), then the notices they unblock; and gives stalled broadcasts
 * a new event (their consumer does the sending). Runs on a timer in the
 * notifier and standalone, at start-up, from POST /jobs/redrive and before every scheduled sweep, so
 * recovery never waits for an event to be delivered again.
 */
export async function runRedrive(ctx: Ctx, options: RedriveOptions = {}): Promise<RedriveResult> {
  const limit = options.limit ?? 500;
  const result: RedriveResult = {
    reversed: 0,
    removed: 0,
    grants: { done: 0, busy: 0, later: 0, none: 0 },
    notices: { done: 0, busy: 0, later: 0, waiting: 0 },
    checkouts: { edited: 0, gone: 0, later: 0 },
    broadcasts: 0,
  };
  result.reversed = (await ctx.core.reversals.resume({ limit, ...orderScope(options.orderIds) })).length;
  const grants = await ctx.core.grantDelivery.due(limit, options.orderIds);
  await forEach(ctx, grants, async (orderId) => {
    result.grants[await deliverGrant(ctx, orderId)]++;
  });
  if (!options.orderIds) {
    const removal = await removeReversed(ctx, { limit });
    result.removed = removal.removed + removal.alreadyGone;
  }
  const pending = await dueNotices(ctx, limit, options.orderIds);
  await forEach(ctx, pending, async (id) => {
    result.notices[await deliverNotice(ctx, id)]++;
  });
  result.checkouts = await refreshCheckouts(ctx, { limit, ...orderScope(options.orderIds) });
  if (!options.orderIds) {
    // Only enqueues: the broadcast itself runs in its consumer, not in this pass.
    result.broadcasts = (
      await ctx.core.broadcasts.requeueStalled({ staleMs: ctx.leaseMs, limit: 50 })
    ).length;
  }
  return result;
}

const orderScope = (orderIds?: readonly number[]) => (orderIds ? { orderIds } : {});

/**
 * Everything an order owes right now (the consumers' fast path): the reversal of a refund not yet
 * applied, its grant, the removal of a subscriber a refund left without time, then its notices
 * (so the payer hears "removed" after the removal).
 */
export async function driveOrder(ctx: Ctx, orderId: number): Promise<void> {
  await ctx.core.reversals.resume({ orderIds: [orderId] });
  await deliverGrant(ctx, orderId);
  const [order] = await ctx.db
    .select({ subscriptionId: subscriptions.id })
    .from(subscriptions)
    .innerJoin(
      orders,
      and(eq(orders.userId, subscriptions.userId), eq(orders.channelId, subscriptions.channelId)),
    )
    .where(and(eq(orders.id, orderId), eq(subscriptions.endCause, "reversal")));
  if (order) await removeReversed(ctx, { subscriptionIds: [order.subscriptionId] });
  for (const id of await dueNotices(ctx, 50, [orderId])) await deliverNotice(ctx, id);
  // The checkout message shows the new status (a cosmetic edit: its failure never fails the event).
  await refreshCheckouts(ctx, { orderIds: [orderId] }).catch((err: unknown) =>
    ctx.log.warn({ orderId, err: String(err) }, "checkout messages not refreshed; the re-drive retries"),
  );
}

async function forEach<T>(ctx: Ctx, items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !ctx.stopping.value) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        // One row's failure (already rescheduled by its deliverer) never stops the run.
        ctx.log.warn(
          { item: String(item), err: err instanceof Error ? err.message : String(err) },
          "re-drive item failed",
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.sweepConcurrency, items.length) }, worker));
}
