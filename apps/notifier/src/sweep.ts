import { DAY_MS, GRACE_REMINDER, type SweepPlanItem } from "@telepay/commerce";
import { channels, type subscriptions, users } from "@telepay/db";
import { type DeepLink, deepLinkUrl } from "@telepay/telegram";
import { inArray, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";
import { notifyOwner, title } from "./owner.ts";
import { describe, dm, dmBestEffort, RetryLaterError, removeMember } from "./telegram.ts";

/** A claimed row is left alone by other sweeps for this long (the batch must finish well within it). */
const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;
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
  action: "remove" | "remind" | "grace";
  /** For reminders: the days-before-expiry reminder due. */
  reminderDays?: number;
  /** For the grace reminder: when the subscriber will be removed. */
  removeAt?: string;
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
 * The expiry sweep: the Telegram half. The core (packages/commerce sweep) selects and claims due
 * rows in batches — the same rule the dry run lists — and records each outcome; here, per row, with
 * no transaction open:
 * - a reminder is due → DM with a renew button;
 * - expired → remove from the closed channel (ban + unban only_if_banned), and only then the core
 *   marks it expired and audits; a user who already left is just marked;
 * - a failure keeps the row active with a backoff; it never stops the batch
 *   (docs/legacy-mistakes.md#lm-10).
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
  const reminderDays = ctx.reminderDays;
  if (options.dryRun) {
    const plan = await ctx.core.sweep.plan({ now, limit: batchSize * maxBatches, reminderDays });
    result.items = plan.flatMap(sweepItem);
    return result;
  }
  const leaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  while (result.batches < maxBatches && !ctx.stopping.value) {
    const plan = await ctx.core.sweep.claim({ now, limit: batchSize, leaseMs, reminderDays });
    if (plan.length === 0) break;
    result.batches++;
    result.claimed += plan.length;
    await processBatch(ctx, plan, now, result);
    if (plan.length < batchSize) break;
  }
  return result;
}

/**
 * Removes, now, subscribers whose last paid time a refund took (end_cause `reversal`,
 * docs/refunds.md): the sweep's own claim (narrowed to those rows) and removal, so a crash leaves
 * them due for the next run, the re-drive's or the sweep's. Returns how many were claimed.
 */
export async function removeReversed(
  ctx: Ctx,
  options: { subscriptionIds?: readonly number[]; limit?: number } = {},
): Promise<SweepResult> {
  const now = new Date();
  const result: SweepResult = {
    dryRun: false,
    batches: 0,
    claimed: 0,
    reminded: 0,
    removed: 0,
    alreadyGone: 0,
    failed: 0,
    items: [],
  };
  const plan = await ctx.core.sweep.claim({
    now,
    limit: options.limit ?? 500,
    leaseMs: DEFAULT_CLAIM_LEASE_MS,
    reminderDays: ctx.reminderDays,
    scope: {
      reversalsOnly: true,
      ...(options.subscriptionIds ? { subscriptionIds: options.subscriptionIds } : {}),
    },
  });
  if (plan.length === 0) return result;
  result.batches = 1;
  result.claimed = plan.length;
  await processBatch(ctx, plan, now, result);
  return result;
}

/** A plan item as the sweep reports it (reschedules are not reported: nothing is sent). */
function sweepItem(item: SweepPlanItem): SweepItem[] {
  const s = item.subscription;
  const base = {
    subscriptionId: s.id,
    userId: String(s.userId),
    channelId: s.channelId,
    expiresAt: s.expiresAt.toISOString(),
  };
  if (item.action === "remove") return [{ ...base, action: "remove" }];
  if (item.action === "remind") return [{ ...base, action: "remind", reminderDays: item.reminderDays }];
  if (item.action === "grace") return [{ ...base, action: "grace", removeAt: item.removeAt.toISOString() }];
  return [];
}

async function processBatch(ctx: Ctx, plan: SweepPlanItem[], now: Date, result: SweepResult): Promise<void> {
  const channelIds = [...new Set(plan.map((p) => p.subscription.channelId))];
  const chans = await ctx.db.select().from(channels).where(inArray(channels.id, channelIds));
  const byId = new Map(chans.map((c) => [c.id, c]));
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const item = plan[next++]!;
      const row = item.subscription;
      const channel = byId.get(row.channelId);
      if (!channel) continue;
      try {
        if (item.action === "remove") await expire(ctx, row, channel, now, result);
        else if (item.action === "grace") await graceReminder(ctx, row, channel, item.removeAt, now, result);
        else
          await remind(
            ctx,
            row,
            channel,
            item.action === "remind" ? item.reminderDays : undefined,
            now,
            result,
          );
      } catch (err) {
        // Never stop the batch; the row stays active and due again after a backoff.
        result.failed++;
        await recordFailure(ctx, row, channel, now, err).catch((e) =>
          ctx.log.error({ subscriptionId: row.id, err: describe(e) }, "could not record sweep failure"),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.sweepConcurrency, plan.length) }, worker));
}

async function expire(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  now: Date,
  result: SweepResult,
): Promise<void> {
  const outcome = await removeMember(ctx, channel.closedChatId, row.userId);
  const { renewedMeanwhile } = await ctx.core.sweep.recordRemoval(row, outcome, now);
  if (renewedMeanwhile) return;
  if (outcome === "removed") {
    result.removed++;
    // A refund's payer notice already says why they are out (no "renew" nudge after a refund).
    if (row.endCause === "reversal") return;
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
  day: number | undefined,
  now: Date,
  result: SweepResult,
): Promise<void> {
  if (day !== undefined) {
    const daysLeft = Math.max(1, Math.ceil((row.expiresAt.getTime() - now.getTime()) / DAY_MS));
    // "unreachable" (blocked) counts as sent: we do not retry a user who blocked the bot.
    // A trial's reminder offers the paid plans (there is no paid tier to renew yet).
    await dm(ctx, row.userId, (M) =>
      row.trial
        ? M.trialReminder({
            channelTitle: title(channel),
            expiresAt: row.expiresAt,
            daysLeft,
            plansUrl: plansUrl(ctx, row),
          })
        : M.expiryReminder({
            channelTitle: title(channel),
            expiresAt: row.expiresAt,
            daysLeft,
            renewUrl: renewUrl(ctx, row),
          }),
    );
    result.reminded++;
  }
  await ctx.core.sweep.recordReminder(row, day, ctx.reminderDays, now);
}

/** The one reminder inside the grace period (the subscriber is still in the channel). */
async function graceReminder(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  removeAt: Date,
  now: Date,
  result: SweepResult,
): Promise<void> {
  await dm(ctx, row.userId, (M) =>
    M.graceReminder({
      channelTitle: title(channel),
      expiredAt: row.expiresAt,
      removeAt,
      renewUrl: renewUrl(ctx, row),
      plansUrl: plansUrl(ctx, row),
    }),
  );
  result.reminded++;
  await ctx.core.sweep.recordReminder(row, GRACE_REMINDER, ctx.reminderDays, now);
}

async function recordFailure(
  ctx: Ctx,
  row: Row,
  channel: typeof channels.$inferSelect,
  now: Date,
  err: unknown,
): Promise<void> {
  const { attempts, isExpiry } = await ctx.core.sweep.recordFailure(row, describe(err), now);
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

/** The channel's tier menu: every paid plan. */
function plansUrl(ctx: Ctx, row: Row): string {
  return deepLinkUrl(ctx.botUsername, { kind: "channel", channelId: row.channelId });
}

function renewUrl(ctx: Ctx, row: Row): string {
  const link: DeepLink =
    row.tierId && !row.trial
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
