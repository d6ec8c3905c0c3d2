import { channels, type DbOrTx, subscriptions, users } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import {
  DEFAULT_REMINDER_DAYS,
  graceFor,
  inGrace,
  isLive,
  nextCheckAt,
  stackedExpiry,
} from "./subscription-rules.ts";

type Subscription = typeof subscriptions.$inferSelect;

/** What stacking time onto a (user, channel) subscription does. */
export interface StackInput {
  userId: bigint;
  channelId: number;
  tierId: number | null;
  /** Whole days added to the time left (renewal never loses paid time), or an exact expiry. */
  change: { days: number } | { until: Date };
  orderId?: number | null;
  now: Date;
  reminderDays?: readonly number[];
  /** The period is a free trial (trials.start); any other stacking ends the trial flag. */
  trial?: boolean;
}

export interface StackResult {
  subscription: Subscription;
  /** True when there was no live subscription before (new or reactivated after expiry/revocation). */
  started: boolean;
  previousExpiresAt: Date | null;
}

/** The live-or-not row of (user, channel), locked for the rest of the transaction. */
export async function lockSubscription(tx: DbOrTx, userId: bigint, channelId: number) {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.channelId, channelId)))
    .for("update");
  return row;
}

/**
 * Creates or extends the one subscription row of (user, channel), under a row lock so concurrent
 * renewals add up instead of overwriting each other (subscription-rules stackedExpiry). Call inside
 * the transaction that also records why (the grant, the audit, the event).
 */
export async function stackSubscription(tx: DbOrTx, input: StackInput): Promise<StackResult> {
  const { now } = input;
  if ("days" in input.change && (!Number.isInteger(input.change.days) || input.change.days <= 0)) {
    throw new Error(`days must be a positive whole number, got ${input.change.days}`);
  }
  // The subscriber row must exist for the foreign key; they may never have talked to the bot yet.
  await tx.insert(users).values({ telegramId: input.userId }).onConflictDoNothing();
  // Make sure a row exists, then lock it: two concurrent first purchases cannot both insert.
  await tx
    .insert(subscriptions)
    .values({
      userId: input.userId,
      channelId: input.channelId,
      tierId: input.tierId,
      startsAt: now,
      expiresAt: now,
      status: "expired",
      nextCheckAt: now,
    })
    .onConflictDoNothing({ target: [subscriptions.userId, subscriptions.channelId] });
  const current = await lockSubscription(tx, input.userId, input.channelId);
  if (!current) throw new Error("subscription row vanished under lock");

  // The channel's grace period: a renewal inside it stacks on the original expiry, and the subscriber,
  // never removed, is not "started" again (no second invite).
  const [channel] = await tx
    .select({ graceDays: channels.graceDays })
    .from(channels)
    .where(eq(channels.id, input.channelId));
  const graceDays = graceFor(current, channel?.graceDays ?? 0);
  const live = isLive(current, now) || inGrace(current, now, graceDays);
  const startsAt = live ? current.startsAt : now;
  const expiresAt = stackedExpiry(current, input.change, now, graceDays);
  const [subscription] = await tx
    .update(subscriptions)
    .set({
      tierId: input.tierId ?? current.tierId,
      status: "active",
      startsAt,
      expiresAt,
      remindersSent: [],
      trial: input.trial === true,
      nextCheckAt: nextCheckAt(
        expiresAt,
        [],
        input.reminderDays ?? DEFAULT_REMINDER_DAYS,
        now,
        startsAt,
        graceDays,
      ),
      removalAttempts: 0,
      lastError: null,
      lastOrderId: input.orderId ?? current.lastOrderId,
      // New time: whatever ended it early (a reversal) no longer describes its end.
      endCause: null,
      updatedAt: now,
    })
    .where(eq(subscriptions.id, current.id))
    .returning();
  return {
    subscription: subscription!,
    started: !live,
    previousExpiresAt: current.status === "active" ? current.expiresAt : null,
  };
}
