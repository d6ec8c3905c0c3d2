import { auditLog, channels, type DbOrTx, starSubscriptions, subscriptions } from "@telepay/db";
import { and, asc, eq, inArray, lte, or } from "drizzle-orm";
import { type CommerceDeps, coreOf } from "./deps.ts";
import { loadEvents } from "./lazy-events.ts";
import {
  graceFor,
  nextCheckAt,
  remindersAfter,
  removalAt,
  type SweepAction,
  sweepAction,
} from "./subscription-rules.ts";

type Subscription = typeof subscriptions.$inferSelect;

/** One subscription the sweep looks at, and what it does with it. */
export type SweepPlanItem = SweepAction & { subscription: Subscription };

/** Failed removals are retried after 1, 2, 4 … minutes, at most 6 hours apart. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;

/** How a removal from the closed channel went (the notifier's Telegram call). */
export type RemovalOutcome = "removed" | "not_member" | "not_removable";

/**
 * THE selection rule of the sweep: active subscriptions whose next_check_at has come, oldest first
 * (served by the partial index subscriptions_due_idx). next_check_at is where the reminder schedule
 * and the retry backoff live, so the real sweep and `telepay sweep --dry-run` see the same rows.
 */
const due = (now: Date, scope: SweepScope = {}) =>
  and(
    eq(subscriptions.status, "active"),
    lte(subscriptions.nextCheckAt, now),
    scope.reversalsOnly ? eq(subscriptions.endCause, "reversal") : undefined,
    scope.subscriptionIds ? inArray(subscriptions.id, [...scope.subscriptionIds]) : undefined,
  );

/**
 * Narrows the sweep's rule to some rows (never widens it): the notifier removes a subscriber whose
 * last paid time a refund took (end_cause `reversal`) at once and in its re-drive, through the same
 * claim and removal as the sweep (docs/refunds.md).
 */
export interface SweepScope {
  reversalsOnly?: boolean;
  subscriptionIds?: readonly number[];
}

/**
 * The claim statement: lock a batch of due rows (skipping rows another sweep holds, FOR UPDATE SKIP
 * LOCKED) and push their next_check_at out by the lease in the same statement, so a concurrent sweep
 * skips them both while the claim is open and after it committed. The bench EXPLAINs it.
 */
export function claimDueStatement(
  db: DbOrTx,
  now: Date,
  limit: number,
  leaseMs: number,
  scope: SweepScope = {},
) {
  const ids = db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(due(now, scope))
    .orderBy(asc(subscriptions.nextCheckAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(subscriptions)
    .set({ nextCheckAt: new Date(now.getTime() + leaseMs) })
    .where(inArray(subscriptions.id, ids))
    .returning();
}

/**
 * Which of `rows` have a Stars auto-renewal switched on (star_subscriptions `renewing`), as
 * "user:channel" keys: the sweep waits for their renewal instead of reminding and removing on time.
 */
export async function renewingKeys(
  db: DbOrTx,
  rows: readonly Pick<Subscription, "userId" | "channelId">[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const found = await db
    .select({ userId: starSubscriptions.userId, channelId: starSubscriptions.channelId })
    .from(starSubscriptions)
    .where(
      and(
        eq(starSubscriptions.state, "renewing"),
        or(
          ...rows.map((r) =>
            and(eq(starSubscriptions.userId, r.userId), eq(starSubscriptions.channelId, r.channelId)),
          ),
        ),
      ),
    );
  return new Set(found.map((r) => `${r.userId}:${r.channelId}`));
}

/** Grace days of the channels of `rows` (one query per batch). */
async function graceOf(db: DbOrTx, rows: Subscription[]): Promise<Map<number, number>> {
  const ids = [...new Set(rows.map((r) => r.channelId))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({ id: channels.id, graceDays: channels.graceDays })
    .from(channels)
    .where(inArray(channels.id, ids));
  return new Map(found.map((c) => [c.id, c.graceDays]));
}

async function planOf(
  db: DbOrTx,
  rows: Subscription[],
  reminderDays: readonly number[],
  now: Date,
): Promise<SweepPlanItem[]> {
  const grace = await graceOf(db, rows);
  const renewing = await renewingKeys(db, rows);
  return rows
    .sort((a, b) => a.nextCheckAt.getTime() - b.nextCheckAt.getTime() || a.id - b.id)
    .map((subscription) => ({
      ...sweepAction(
        {
          ...subscription,
          renewalExpected: renewing.has(`${subscription.userId}:${subscription.channelId}`),
        },
        reminderDays,
        now,
        graceFor(subscription, grace.get(subscription.channelId) ?? 0),
      ),
      subscription,
    }));
}

/**
 * The sweep's state changes and its one selection rule (docs/decisions/sweep.md). `plan` (the dry
 * run) and `claim` (the real sweep) select the same rows and decide with the same sweepAction; the
 * notifier does the Telegram work in between and reports back with the record* calls.
 */
export function createSweep(deps: CommerceDeps) {
  const core = coreOf(deps);
  return {
    /** What a sweep at `now` would do, changing nothing (`telepay sweep --dry-run`, `/jobs/sweep {dryRun}`). */
    async plan(options: {
      now: Date;
      limit: number;
      reminderDays: readonly number[];
    }): Promise<SweepPlanItem[]> {
      const rows = await core.db
        .select()
        .from(subscriptions)
        .where(due(options.now))
        .orderBy(asc(subscriptions.nextCheckAt))
        .limit(options.limit);
      return planOf(core.db, rows, options.reminderDays, options.now);
    },

    /** Claims up to `limit` due rows for `leaseMs` (see claimDueStatement) and plans them. */
    async claim(options: {
      now: Date;
      limit: number;
      leaseMs: number;
      reminderDays: readonly number[];
      scope?: SweepScope;
    }): Promise<SweepPlanItem[]> {
      const rows = await claimDueStatement(
        core.db,
        options.now,
        options.limit,
        options.leaseMs,
        options.scope,
      );
      return planOf(core.db, rows, options.reminderDays, options.now);
    },

    /**
     * After the removal from the closed channel: marks the subscription expired (only if it still is
     * expired: a renewal in between wins) and audits. A payer renewed meanwhile whom the ban removed
     * gets a fresh invite (subscription.changed grant). Returns whether that happened.
     */
    async recordRemoval(
      row: Subscription,
      outcome: RemovalOutcome,
      now: Date,
    ): Promise<{ renewedMeanwhile: boolean }> {
      const { enqueue, TOPICS } = await loadEvents();
      const renewedMeanwhile = await core.db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(subscriptions)
          .where(eq(subscriptions.id, row.id))
          .for("update");
        if (!current) return false;
        // Still due for removal: expired, and its grace (read again: the owner may have changed it) over.
        const [channel] = await tx
          .select({ graceDays: channels.graceDays })
          .from(channels)
          .where(eq(channels.id, row.channelId));
        const stillExpired =
          current.status === "active" &&
          removalAt(current.expiresAt, graceFor(current, channel?.graceDays ?? 0)).getTime() <= now.getTime();
        if (stillExpired) {
          await tx
            .update(subscriptions)
            .set({
              status: "expired",
              removalAttempts: 0,
              lastError: null,
              leftAt: outcome === "not_removable" ? current.leftAt : now,
              updatedAt: now,
            })
            .where(eq(subscriptions.id, row.id));
          // A Stars renewal that never came: it is no longer expected.
          await tx
            .update(starSubscriptions)
            .set({ state: "lapsed", updatedAt: now })
            .where(
              and(
                eq(starSubscriptions.userId, row.userId),
                eq(starSubscriptions.channelId, row.channelId),
                eq(starSubscriptions.state, "renewing"),
              ),
            );
        }
        await tx.insert(auditLog).values({
          actor: "system",
          action: !stillExpired
            ? "subscription.removed_during_renewal"
            : current.endCause === "reversal"
              ? `subscription.reversal_${outcome}`
              : outcome === "removed"
                ? "subscription.expired_removed"
                : outcome === "not_member"
                  ? "subscription.expired_already_left"
                  : "subscription.expired_not_removable",
          channelId: row.channelId,
          subjectUserId: row.userId,
          details: {
            subscriptionId: row.id,
            expiresAt: row.expiresAt.toISOString(),
            removal: outcome,
            ...(current.endCause ? { endCause: current.endCause } : {}),
          },
        });
        if (!stillExpired && current.status === "active" && outcome === "removed") {
          await enqueue(tx, TOPICS.subscriptionChanged, {
            subscriptionId: row.id,
            action: "grant",
            userId: String(row.userId),
            channelId: row.channelId,
            expiresAt: current.expiresAt.toISOString(),
            actor: "system",
            actorTelegramId: null,
          });
          return true;
        }
        return false;
      });
      if (renewedMeanwhile) core.enqueued();
      return { renewedMeanwhile };
    },

    /**
     * After a reminder was sent (or none was due): records it and every reminder it settles, and moves
     * next_check_at on. A renewal in the meantime reset the reminders for its new expiry: left alone.
     */
    async recordReminder(
      row: Subscription,
      day: number | undefined,
      reminderDays: readonly number[],
      now: Date,
    ): Promise<void> {
      const sent = remindersAfter(row, day, reminderDays);
      const renewing = (await renewingKeys(core.db, [row])).size > 0;
      const [channel] = await core.db
        .select({ graceDays: channels.graceDays })
        .from(channels)
        .where(eq(channels.id, row.channelId));
      await core.db
        .update(subscriptions)
        .set({
          remindersSent: sent,
          nextCheckAt: nextCheckAt(
            row.expiresAt,
            sent,
            reminderDays,
            now,
            row.startsAt,
            channel?.graceDays ?? 0,
            renewing,
          ),
          updatedAt: now,
        })
        .where(
          and(
            eq(subscriptions.id, row.id),
            eq(subscriptions.expiresAt, row.expiresAt),
            eq(subscriptions.status, "active"),
          ),
        );
    },

    /**
     * A removal (or reminder) that failed: the row stays active and due again after a backoff
     * (docs/legacy-mistakes.md#lm-10). Returns the removal attempts so far.
     */
    async recordFailure(
      row: Subscription,
      error: string,
      now: Date,
    ): Promise<{ attempts: number; isExpiry: boolean }> {
      const attempts = row.removalAttempts + 1;
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      const isExpiry = row.expiresAt.getTime() <= now.getTime();
      await core.db
        .update(subscriptions)
        .set({
          removalAttempts: isExpiry ? attempts : row.removalAttempts,
          lastError: error,
          nextCheckAt: new Date(now.getTime() + delay),
          updatedAt: now,
        })
        .where(and(eq(subscriptions.id, row.id), eq(subscriptions.status, "active")));
      return { attempts, isExpiry };
    },
  };
}

export type Sweep = ReturnType<typeof createSweep>;
