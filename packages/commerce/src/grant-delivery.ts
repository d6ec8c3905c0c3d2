import { accessGrants, type GrantState, OPEN_GRANT_STATES, orders } from "@telepay/db";
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { type CommerceDeps, coreOf } from "./deps.ts";
import { stackSubscription } from "./subscription-store.ts";

/** An access grant row (one per paid subscription order). */
export type Grant = typeof accessGrants.$inferSelect;

/** What a delivery worker may change on a grant it holds: its progress, never who or what it grants. */
export type GrantProgress = Partial<
  Pick<Grant, "state" | "nextAttemptAt" | "lastError" | "leaseToken" | "leaseUntil" | "inviteLink">
>;

/** Where a grant nobody holds stands, seen from a worker that could not claim it. */
export type GrantStanding =
  /** The order has no grant (not paid, or a donation). */
  | "none"
  /** Another worker holds its lease. */
  | "busy"
  /** Waiting for its next attempt. */
  | "later"
  /** Reached a final state. */
  | "done";

/** Thrown when a fenced write finds the lease taken over: the worker stops, the new holder goes on. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

const leaseUntil = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/** Due now (owed/pending whose attempt time came) or held by a lease that lapsed (a dead worker). */
const claimable = () =>
  or(
    and(inArray(accessGrants.state, ["owed", "pending"]), lte(accessGrants.nextAttemptAt, sql`now()`)),
    and(
      eq(accessGrants.state, "delivering"),
      or(isNull(accessGrants.leaseUntil), lt(accessGrants.leaseUntil, sql`now()`)),
    ),
  );

/**
 * The database side of delivering access (docs/decisions/durable-work.md): claiming a grant under a
 * lease, adding the order's days to the subscription exactly once, and fenced progress writes. The
 * notifier does the Telegram side (invite link, DM) between these calls, with no transaction open.
 */
export function createGrantDelivery(deps: CommerceDeps) {
  const core = coreOf(deps);

  /** One fenced write: only the lease holder may change the grant. */
  async function progress(grantId: number, token: string, values: GrantProgress): Promise<void> {
    const rows = await core.db
      .update(accessGrants)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(accessGrants.id, grantId), eq(accessGrants.leaseToken, token)))
      .returning({ id: accessGrants.id });
    if (rows.length === 0) throw new LeaseLostError(`grant ${grantId}: lease lost`);
  }

  return {
    progress,

    /**
     * Claims the order's grant for `token` when it is due or its holder's lease lapsed; counts the
     * attempt. Undefined when there is nothing to claim (see `standing`).
     */
    async claim(orderId: number, token: string, leaseMs: number): Promise<Grant | undefined> {
      const [grant] = await core.db
        .update(accessGrants)
        .set({
          state: "delivering",
          leaseToken: token,
          leaseUntil: leaseUntil(leaseMs),
          attempts: sql`${accessGrants.attempts} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(accessGrants.orderId, orderId), claimable()))
        .returning();
      return grant;
    },

    /** Where the order's grant stands, for a worker that could not claim it. */
    async standing(orderId: number): Promise<GrantStanding> {
      const [row] = await core.db
        .select({ state: accessGrants.state })
        .from(accessGrants)
        .where(eq(accessGrants.orderId, orderId));
      if (!row) return "none";
      if (row.state === "delivering") return "busy";
      return (OPEN_GRANT_STATES as readonly string[]).includes(row.state) ? "later" : "done";
    },

    /** Marks the grant final and lets go of it. */
    finish(grantId: number, token: string, state: GrantState, extra: GrantProgress = {}): Promise<void> {
      return progress(grantId, token, { state, leaseToken: null, leaseUntil: null, ...extra });
    },

    /**
     * `owed` → the order's days added to the subscription, in one transaction holding the grant and
     * the order. Everything comes from the order row as the database has it now: who, which channel,
     * which tier, how many days — and whether it is paid at all (an order refunded before its grant
     * was applied gets nothing: the grant is voided, and `voided` says why).
     */
    async apply(grant: Grant, token: string): Promise<{ grant: Grant } | { voided: string }> {
      return core.db.transaction(async (tx) => {
        const [locked] = await tx
          .select()
          .from(accessGrants)
          .where(and(eq(accessGrants.id, grant.id), eq(accessGrants.leaseToken, token)))
          .for("update");
        if (!locked) throw new LeaseLostError(`grant ${grant.id}: lease lost`);
        if (locked.subscriptionId !== null && locked.expiresAt !== null) return { grant: locked };
        const [order] = await tx.select().from(orders).where(eq(orders.id, grant.orderId)).for("update");
        const reason = !order
          ? "order is gone"
          : order.kind !== "subscription" || order.tierId === null || !order.durationDays
            ? "order is not a subscription"
            : order.status !== "finished" || order.paidAt === null
              ? `order is ${order.status}, not paid`
              : undefined;
        if (!order || reason) {
          const voided = reason ?? "order is gone";
          await tx
            .update(accessGrants)
            .set({
              state: "void",
              lastError: voided,
              leaseToken: null,
              leaseUntil: null,
              updatedAt: sql`now()`,
            })
            .where(eq(accessGrants.id, grant.id));
          return { voided };
        }
        const { subscription } = await stackSubscription(tx, {
          userId: order.userId,
          channelId: order.channelId,
          tierId: order.tierId,
          change: { days: order.durationDays! },
          orderId: order.id,
          now: core.now(),
          reminderDays: deps.reminderDays,
        });
        const [applied] = await tx
          .update(accessGrants)
          .set({ subscriptionId: subscription.id, expiresAt: subscription.expiresAt, updatedAt: sql`now()` })
          .where(eq(accessGrants.id, grant.id))
          .returning();
        return { grant: applied! };
      });
    },

    /** Order ids of grants a re-drive should pick up now (due, or held by a lapsed lease). */
    async due(limit: number, orderIds?: readonly number[]): Promise<number[]> {
      const rows = await core.db
        .select({ orderId: accessGrants.orderId })
        .from(accessGrants)
        .where(
          and(
            inArray(accessGrants.state, [...OPEN_GRANT_STATES]),
            orderIds ? inArray(accessGrants.orderId, [...orderIds]) : undefined,
            claimable(),
          ),
        )
        .orderBy(accessGrants.nextAttemptAt)
        .limit(limit);
      return rows.map((r) => r.orderId);
    },

    /** Extends the leases of every grant held under these tokens (a live worker's keep-alive). */
    async renewLeases(tokens: readonly string[], leaseMs: number): Promise<void> {
      if (tokens.length === 0) return;
      await core.db
        .update(accessGrants)
        .set({ leaseUntil: leaseUntil(leaseMs) })
        .where(inArray(accessGrants.leaseToken, [...tokens]));
    },

    /**
     * Lets go of every grant lease at once. Only for a process alone on the database (embedded
     * PGlite, locked to one process): any lease there belongs to a run that is gone.
     */
    async releaseAllLeases(): Promise<void> {
      await core.db
        .update(accessGrants)
        .set({ leaseUntil: sql`now()` })
        .where(eq(accessGrants.state, "delivering"));
    },
  };
}
export type GrantDelivery = ReturnType<typeof createGrantDelivery>;
