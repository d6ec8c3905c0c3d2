import { accessGrants, type Db, DELIVERED_GRANT_STATES, type GrantState, orders } from "@telepay/db";
import { and, asc, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";

/** A paid subscription order whose payer has not got their access (yet). */
export interface StuckGrant {
  orderId: number;
  orderReference: string;
  userId: bigint;
  channelId: number;
  paidAt: Date | null;
  /** The grant's state; null when the order has no grant at all (paid before it was recorded). */
  state: GrantState | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

/**
 * Paid subscription orders without delivered access: no grant, or a grant that is not
 * dm_sent / dm_blocked / renewed_notice_sent (void grants — refunded before access — are not owed).
 * Oldest payment first.
 */
export async function listStuckGrants(
  db: Db,
  options: { orderIds?: readonly number[] } = {},
): Promise<StuckGrant[]> {
  const rows = await db
    .select({
      orderId: orders.id,
      orderReference: orders.reference,
      userId: orders.userId,
      channelId: orders.channelId,
      paidAt: orders.paidAt,
      state: accessGrants.state,
      attempts: accessGrants.attempts,
      nextAttemptAt: accessGrants.nextAttemptAt,
      lastError: accessGrants.lastError,
    })
    .from(orders)
    .leftJoin(accessGrants, eq(accessGrants.orderId, orders.id))
    .where(
      and(
        eq(orders.kind, "subscription"),
        eq(orders.status, "finished"),
        options.orderIds ? inArray(orders.id, [...options.orderIds]) : undefined,
        or(isNull(accessGrants.id), notInArray(accessGrants.state, [...DELIVERED_GRANT_STATES, "void"])),
      ),
    )
    .orderBy(asc(orders.paidAt), asc(orders.id));
  return rows.map((r) => ({
    ...r,
    state: r.state ?? null,
    attempts: r.attempts ?? 0,
    nextAttemptAt: r.nextAttemptAt ?? null,
    lastError: r.lastError ?? null,
  }));
}

/**
 * Makes stuck grants due now (an operator's `telepay grants redrive`): a paid order without a grant
 * gets one (`owed`), a failed one (`failed`, `invite_failed`: the owner fixed the bot's rights) is
 * tried again from `pending`, a waiting retry is brought forward. A grant being delivered right now
 * (live lease) is left to its worker. Returns the order ids made due.
 */
export async function requeueGrants(
  db: Db,
  options: { orderIds?: readonly number[] } = {},
): Promise<number[]> {
  const stuck = await listStuckGrants(db, options);
  const ids = stuck.map((s) => s.orderId);
  if (ids.length === 0) return [];
  await db.transaction(async (tx) => {
    const missing = stuck.filter((s) => s.state === null).map((s) => s.orderId);
    if (missing.length > 0) {
      await tx
        .insert(accessGrants)
        .values(missing.map((orderId) => ({ orderId, state: "owed" as const })))
        .onConflictDoNothing();
    }
    await tx
      .update(accessGrants)
      .set({
        // A grant that never got its subscription starts over from owed; others resend from pending.
        state: sql`case when ${accessGrants.subscriptionId} is null then 'owed' else 'pending' end`,
        nextAttemptAt: sql`now()`,
        lastError: null,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          inArray(accessGrants.orderId, ids),
          inArray(accessGrants.state, ["failed", "invite_failed", "owed", "pending"]),
        ),
      );
  });
  return ids;
}

/** The grant rules bound to the core's database (createCommerce's `grants`). */
export function createGrants(deps: CommerceDeps) {
  return {
    /** See listStuckGrants. */
    listStuck: (options: { orderIds?: readonly number[] } = {}) => listStuckGrants(deps.db, options),
    /** See requeueGrants. */
    requeue: (options: { orderIds?: readonly number[] } = {}) => requeueGrants(deps.db, options),
  };
}
