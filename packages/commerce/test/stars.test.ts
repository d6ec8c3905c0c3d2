import {
  accessGrants,
  channels,
  orders,
  payments,
  starSubscriptions,
  subscriptions,
  users,
} from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CommerceError,
  createCommerce,
  DAY_MS,
  nextCheckAt,
  parseTiers,
  STARS_RENEWAL_SLACK_MS,
  type StarsCharge,
  sweepAction,
} from "../src/index.ts";

const CLOCK = new Date("2026-11-30T12:00:00.000Z");
let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let chat = -1007700000000n;
let user = 770_000n;
let charge = 0;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  commerce = createCommerce({ db: database.db, now: () => CLOCK });
});
afterAll(async () => {
  await database?.close();
});

async function starsChannel(rails = "both") {
  const created = await commerce.channels.register(
    { kind: "cli" },
    {
      ownerTelegramId: 4242n,
      openChatId: --chat,
      closedChatId: --chat,
      tiers: [
        { price: "9.99", durationDays: 30, label: "Monthly", starsPrice: 250 },
        { price: "99", durationDays: 365, label: "Yearly", starsPrice: 2000 },
      ],
      rails,
      priceCurrency: "USD",
      payoutWallet: "TWalletAddress01",
      payoutCurrency: "usdttrc20",
    },
  );
  return created;
}

async function buyer() {
  const id = ++user;
  await database.db.insert(users).values({ telegramId: id, firstName: "Star" });
  return id;
}

function chargeOf(
  order: { reference: string; userId: bigint; amount: string },
  over: Partial<StarsCharge> = {},
) {
  return {
    userId: order.userId,
    payload: order.reference,
    chargeId: `stxTEST${++charge}`,
    currency: "XTR",
    totalAmount: Number(order.amount),
    isRecurring: true,
    isFirstRecurring: true,
    periodEnd: new Date(CLOCK.getTime() + 30 * DAY_MS),
    raw: { test: true },
    ...over,
  } satisfies StarsCharge;
}

describe("rails and Stars prices in the catalog", () => {
  it("the tier grammar reads a Stars price at the end of a line", () => {
    expect(parseTiers(["9.99:30:Monthly ⭐250", "99 365 Yearly best ⭐ 2000", "5:7:⭐60", "3:1"])).toEqual({
      ok: true,
      tiers: [
        { price: "9.99", durationDays: 30, label: "Monthly", starsPrice: 250 },
        { price: "99", durationDays: 365, label: "Yearly best", starsPrice: 2000 },
        { price: "5", durationDays: 7, label: "", starsPrice: 60 },
        { price: "3", durationDays: 1, label: "", starsPrice: null },
      ],
    });
    for (const bad of ["9.99:30:Monthly ⭐0", "9.99:30 ⭐10001", "9.99:30 ⭐2.5", "9.99:30 ⭐"])
      expect(parseTiers([bad])).toMatchObject({ ok: false, problem: { kind: "stars" } });
  });

  it("stores rails and each tier's Stars price", async () => {
    const { channel, tiers: rows } = await starsChannel("stars");
    expect(channel.rails).toBe("stars");
    expect(rows.map((t) => t.starsPrice)).toEqual([250, 2000]);
  });

  it("refuses bad rails, a missing or out-of-range Stars price, changing nothing", async () => {
    const before = await database.db.select().from(channels);
    const base = {
      ownerTelegramId: 4242n,
      openChatId: --chat,
      closedChatId: --chat,
      priceCurrency: "USD",
      payoutWallet: "TWalletAddress01",
      payoutCurrency: "usdttrc20",
    };
    const attempts = [
      { rails: "paypal", tiers: [{ price: "5", durationDays: 30, starsPrice: 10 }] },
      { rails: "both", tiers: [{ price: "5", durationDays: 30 }] },
      { rails: "stars", tiers: [{ price: "5", durationDays: 30, starsPrice: 10_001 }] },
      { rails: "stars", tiers: [{ price: "5", durationDays: 30, starsPrice: 0 }] },
      { rails: "stars", tiers: [{ price: "5", durationDays: 30, starsPrice: 2.5 }] },
    ];
    for (const a of attempts) {
      const err = await commerce.channels.register({ kind: "cli" }, { ...base, ...a }).catch((e) => e);
      expect(err).toBeInstanceOf(CommerceError);
      expect(err.code).toBe("INVALID");
    }
    expect(await database.db.select().from(channels)).toHaveLength(before.length);
  });

  it("replaceTiers keeps a Stars channel's tiers priced in Stars", async () => {
    const { channel } = await starsChannel("stars");
    const err = await commerce.channels
      .replaceTiers(channel.id, { kind: "cli" }, [{ price: "5", durationDays: 30 }])
      .catch((e) => e);
    expect(err.details.field).toBe("starsPrice");
    const rows = await commerce.channels.replaceTiers(channel.id, { kind: "cli" }, [
      { price: "5", durationDays: 7, starsPrice: 50 },
    ]);
    expect(rows[0]!.starsPrice).toBe(50);
  });
});

describe("Stars checkout and charges", () => {
  async function starsOrder(tierIndex = 0) {
    const { channel, tiers: rows } = await starsChannel();
    const userId = BigInt(await buyer());
    const order = await commerce.orders.open({
      userId,
      item: { kind: "subscription", channelId: channel.id, tier: rows[tierIndex]!, rail: "stars" },
      reuseMs: 60_000,
    });
    return { channel, tiers: rows, userId, order };
  }

  it("prices a Stars order from the tier's Stars price, in XTR, apart from the crypto order", async () => {
    const { channel, tiers: rows, userId, order } = await starsOrder();
    expect([order.amount, order.currency, order.durationDays]).toEqual(["250", "XTR", 30]);
    const crypto = await commerce.orders.open({
      userId,
      item: { kind: "subscription", channelId: channel.id, tier: rows[0]! },
      reuseMs: 60_000,
    });
    expect(crypto.id).not.toBe(order.id);
    expect(crypto.currency).toBe("USD");
  });

  it("pre-checkout: accepts the open order at its price, refuses everything else", async () => {
    const { channel, userId, order } = await starsOrder();
    const q = { userId, payload: order.reference, currency: "XTR", totalAmount: 250 };
    expect(await commerce.stars.checkout(q)).toEqual({ ok: true });
    expect(await commerce.stars.checkout({ ...q, totalAmount: 1 })).toMatchObject({
      reason: "price_changed",
    });
    expect(await commerce.stars.checkout({ ...q, currency: "USD" })).toMatchObject({
      reason: "price_changed",
    });
    expect(await commerce.stars.checkout({ ...q, userId: userId + 1n })).toMatchObject({
      reason: "not_yours",
    });
    expect(await commerce.stars.checkout({ ...q, payload: "nope_nope_nope" })).toMatchObject({
      reason: "unknown_order",
    });
    await commerce.channels.setPaused(channel.id, { kind: "cli" }, true);
    expect(await commerce.stars.checkout(q)).toMatchObject({ reason: "unavailable" });
    await commerce.channels.setPaused(channel.id, { kind: "cli" }, false);
    await commerce.channels.replaceTiers(channel.id, { kind: "cli" }, [
      { price: "5", durationDays: 30, starsPrice: 250 },
    ]);
    expect(await commerce.stars.checkout(q)).toMatchObject({ reason: "unavailable" });
  });

  it("a charge pays its order once: a redelivery is a duplicate, and pre-checkout then refuses", async () => {
    const { userId, order } = await starsOrder();
    const c = chargeOf(order);
    const first = await commerce.stars.recordCharge(c);
    expect(first.outcome).toBe("confirmed");
    const again = await commerce.stars.recordCharge(c);
    expect(again.outcome).toBe("duplicate");
    const grants = await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id));
    expect(grants).toHaveLength(1);
    expect(
      await commerce.stars.checkout({ userId, payload: order.reference, currency: "XTR", totalAmount: 250 }),
    ).toMatchObject({ reason: "already_paid" });
    const [sub] = await database.db
      .select()
      .from(starSubscriptions)
      .where(eq(starSubscriptions.chargeId, c.chargeId));
    expect(sub?.state).toBe("renewing");
  });

  it("a renewal charge is its own order (same tier and days), granted once per charge", async () => {
    const { order } = await starsOrder();
    await commerce.stars.recordCharge(chargeOf(order));
    const renewal = chargeOf(order, { isFirstRecurring: false });
    const r1 = await commerce.stars.recordCharge(renewal);
    expect(r1).toMatchObject({ outcome: "confirmed", renewal: true });
    const r2 = await commerce.stars.recordCharge(renewal);
    expect(r2.outcome).toBe("duplicate");
    const rows = await database.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, order.userId), eq(orders.channelId, order.channelId)));
    expect(rows.map((o) => [o.amount, o.currency, o.durationDays, o.status])).toEqual([
      ["250", "XTR", 30, "finished"],
      ["250", "XTR", 30, "finished"],
    ]);
    const grants = await database.db
      .select()
      .from(accessGrants)
      .where(eq(accessGrants.orderId, rows.find((o) => o.id !== order.id)!.id));
    expect(grants).toHaveLength(1);
  });

  it("a forged charge of another amount grants nothing and waits for review", async () => {
    const { order } = await starsOrder();
    for (const totalAmount of [1, 999]) {
      const { order: o } = totalAmount === 1 ? { order } : await starsOrder();
      const result = await commerce.stars.recordCharge(chargeOf(o, { totalAmount, isRecurring: false }));
      expect(result.outcome).toBe("review");
      const [row] = await database.db.select().from(orders).where(eq(orders.id, o.id));
      expect(row!.status).toBe("needs_review");
      expect(await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, o.id))).toEqual([]);
      const [payment] = await database.db.select().from(payments).where(eq(payments.orderId, o.id));
      expect(payment!.needsReview).toBe(true);
    }
  });

  it("a recurring charge that is not the payer's own is not a renewal", async () => {
    const { order } = await starsOrder();
    await commerce.stars.recordCharge(chargeOf(order));
    const other = BigInt(await buyer());
    const result = await commerce.stars.recordCharge(
      chargeOf(order, { userId: other, isFirstRecurring: false }),
    );
    expect(result.renewal).toBe(false);
    expect(result.outcome).toBe("review");
  });

  it("cancel and resume renewal; the sweep looks again at once", async () => {
    const { order } = await starsOrder();
    await commerce.stars.recordCharge(chargeOf(order));
    await database.db.insert(subscriptions).values({
      userId: order.userId,
      channelId: order.channelId,
      startsAt: CLOCK,
      expiresAt: new Date(CLOCK.getTime() + 30 * DAY_MS),
      nextCheckAt: new Date(CLOCK.getTime() + 30 * DAY_MS),
    });
    const off = await commerce.stars.setRenewal({ kind: "system" }, order.userId, order.channelId, false);
    expect(off.state).toBe("canceled");
    const [sub] = await database.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, order.userId), eq(subscriptions.channelId, order.channelId)));
    expect(sub!.nextCheckAt.getTime()).toBe(CLOCK.getTime());
    const on = await commerce.stars.setRenewal({ kind: "system" }, order.userId, order.channelId, true);
    expect(on.state).toBe("renewing");
    await expect(commerce.stars.setRenewal({ kind: "system" }, 1n, order.channelId, true)).rejects.toThrow(
      CommerceError,
    );
  });
});

describe("the sweep and Stars auto-renewal", () => {
  const expiresAt = new Date("2026-12-01T00:00:00Z");
  const base = {
    status: "active" as const,
    startsAt: new Date("2026-11-01T00:00:00Z"),
    expiresAt,
    remindersSent: [],
  };

  it("a renewing subscriber is not reminded and not removed within the slack, then removed", () => {
    const before = new Date(expiresAt.getTime() - DAY_MS);
    expect(sweepAction({ ...base, renewalExpected: true }, [3, 1], before)).toEqual({ action: "reschedule" });
    const justAfter = new Date(expiresAt.getTime() + 60_000);
    expect(sweepAction({ ...base, renewalExpected: true }, [3, 1], justAfter)).toEqual({
      action: "reschedule",
    });
    expect(nextCheckAt(expiresAt, [], [3, 1], justAfter, base.startsAt, 0, true).getTime()).toBe(
      expiresAt.getTime() + STARS_RENEWAL_SLACK_MS,
    );
    expect(nextCheckAt(expiresAt, [], [3, 1], before, base.startsAt, 0, true)).toEqual(expiresAt);
    const late = new Date(expiresAt.getTime() + STARS_RENEWAL_SLACK_MS);
    expect(sweepAction({ ...base, renewalExpected: true }, [3, 1], late)).toEqual({ action: "remove" });
    // Renewal cancelled: removed on time, reminded as usual.
    expect(sweepAction(base, [3, 1], justAfter)).toEqual({ action: "remove" });
    expect(sweepAction(base, [3, 1], before)).toEqual({ action: "remind", reminderDays: 1 });
  });

  it("plan sees the renewal; a removal after the slack marks the Stars subscription lapsed", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const userId = BigInt(await buyer());
    const order = await commerce.orders.open({
      userId,
      item: { kind: "subscription", channelId: channel.id, tier: rows[0]!, rail: "stars" },
      reuseMs: 60_000,
    });
    await commerce.stars.recordCharge(chargeOf(order));
    const [sub] = await database.db
      .insert(subscriptions)
      .values({ userId, channelId: channel.id, startsAt: CLOCK, expiresAt: CLOCK, nextCheckAt: CLOCK })
      .returning();
    const mine = (items: Awaited<ReturnType<typeof commerce.sweep.plan>>) =>
      items.find((i) => i.subscription.id === sub!.id);
    const soon = new Date(CLOCK.getTime() + 60_000);
    expect(mine(await commerce.sweep.plan({ now: soon, limit: 1000, reminderDays: [3, 1] }))?.action).toBe(
      "reschedule",
    );
    const late = new Date(CLOCK.getTime() + STARS_RENEWAL_SLACK_MS + 1);
    expect(mine(await commerce.sweep.plan({ now: late, limit: 1000, reminderDays: [3, 1] }))?.action).toBe(
      "remove",
    );
    await commerce.sweep.recordRemoval(sub!, "removed", late);
    const [star] = await database.db
      .select()
      .from(starSubscriptions)
      .where(and(eq(starSubscriptions.userId, userId), eq(starSubscriptions.channelId, channel.id)));
    expect(star!.state).toBe("lapsed");
  });
});
