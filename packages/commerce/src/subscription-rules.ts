/**
 * The subscription rules, in one place: how a grant or renewal stacks on the time left, when the
 * sweep next looks at a subscription, and what the sweep owes a subscription it looks at. The
 * access part (grant/extend/revoke) and the sweep (real and dry run) both use these and nothing else.
 */

export const DAY_MS = 86_400_000;

/** Default reminder schedule: days before expiry. */
export const DEFAULT_REMINDER_DAYS = [3, 1] as const;

/**
 * How long past the expiry the sweep keeps a subscriber whose Stars auto-renewal is still expected:
 * Telegram charges the renewal around the expiry, and its update may arrive a little late.
 */
export const STARS_RENEWAL_SLACK_MS = 6 * 3_600_000;

/** The subscription fields the rules read. */
export interface SubscriptionTimes {
  status: "active" | "expired" | "revoked";
  startsAt: Date;
  expiresAt: Date;
  remindersSent: readonly number[];
  /** A Stars auto-renewal is switched on: no "renew now" reminders, removal waits the slack. */
  renewalExpected?: boolean;
}

/** True when the subscription gives access at `now` (active and not yet expired). */
export const isLive = (s: SubscriptionTimes | undefined, now: Date): boolean =>
  s !== undefined && s.status === "active" && s.expiresAt.getTime() > now.getTime();

/**
 * The expiry a grant or renewal sets: `until` exactly, or `days` added to the time left
 * (max(now, current expiry) when live, else now). Renewal never loses paid time
 * (docs/legacy-mistakes.md#lm-11).
 */
export function stackedExpiry(
  current: SubscriptionTimes | undefined,
  change: { days: number } | { until: Date },
  now: Date,
): Date {
  if ("until" in change) return change.until;
  const base = isLive(current, now) ? current!.expiresAt : now;
  return new Date(base.getTime() + change.days * DAY_MS);
}

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
  renewalExpected = false,
): Date {
  if (renewalExpected) {
    // Renewing by itself: nothing to remind; past the expiry, look again when the slack is over.
    const removal = new Date(expiresAt.getTime() + STARS_RENEWAL_SLACK_MS);
    return expiresAt.getTime() > now.getTime() ? expiresAt : removal;
  }
  if (expiresAt.getTime() <= now.getTime()) return expiresAt;
  const due = reminderDays
    .filter((d) => !remindersSent.includes(d))
    .map((d) => new Date(expiresAt.getTime() - d * DAY_MS))
    .filter((t) => startsAt === undefined || t.getTime() > startsAt.getTime())
    .map((t) => (t.getTime() < now.getTime() ? now : t))
    .sort((a, b) => a.getTime() - b.getTime());
  return due[0] ?? expiresAt;
}

/** The reminder due now, if any: the closest-to-expiry unsent one whose time has come. */
export function dueReminder(
  s: SubscriptionTimes,
  reminderDays: readonly number[],
  now: Date,
): number | undefined {
  return reminderDays
    .filter((d) => !s.remindersSent.includes(d) && s.expiresAt.getTime() - d * DAY_MS <= now.getTime())
    .sort((a, b) => a - b)[0];
}

/** What the sweep does with a subscription it selected (see sweep.ts for the selection). */
export type SweepAction =
  | { action: "remove" }
  | { action: "remind"; reminderDays: number }
  /** Due for a look but nothing to send: only its next check is moved on. */
  | { action: "reschedule" };

/** The sweep's decision for one selected subscription: expired → remove, else the due reminder. */
export function sweepAction(s: SubscriptionTimes, reminderDays: readonly number[], now: Date): SweepAction {
  if (s.renewalExpected) {
    // A Stars renewal due: wait for it a little; if it has not come by then, the subscriber goes.
    return s.expiresAt.getTime() + STARS_RENEWAL_SLACK_MS <= now.getTime()
      ? { action: "remove" }
      : { action: "reschedule" };
  }
  if (s.expiresAt.getTime() <= now.getTime()) return { action: "remove" };
  const day = dueReminder(s, reminderDays, now);
  return day === undefined ? { action: "reschedule" } : { action: "remind", reminderDays: day };
}

/**
 * The reminders a reminder settles: every one at or beyond it (a sweep that was down does not send
 * the 3-day one after the 1-day one). Returns the new reminders_sent, largest first.
 */
export function remindersAfter(
  s: SubscriptionTimes,
  day: number | undefined,
  reminderDays: readonly number[],
): number[] {
  const settled = day === undefined ? [] : reminderDays.filter((d) => d >= day);
  return [...new Set([...s.remindersSent, ...settled])].sort((a, b) => b - a);
}
