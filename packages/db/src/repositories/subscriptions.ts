import { and, eq } from "drizzle-orm";
import { subscriptions } from "../schema/subscriptions.ts";
import type { DbOrTx } from "../types.ts";

const DAY_MS = 86_400_000;

/** Default reminder schedule: days before expiry. */
export const DEFAULT_REMINDER_DAYS = [3, 1] as const;

/**
 * When the sweep should next look at a subscription: the earliest unsent reminder, else the expiry.
 * A reminder whose time has already passed (the expiry was moved closer, or the sweep was down) is
 * due now rather than skipped — unless the subscription only started after that reminder time
 * (a 1-day purchase is not told "1 day left" the moment it is bought). Pass `startsAt` for that.
 */
export function nextCheckAt(
  expiresAt: Date,
  remindersSent: readonly number[],
  reminderDays: readonly number[] = DEFAULT_REMINDER_DAYS,
  now: Date = new Date(),
  startsAt?: Date,
): Date {
  if (expiresAt.getTime() <= now.getTime()) return expiresAt;
  const due = reminderDays
    .filter((d) => !remindersSent.includes(d))
    .map((d) => new Date(expiresAt.getTime() - d * DAY_MS))
    .filter((t) => startsAt === undefined || t.getTime() > startsAt.getTime())
    .map((t) => (t.getTime() < now.getTime() ? now : t))
    .sort((a, b) => a.getTime() - b.getTime());
  return due[0] ?? expiresAt;
}

export interface ExtendSubscriptionInput {
  userId: bigint;
  channelId: number;
  tierId: number | null;
  /** Add this many days to max(now, current expiry) (renewal never loses paid time). */
  days?: number;
  /** Or set the expiry to exactly this instant (manual grant/extend with --until). */
  until?: Date;
  orderId?: number | null;
  now?: Date;
  reminderDays?: readonly number[];
}

export interface ExtendSubscriptionResult {
  subscription: typeof subscriptions.$inferSelect;
  /** True when there was no live subscription before (new or reactivated after expiry/revocation). */
  started: boolean;
  previousExpiresAt: Date | null;
}

/**
 * Creates or extends the one subscription row of (user, channel), under a row lock so concurrent
 * renewals add up instead of overwriting each other. New expiry = max(now, current) + days
 * (docs/legacy-mistakes.md#lm-11). Call inside the transaction that claims the event.
 */
export async function extendSubscription(
  tx: DbOrTx,
  input: ExtendSubscriptionInput,
): Promise<ExtendSubscriptionResult> {
  const now = input.now ?? new Date();
  if ((input.days === undefined) === (input.until === undefined)) {
    throw new Error("extendSubscription needs exactly one of days or until");
  }
  if (input.days !== undefined && (!Number.isInteger(input.days) || input.days <= 0)) {
    throw new Error(`days must be a positive whole number, got ${input.days}`);
  }
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
  const [current] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, input.userId), eq(subscriptions.channelId, input.channelId)))
    .for("update");
  if (!current) throw new Error("subscription row vanished under lock");

  const live = current.status === "active" && current.expiresAt.getTime() > now.getTime();
  const base = live ? current.expiresAt : now;
  const expiresAt = input.until ?? new Date(base.getTime() + input.days! * DAY_MS);
  const [subscription] = await tx
    .update(subscriptions)
    .set({
      tierId: input.tierId ?? current.tierId,
      status: "active",
      startsAt: live ? current.startsAt : now,
      expiresAt,
      remindersSent: [],
      nextCheckAt: nextCheckAt(expiresAt, [], input.reminderDays, now, live ? current.startsAt : now),
      removalAttempts: 0,
      lastError: null,
      lastOrderId: input.orderId ?? current.lastOrderId,
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

/** Marks a subscription revoked; the caller enqueues subscription.changed so the notifier removes the user. */
export async function revokeSubscription(tx: DbOrTx, userId: bigint, channelId: number, now = new Date()) {
  const [row] = await tx
    .update(subscriptions)
    .set({ status: "revoked", updatedAt: now, nextCheckAt: now })
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.channelId, channelId),
        eq(subscriptions.status, "active"),
      ),
    )
    .returning();
  return row;
}
