import { type DbOrTx, subscriptions, users } from "@telepay/db";
import { createTestDatabase, seedChannel, type TestDatabase } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackSubscription } from "../src/subscription-store.ts";

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

interface ExtendInput {
  userId: bigint;
  channelId: number;
  tierId: number | null;
  days?: number;
  until?: Date;
  now?: Date;
}

/** Stacks time as a grant does: in a transaction of its own unless given one. */
function extend(db: DbOrTx, { days, until, now, ...rest }: ExtendInput) {
  const input = {
    ...rest,
    change: until ? { until } : { days: days ?? Number.NaN },
    now: now ?? new Date(),
  };
  return db.transaction((tx) => stackSubscription(tx, input));
}

describe("stackSubscription (the one subscription row of a user and a channel)", () => {
  let db: TestDatabase;
  let channelId: number;
  let tierId: number;
  let userSeq = 600_000_000_000n;
  const database = () => db;

  beforeAll(async () => {
    db = await createTestDatabase(process.env.TEST_DATABASE_URL);
    await db.db.insert(users).values({ telegramId: 7_000_000_001n, firstName: "Owner" });
    const { channel, tier } = await seedChannel(db.db, {
      ownerTelegramId: 7_000_000_001n,
      values: { openTitle: "Open", closedTitle: "Closed" },
      tiers: [{ price: "9.99", durationDays: 30 }],
    });
    channelId = channel.id;
    tierId = tier.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  async function newUser() {
    const telegramId = userSeq++;
    await database().db.insert(users).values({ telegramId, firstName: "U" });
    return telegramId;
  }

  async function rowsOf(userId: bigint) {
    return database().db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  }

  it("starts a new subscription for the paid days", async () => {
    const userId = await newUser();
    const now = at("2026-01-01T00:00:00Z");
    const result = await extend(database().db, { userId, channelId, tierId, days: 30, now });
    expect(result.started).toBe(true);
    expect(result.previousExpiresAt).toBeNull();
    expect(result.subscription).toMatchObject({
      status: "active",
      startsAt: now,
      expiresAt: at("2026-01-31T00:00:00Z"),
      nextCheckAt: at("2026-01-28T00:00:00Z"),
      remindersSent: [],
      tierId,
    });
  });

  it("adds a renewal before expiry to the current expiry, never losing paid time (docs/legacy-mistakes.md#lm-11)", async () => {
    const userId = await newUser();
    await extend(database().db, {
      userId,
      channelId,
      tierId,
      days: 30,
      now: at("2026-01-01T00:00:00Z"),
    });
    await database()
      .db.update(subscriptions)
      .set({ remindersSent: [3] })
      .where(eq(subscriptions.userId, userId));
    const renewal = await extend(database().db, {
      userId,
      channelId,
      tierId,
      days: 90,
      now: at("2026-01-20T00:00:00Z"),
    });
    expect(renewal.started).toBe(false);
    expect(renewal.previousExpiresAt).toEqual(at("2026-01-31T00:00:00Z"));
    expect(renewal.subscription.startsAt).toEqual(at("2026-01-01T00:00:00Z"));
    expect(renewal.subscription.expiresAt).toEqual(at("2026-05-01T00:00:00Z"));
    expect(renewal.subscription.remindersSent).toEqual([]);
    expect(await rowsOf(userId)).toHaveLength(1);
  });

  it("starts from now when renewing after expiry, in the same row", async () => {
    const userId = await newUser();
    await extend(database().db, {
      userId,
      channelId,
      tierId,
      days: 30,
      now: at("2026-01-01T00:00:00Z"),
    });
    await database()
      .db.update(subscriptions)
      .set({ status: "expired" })
      .where(eq(subscriptions.userId, userId));
    const later = at("2026-03-10T08:00:00Z");
    const again = await extend(database().db, {
      userId,
      channelId,
      tierId,
      days: 30,
      now: later,
    });
    expect(again.started).toBe(true);
    expect(again.subscription.startsAt).toEqual(later);
    expect(again.subscription.expiresAt).toEqual(new Date(later.getTime() + 30 * DAY));
    expect(await rowsOf(userId)).toHaveLength(1);
  });

  it("treats an active row past its expiry (sweep not run yet) as lapsed", async () => {
    const userId = await newUser();
    await extend(database().db, {
      userId,
      channelId,
      tierId,
      days: 1,
      now: at("2026-01-01T00:00:00Z"),
    });
    const now = at("2026-01-05T00:00:00Z");
    const result = await extend(database().db, { userId, channelId, tierId, days: 7, now });
    expect(result.started).toBe(true);
    expect(result.subscription.expiresAt).toEqual(at("2026-01-12T00:00:00Z"));
  });

  it("sets an exact expiry with until, and reactivates a revoked subscription", async () => {
    const userId = await newUser();
    const now = at("2026-02-01T00:00:00Z");
    await extend(database().db, { userId, channelId, tierId, days: 10, now });
    await database()
      .db.update(subscriptions)
      .set({ status: "revoked" })
      .where(eq(subscriptions.userId, userId));
    const until = at("2026-12-31T23:59:59Z");
    const granted = await extend(database().db, {
      userId,
      channelId,
      tierId: null,
      until,
      now,
    });
    expect(granted.started).toBe(true);
    expect(granted.subscription).toMatchObject({ status: "active", expiresAt: until, tierId });
  });

  it("rejects bad input without touching the row", async () => {
    const userId = await newUser();
    const base = { userId, channelId, tierId };
    await expect(extend(database().db, { ...base, days: 0 })).rejects.toThrow(/positive whole number/);
    await expect(extend(database().db, { ...base, days: 1.5 })).rejects.toThrow(/positive whole number/);
    expect(await rowsOf(userId)).toHaveLength(0);
  });

  it("adds up concurrent renewals instead of overwriting them", async () => {
    const userId = await newUser();
    const now = new Date();
    const renewals = 5;
    await Promise.all(
      Array.from({ length: renewals }, () =>
        database().db.transaction((tx) => extend(tx, { userId, channelId, tierId, days: 30, now })),
      ),
    );
    const rows = await rowsOf(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt).toEqual(new Date(now.getTime() + renewals * 30 * DAY));
  });
});
