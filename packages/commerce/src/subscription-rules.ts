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

/** The reminder slot of the grace-period reminder in reminders_sent (days-before-expiry slots are > 0). */
export const GRACE_REMINDER = 0;

/**
 * The grace days that apply to one subscription: the channel's, except after a refund took its last
 * paid time (end_cause `reversal`): grace is a courtesy to a payer who has not renewed yet, not to a
 * payment taken back, so that subscriber is removed at once (docs/refunds.md).
 */
export const graceFor = (s: { endCause?: string | null } | undefined, channelGraceDays: number): number =>
  s?.endCause === "reversal" ? 0 : channelGraceDays;

/** When the sweep removes a subscriber: the expiry plus the channel's grace days. */
export const removalAt = (expiresAt: Date, graceDays: number): Date =>
  new Date(expiresAt.getTime() + graceDays * DAY_MS);

/**
 * True when the subscription expired but is still inside its channel's grace period: the subscriber
 * is still in the channel, and a renewal now stacks on the original expiry.
 */
export const inGrace = (s: SubscriptionTimes | undefined, now: Date, graceDays: number): boolean =>
  s !== undefined &&
  s.status === "active" &&
  s.expiresAt.getTime() <= now.getTime() &&
  removalAt(s.expiresAt, graceDays).getTime() > now.getTime();

/**
 * The expiry a grant or renewal sets: `until` exactly, or `days` added to the time left
 * (max(now, current expiry) when live, else now). Renewal never loses paid time
 * (docs/legacy-mistakes.md#lm-11). Inside the grace period the days are added to the original
 * expiry: grace is a courtesy, not free days (docs/owner-tools.md#grace-period).
 */
export function stackedExpiry(
  current: SubscriptionTimes | undefined,
  change: { days: number } | { until: Date },
  now: Date,
  graceDays = 0,
): Date {
  if ("until" in change) return change.until;
  const base = isLive(current, now) || inGrace(current, now, graceDays) ? current!.expiresAt : now;
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
  graceDays = 0,
  renewalExpected = false,
): Date {
  if (renewalExpected) {
    // Renewing by itself: nothing to remind; past the expiry, wait the slack for the renewal first.
    if (expiresAt.getTime() > now.getTime()) return expiresAt;
    const waitUntil = new Date(expiresAt.getTime() + STARS_RENEWAL_SLACK_MS);
    if (waitUntil.getTime() > now.getTime()) return waitUntil;
  }
  if (expiresAt.getTime() <= now.getTime()) {
    // Expired: the grace reminder at once if one is owed, else the removal at the end of grace.
    const removal = removalAt(expiresAt, graceDays);
    if (graceDays > 0 && !remindersSent.includes(GRACE_REMINDER) && removal.getTime() > now.getTime())
      return expiresAt;
    return removal;
  }
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
  /** Expired, inside the channel's grace period: one reminder with renewal buttons. */
  | { action: "grace"; removeAt: Date }
  /** Due for a look but nothing to send: only its next check is moved on. */
  | { action: "reschedule" };

/**
 * The sweep's decision for one selected subscription: past expiry + grace → remove; expired within
 * grace → the one grace reminder (then nothing until removal); else the due reminder. A Stars
 * subscription still renewing by itself gets no reminders, and its expiry waits the renewal slack
 * before grace and removal apply.
 */
export function sweepAction(
  s: SubscriptionTimes,
  reminderDays: readonly number[],
  now: Date,
  graceDays = 0,
): SweepAction {
  if (s.renewalExpected && s.expiresAt.getTime() + STARS_RENEWAL_SLACK_MS > now.getTime())
    return { action: "reschedule" };
  if (s.expiresAt.getTime() <= now.getTime()) {
    const removeAt = removalAt(s.expiresAt, graceDays);
    if (removeAt.getTime() <= now.getTime()) return { action: "remove" };
    return s.remindersSent.includes(GRACE_REMINDER)
      ? { action: "reschedule" }
      : { action: "grace", removeAt };
  }
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
  const settled =
    day === undefined
      ? []
      : day === GRACE_REMINDER
        ? [...reminderDays, GRACE_REMINDER]
        : reminderDays.filter((d) => d >= day);
  return [...new Set([...s.remindersSent, ...settled])].sort((a, b) => b - a);
}
