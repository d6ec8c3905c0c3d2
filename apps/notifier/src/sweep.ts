import { auditLog, channels, nextCheckAt, subscriptions, users } from "@telepay/db";
import { enqueue } from "@telepay/events";
import { type DeepLink, deepLinkUrl } from "@telepay/telegram";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";
import { notifyOwner, title } from "./owner.ts";
import { describe, dm, dmBestEffort, RetryLaterError, removeMember } from "./telegram.ts";

const DAY_MS = 86_400_000;
/** A claimed row is left alone by other sweeps for this long (the batch must finish well within it). */
const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;
/** Failed removals are retried after 1, 2, 4 … minutes, at most 6 hours apart. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;
/** The owner hears about a removal that keeps failing once, at this attempt. */
const TELL_OWNER_AT_ATTEMPT = 3;

export interface SweepOptions {
  /** List what would happen without touching anything (the CLI's `sweep --dry-run`). */
  dryRun?: boolean;
  /** The sweep's notion of now (tests); default the clock. */
  now?: Date;
  /** Rows per claimed batch (default from config, 1000). */
  batchSize?: number;
  /** Stop after this many batches (bounds one request; default from config, 50). */
  maxBatches?: number;
  /** How long claimed rows stay claimed (default 10 min). */
  claimLeaseMs?: number;
}

export interface SweepItem {
  subscriptionId: number;
  userId: string;
  channelId: number;
  expiresAt: string;
  action: "remove" | "remind";
  /** For reminders: the days-before-expiry reminder due. */
  reminderDays?: number;
}

export interface SweepResult {
  dryRun: boolean;
  batches: number;
  claimed: number;
  reminded: number;
  removed: number;
  /** Expired users who had already left (just marked expired). */
  alreadyGone: number;
  /** Removals (or reminders) that failed and stay due for a later retry. */
  failed: number;
  /** Dry run: what a real run would do now. */
  items: SweepItem[];
}

type Row = typeof subscriptions.$inferSelect;

/**
 * The expiry sweep. Claims due rows (status='active' AND next_check_at <= now) in batches through
 * the partial index subscriptions_due_idx, `ORDER BY next_check_at LIMIT n FOR UPDATE SKIP LOCKED`,
 * and in the same statement pushes their next_check_at out by the claim lease, so a concurrent
 * sweep on another instance skips them both while the claim transaction is open (SKIP LOCKED) and
 * after it committed (no longer due). Then, per row, with no transaction open:
 * - a reminder is due (3 days, 1 day before; each once, tracked in reminders_sent) → DM with a renew button;
 * - expired → remove from the closed channel (ban + unban only_if_banned), and only then mark it
 *   expired and write audit_log; a user who already left is just marked;
 * - a failure keeps the row active with removal_attempts+1, last_error and a backoff; it never
 *   stops the batch (docs/legacy-mistakes.md#lm-10).
 */
export async function runSweep(
  ctx: Ctx,
  options: SweepOptions & { defaults: { batchSize: number; maxBatches: number } },
): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? options.defaults.batchSize;
  const maxBatches = options.maxBatches ?? options.defaults.maxBatches;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("batchSize must be a positive integer");
  const result: SweepResult = {
    dryRun: Boolean(options.dryRun),
    batches: 0,
    claimed: 0,
    reminded: 0,
    removed: 0,
    alreadyGone: 0,
    failed: 0,
    items: [],
  };
  if (options.dryRun) {
    result.items = await listDue(ctx, now, batchSize * maxBatches);
    return result;
  }
  const lease = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  while (result.batches < maxBatches && !ctx.stopping.value) {
    const rows = await claimDue(ctx, now, batchSize, lease);
    if (rows.length === 0) break;
    result.batches++;
    result.claimed += rows.length;
    await processBatch(ctx, rows, now, result);
    if (rows.length < batchSize) break;
  }
  return result;
}

/** One statement: lock a batch of due rows (skipping rows another sweep holds) and lease them. */
export async function claimDue(ctx: Ctx, now: Date, limit: number, leaseMs: number): Promise<Row[]> {
  return claimDueStatement(ctx.db, now, limit, leaseMs);
}

/** The claim statement itself (the bench EXPLAINs it to show it runs on subscriptions_due_idx). */
export function claimDueStatement(db: Ctx["db"], now: Date, limit: number, leaseMs: number) {
  const due = db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, "active"), lte(subscriptions.nextCheckAt, now)))
    .orderBy(asc(subscriptions.nextCheckAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(subscriptions)
    .set({ nextCheckAt: new Date(now.getTime() + leaseMs) })
    .where(inArray(subscriptions.id, due))
    .returning();
}

async function listDue(ctx: Ctx, now: Date, limit: number): Promise<SweepItem[]> {
  const rows = await ctx.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.status, "active"), lte(subscriptions.nextCheckAt, now)))
    .orderBy(asc(subscriptions.nextCheckAt))
    .limit(limit);
  const items: SweepItem[] = [];
  for (const r of rows) {
    const base = {
      subscriptionId: r.id,
      userId: String(r.userId),
      channelId: r.channelId,
      expiresAt: r.expiresAt.toISOString(),
    };
    if (r.expiresAt.getTime() <= now.getTime()) items.push({ ...base, action: "remove" });
    else {
      const day = dueReminder(ctx, r, now);
      if (day !== undefined) items.push({ ...base, action: "remind", reminderDays: day });
    }
  }
  return items;
}

/** The reminder due now, if any: the closest-to-expiry unsent one whose time has come. */
function dueReminder(ctx: Ctx, r: Row, now: Date): number | undefined {
  const due = ctx.reminderDays
    .filter((d) => !r.remindersSent.includes(d) && r.expiresAt.getTime() - d * DAY_MS <= now.getTime())
    .sort((a, b) => a - b);
  return due[0];
}

async function processBatch(ctx: Ctx, rows: Row[], now: Date, result: SweepResult): Promise<void> {
  const channelIds = [...new Set(rows.map((r) => r.channelId))];
  const chans = await ctx.db.select().from(channels).where(inArray(channels.id, channelIds));
  const byId = new Map(chans.map((c) => [c.id, c]));
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const channel = byId.get(row.channelId);
      if (!channel) continue;
      try {
        if (row.expiresAt.getTime() <= now.getTime()) await expire(ctx, row, channel, now, result);
        else await remind(ctx, row, channel, now, result);
      } catch (err) {
        // Never stop the batch; the row stays active and due again after a backoff.
        result.failed++;
        await recordFailure(ctx, row, channel, now, err).catch((e) =>
          ctx.log.error({ subscriptionId: row.id, err: describe(e) }, "could not record sweep failure"),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.sweepConcurrency, rows.length) }, worker));
}

async function expire(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  now: Date,
  result: SweepResult,
): Promise<void> {
  const outcome = await removeMember(ctx, channel.closedChatId, row.userId);
  const renewedMeanwhile = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(subscriptions).where(eq(subscriptions.id, row.id)).for("update");
    if (!current) return false;
    const stillExpired = current.status === "active" && current.expiresAt.getTime() <= now.getTime();
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
    }
    await tx.insert(auditLog).values({
      actor: "system",
      action: !stillExpired
        ? "subscription.removed_during_renewal"
        : outcome === "removed"
          ? "subscription.expired_removed"
          : outcome === "not_member"
            ? "subscription.expired_already_left"
            : "subscription.expired_not_removable",
      channelId: row.channelId,
      subjectUserId: row.userId,
      details: { subscriptionId: row.id, expiresAt: row.expiresAt.toISOString(), removal: outcome },
    });
    if (!stillExpired && current.status === "active" && outcome === "removed") {
      // Renewed between our claim and the ban: the payer was just removed, so send a fresh invite.
      await enqueue(tx, "subscription.changed", {
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
  if (renewedMeanwhile) {
    ctx.relay?.kick();
    return;
  }
  if (outcome === "removed") {
    result.removed++;
    await dmBestEffort(ctx, row.userId, (M) =>
      M.accessExpired({ channelTitle: title(channel), renewUrl: renewUrl(ctx, row) }),
    );
  } else {
    result.alreadyGone++;
  }
}

async function remind(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  now: Date,
  result: SweepResult,
): Promise<void> {
  const day = dueReminder(ctx, row, now);
  // Every reminder at or beyond this one is settled by it (a sweep that was down does not send the 3-day one after the 1-day one).
  const settled = day === undefined ? [] : ctx.reminderDays.filter((d) => d >= day);
  if (day !== undefined) {
    const daysLeft = Math.max(1, Math.ceil((row.expiresAt.getTime() - now.getTime()) / DAY_MS));
    // "unreachable" (blocked) counts as sent: we do not retry a user who blocked the bot.
    await dm(ctx, row.userId, (M) =>
      M.expiryReminder({
        channelTitle: title(channel),
        expiresAt: row.expiresAt,
        daysLeft,
        renewUrl: renewUrl(ctx, row),
      }),
    );
    result.reminded++;
  }
  const sent = [...new Set([...row.remindersSent, ...settled])].sort((a, b) => b - a);
  await ctx.db
    .update(subscriptions)
    .set({
      remindersSent: sent,
      nextCheckAt: nextCheckAt(row.expiresAt, sent, ctx.reminderDays, now, row.startsAt),
      updatedAt: now,
    })
    // A renewal in the meantime reset the reminders for its new expiry: leave it alone.
    .where(
      and(
        eq(subscriptions.id, row.id),
        eq(subscriptions.expiresAt, row.expiresAt),
        eq(subscriptions.status, "active"),
      ),
    );
}

async function recordFailure(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  now: Date,
  err: unknown,
): Promise<void> {
  const attempts = row.removalAttempts + 1;
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
  const isExpiry = row.expiresAt.getTime() <= now.getTime();
  await ctx.db
    .update(subscriptions)
    .set({
      removalAttempts: isExpiry ? attempts : row.removalAttempts,
      lastError: describe(err),
      nextCheckAt: new Date(now.getTime() + delay),
      updatedAt: now,
    })
    .where(and(eq(subscriptions.id, row.id), eq(subscriptions.status, "active")));
  ctx.log.warn(
    { subscriptionId: row.id, attempts, err: describe(err), retryable: err instanceof RetryLaterError },
    isExpiry ? "removal failed; will retry" : "reminder failed; will retry",
  );
  if (isExpiry && attempts === TELL_OWNER_AT_ATTEMPT) {
    await notifyOwner(ctx, channel, (M) =>
      M.ownerRemovalFailed({
        channelTitle: title(channel),
        customerId: String(row.userId),
        reason: describe(err),
      }),
    );
  }
}

function renewUrl(ctx: Ctx, row: Row): string {
  const link: DeepLink = row.tierId
    ? { kind: "tier", channelId: row.channelId, tierId: row.tierId }
    : { kind: "channel", channelId: row.channelId };
  return deepLinkUrl(ctx.botUsername, link);
}

/** Marks users we could not reach (used by tests/CLI to inspect); kept small on purpose. */
export async function blockedUsers(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: users.telegramId })
    .from(users)
    .where(sql`${users.botBlockedAt} is not null`);
  return rows.map((r) => String(r.id));
}
