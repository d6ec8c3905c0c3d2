import { auditLog, outbox, subscriptions, trials } from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  CommerceError,
  createCommerce,
  DAY_MS,
  GRACE_REMINDER,
  nextCheckAt,
  type SweepPlanItem,
  stackedExpiry,
  sweepAction,
} from "../src/index.ts";

const T0 = new Date("2026-11-30T12:00:00.000Z");
let clock = T0;
const at = (days: number, extraMs = 0) => new Date(T0.getTime() + days * DAY_MS + extraMs);
const OWNER: Actor = { kind: "owner", telegramId: 4343n };
const CLI: Actor = { kind: "cli" };
const REMINDERS = [3, 1] as const;
let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let chat = -1007000000000n;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  commerce = createCommerce({ db: database.db, now: () => clock, reminderDays: REMINDERS });
});
afterAll(async () => {
  await database?.close();
});

async function channel(extra: { trialDays?: number; graceDays?: number } = {}) {
  const { channel: c } = await commerce.channels.register(OWNER, {
    ownerTelegramId: 4343n,
    openChatId: --chat,
    closedChatId: --chat,
    tiers: [{ price: "10", durationDays: 30 }],
    priceCurrency: "usd",
    payoutWallet: "TWallet12345678",
    payoutCurrency: "usdttrc20",
    ...extra,
  });
  return c;
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (!(err instanceof CommerceError)) throw err;
    return String(err.details.reason ?? err.details.field ?? err.code);
  }
}

describe("grace period rules", () => {
  const s = (expiresAt: Date, remindersSent: number[] = [1, 3]) => ({
    status: "active" as const,
    startsAt: at(-30),
    expiresAt,
    remindersSent,
  });
  it("reminds once in grace, removes only after expiry + grace", () => {
    expect(sweepAction(s(at(0)), REMINDERS, at(0, 1), 0)).toEqual({ action: "remove" });
    expect(sweepAction(s(at(0)), REMINDERS, at(0, 1), 3)).toEqual({ action: "grace", removeAt: at(3) });
    expect(sweepAction(s(at(0), [3, 1, GRACE_REMINDER]), REMINDERS, at(1), 3)).toEqual({
      action: "reschedule",
    });
    expect(sweepAction(s(at(0), [3, 1, GRACE_REMINDER]), REMINDERS, at(3), 3)).toEqual({ action: "remove" });
    // Next check: the grace reminder at once, then the end of grace.
    expect(nextCheckAt(at(0), [3, 1], REMINDERS, at(0, 1), undefined, 3)).toEqual(at(0));
    expect(nextCheckAt(at(0), [3, 1, 0], REMINDERS, at(0, 1), undefined, 3)).toEqual(at(3));
    expect(nextCheckAt(at(0), [3, 1], REMINDERS, at(0, 1), undefined, 0)).toEqual(at(0));
  });
  it("a renewal inside grace stacks on the original expiry, after grace on now", () => {
    expect(stackedExpiry(s(at(0)), { days: 30 }, at(2), 3)).toEqual(at(30));
    expect(stackedExpiry(s(at(0)), { days: 30 }, at(4), 3)).toEqual(at(34));
    expect(stackedExpiry(s(at(0)), { days: 30 }, at(2), 0)).toEqual(at(32));
  });
});

describe("grace period in the sweep (real database)", () => {
  it("dry run and real run agree: one grace reminder, no removal until grace is over; a renewal in grace stacks", async () => {
    const c = await channel({ graceDays: 3 });
    expect(c.graceDays).toBe(3);
    clock = T0;
    await commerce.access.grant({ channelId: c.id, userId: 61n, actor: CLI, change: { days: 10 } });
    await commerce.access.grant({ channelId: c.id, userId: 62n, actor: CLI, change: { days: 10 } });
    const mine = (items: SweepPlanItem[]) => items.filter((i) => i.subscription.channelId === c.id);
    // Skip the pre-expiry reminders.
    for (const day of [7, 9]) {
      clock = at(day, 1000);
      for (const item of mine(
        await commerce.sweep.claim({ now: clock, limit: 100, leaseMs: 60_000, reminderDays: REMINDERS }),
      ))
        await commerce.sweep.recordReminder(
          item.subscription,
          item.action === "remind" ? item.reminderDays : undefined,
          REMINDERS,
          clock,
        );
    }
    clock = at(10, 60_000);
    const planned = mine(await commerce.sweep.plan({ now: clock, limit: 100, reminderDays: REMINDERS }));
    expect(planned.map((p) => [p.subscription.userId, p.action])).toEqual([
      [61n, "grace"],
      [62n, "grace"],
    ]);
    const claimed = mine(
      await commerce.sweep.claim({ now: clock, limit: 100, leaseMs: 60_000, reminderDays: REMINDERS }),
    );
    expect(claimed.map((p) => [p.subscription.userId, p.action])).toEqual(
      planned.map((p) => [p.subscription.userId, p.action]),
    );
    for (const item of claimed)
      await commerce.sweep.recordReminder(item.subscription, GRACE_REMINDER, REMINDERS, clock);
    // Inside grace nothing more is due; a removal reported by a stale plan leaves the row active.
    clock = at(12);
    expect(mine(await commerce.sweep.plan({ now: clock, limit: 100, reminderDays: REMINDERS }))).toEqual([]);
    const stale = claimed[1]!.subscription;
    await commerce.sweep.recordRemoval(stale, "removed", clock);
    const [still] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, stale.id));
    expect(still!.status).toBe("active");
    // User 61 renews on day 12, inside grace: 30 days from the original expiry (day 10), not from now.
    const renewed = await commerce.access.grant({
      channelId: c.id,
      userId: 61n,
      actor: CLI,
      change: { days: 30 },
    });
    expect(renewed.subscription.expiresAt).toEqual(at(40));
    expect(renewed.subscription.startsAt).toEqual(T0);
    // After expiry + grace only user 62 is removed, in the dry run and the real run alike.
    clock = at(13, 1000);
    const due = mine(await commerce.sweep.plan({ now: clock, limit: 100, reminderDays: REMINDERS }));
    expect(due.map((p) => [p.subscription.userId, p.action])).toEqual([[62n, "remove"]]);
    const real = mine(
      await commerce.sweep.claim({ now: clock, limit: 100, leaseMs: 60_000, reminderDays: REMINDERS }),
    );
    expect(real.map((p) => [p.subscription.userId, p.action])).toEqual([[62n, "remove"]]);
    await commerce.sweep.recordRemoval(real[0]!.subscription, "removed", clock);
    const [gone] = await database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, real[0]!.subscription.id));
    expect(gone!.status).toBe("expired");
    clock = T0;
  });

  it("refuses a negative or too long grace or trial", async () => {
    expect(await reason(channel({ graceDays: -1 }))).toBe("graceDays");
    expect(await reason(channel({ graceDays: 91 }))).toBe("graceDays");
    expect(await reason(channel({ trialDays: 1.5 }))).toBe("trialDays");
    expect(await reason(channel({ trialDays: 366 }))).toBe("trialDays");
  });
});

describe("free trials", () => {
  it("grants through the core without an invoice, once per user per channel ever", async () => {
    clock = T0;
    const c = await channel({ trialDays: 7 });
    const started = await commerce.access.startTrial({ channelId: c.id, userId: 71n });
    expect(started.subscription).toMatchObject({
      trial: true,
      status: "active",
      expiresAt: at(7),
      tierId: null,
    });
    const [event] = await database.db.select().from(outbox).where(eq(outbox.eventId, started.eventId));
    expect(event!.topic).toBe("subscription.changed");
    expect(event!.payload).toMatchObject({ action: "grant", actor: "system", userId: "71" });
    const [audited] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.channelId, c.id), eq(auditLog.subjectUserId, 71n)));
    expect(audited).toMatchObject({ action: "subscription.grant", actor: "system" });
    expect(audited!.details).toMatchObject({ trial: true });
    // While it runs: already subscribed. After it ended (even long after): never again.
    expect(await reason(commerce.access.startTrial({ channelId: c.id, userId: 71n }))).toBe("subscribed");
    await database.db
      .update(subscriptions)
      .set({ status: "expired" })
      .where(eq(subscriptions.id, started.subscription.id));
    clock = at(400);
    expect(await reason(commerce.access.startTrial({ channelId: c.id, userId: 71n }))).toBe("trial_used");
    // Paying ends the trial flag.
    const paid = await commerce.access.grant({
      channelId: c.id,
      userId: 71n,
      actor: CLI,
      change: { days: 30 },
    });
    expect(paid.subscription.trial).toBe(false);
    clock = T0;
    // The same user may still try another channel's trial; a channel without one refuses.
    const other = await channel({ trialDays: 3 });
    expect(await reason(commerce.access.startTrial({ channelId: other.id, userId: 71n }))).toBe("ok");
    const none = await channel();
    expect(await reason(commerce.access.startTrial({ channelId: none.id, userId: 71n }))).toBe("no_trial");
    expect(await reason(commerce.access.startTrial({ channelId: 999_999, userId: 71n }))).toBe("channel");
  });

  it("a second, concurrent trial attempt fails on the unique constraint", async () => {
    clock = T0;
    const c = await channel({ trialDays: 5 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => reason(commerce.access.startTrial({ channelId: c.id, userId: 72n }))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok").every((r) => r === "trial_used" || r === "subscribed")).toBe(
      true,
    );
    expect(await database.db.select().from(trials).where(eq(trials.channelId, c.id))).toHaveLength(1);
    // The constraint itself, not only the check: a direct second insert fails.
    await expect(
      database.db.insert(trials).values({ userId: 72n, channelId: c.id, days: 5, endsAt: at(5) }),
    ).rejects.toThrow();
  });
});
