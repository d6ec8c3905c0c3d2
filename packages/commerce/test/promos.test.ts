import { auditLog, orders, promoCodes } from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  CommerceError,
  createCommerce,
  discountedPrice,
  normalizePromoCode,
  PROMO_HOLD_MS,
} from "../src/index.ts";

let clock = new Date("2026-11-30T12:00:00.000Z");
const OWNER: Actor = { kind: "owner", telegramId: 4242n };
const STRANGER: Actor = { kind: "owner", telegramId: 999n };
let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let chat = -1008000000000n;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  commerce = createCommerce({ db: database.db, now: () => clock });
});
afterAll(async () => {
  await database?.close();
});

async function channel() {
  return commerce.channels.register(OWNER, {
    ownerTelegramId: 4242n,
    openChatId: --chat,
    closedChatId: --chat,
    tiers: [
      { price: "10", durationDays: 30, label: "Monthly" },
      { price: "2.5", durationDays: 7 },
    ],
    priceCurrency: "usd",
    payoutWallet: "TWallet12345678",
    payoutCurrency: "usdttrc20",
  });
}

/** The refusal's reason (details.reason) or field, or "ok". */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (!(err instanceof CommerceError)) throw err;
    return String(err.details.reason ?? `${err.code}:${err.details.field ?? ""}`);
  }
}

describe("promo codes: creation", () => {
  it("refuses hostile input and changes nothing", async () => {
    const { channel: c } = await channel();
    const add = (o: object, actor: Actor = OWNER) =>
      outcome(commerce.promos.add(actor, { channelId: c.id, code: "SPRING", percentOff: 10, ...o }));
    expect(await add({ percentOff: -5 })).toBe("INVALID:percentOff");
    expect(await add({ percentOff: 0 })).toBe("INVALID:percentOff");
    expect(await add({ percentOff: 100 })).toBe("INVALID:percentOff");
    expect(await add({ percentOff: 150 })).toBe("INVALID:percentOff");
    expect(await add({ percentOff: 12.5 })).toBe("INVALID:percentOff");
    expect(await add({ amountOff: "2" })).toBe("INVALID:discount");
    expect(await add({ percentOff: undefined, amountOff: "-1" })).toBe("INVALID:amountOff");
    expect(await add({ percentOff: undefined, amountOff: "0.001" })).toBe("INVALID:amountOff");
    expect(await add({ percentOff: undefined, amountOff: "0" })).toBe("INVALID:amountOff");
    expect(await add({ code: "no spaces" })).toBe("format");
    expect(await add({ code: "ab" })).toBe("format");
    expect(await add({ code: "émoji😀" })).toBe("format");
    expect(await add({ code: "X".repeat(33) })).toBe("format");
    expect(await add({ code: "DROP';--" })).toBe("format");
    expect(await add({ maxUses: 0 })).toBe("INVALID:maxUses");
    expect(await add({ expiresAt: new Date(clock.getTime() - 1) })).toBe("INVALID:expiresAt");
    expect(await add({ tierPositions: [3] })).toBe("INVALID:tierPositions");
    expect(await add({}, STRANGER)).toBe("FORBIDDEN:");
    expect(
      await outcome(commerce.promos.add(OWNER, { channelId: 999_999, code: "X1X", percentOff: 5 })),
    ).toBe("NOT_FOUND:");
    expect(await database.db.select().from(promoCodes).where(eq(promoCodes.channelId, c.id))).toEqual([]);
    // A code is case-insensitive and unique per channel.
    expect(await add({ code: "spring" })).toBe("ok");
    expect(await add({ code: "Spring" })).toBe("CONFLICT:code");
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.channelId, c.id), eq(auditLog.action, "promo.created")));
    expect(audits).toHaveLength(1);
  });

  it("lists with use counts and disables; strangers can do neither", async () => {
    const { channel: c } = await channel();
    await commerce.promos.add(OWNER, { channelId: c.id, code: "FIVE", amountOff: "5", maxUses: 3 });
    expect(await outcome(commerce.promos.list(STRANGER, c.id))).toBe("FORBIDDEN:");
    expect(await outcome(commerce.promos.disable(STRANGER, c.id, "FIVE"))).toBe("FORBIDDEN:");
    const [listed] = await commerce.promos.list(OWNER, c.id);
    expect(listed).toMatchObject({
      code: "FIVE",
      amountOff: "5",
      maxUses: 3,
      active: true,
      uses: 0,
      held: 0,
    });
    const disabled = await commerce.promos.disable(OWNER, c.id, "five");
    expect(disabled.active).toBe(false);
    expect(await outcome(commerce.promos.disable(OWNER, c.id, "NOPE"))).toBe("NOT_FOUND:");
  });
});

describe("promo codes: applying in orders.open", () => {
  it("discounts percent and fixed, rounds to the cent, refuses below the processor minimum", async () => {
    expect(discountedPrice("9.99", { code: "A", percentOff: 15, amountOff: null })).toBe("8.49");
    expect(discountedPrice("10", { code: "A", percentOff: null, amountOff: "2.5" })).toBe("7.5");
    expect(() => discountedPrice("2.5", { code: "A", percentOff: 90, amountOff: null })).toThrow(
      /minimum of 1/,
    );
    expect(() => discountedPrice("10", { code: "A", percentOff: null, amountOff: "20" })).toThrow(
      /price would be 0/,
    );

    const { channel: c, tiers } = await channel();
    await commerce.users.ensure(701n);
    await commerce.promos.add(OWNER, { channelId: c.id, code: "HALF", percentOff: 50 });
    await commerce.promos.add(OWNER, { channelId: c.id, code: "BIG", amountOff: "2", tierPositions: [1] });
    await commerce.promos.add(OWNER, { channelId: c.id, code: "NINETY", percentOff: 90 });
    const monthly = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    const weekly = { kind: "subscription" as const, channelId: c.id, tier: tiers[1]! };
    const order = await commerce.orders.open({
      userId: 701n,
      item: monthly,
      reuseMs: 60_000,
      promoCode: "half",
    });
    expect(order).toMatchObject({ amount: "5", listAmount: "10", currency: "USD", durationDays: 30 });
    // BIG is limited to tier 1; 90 % off 2.5 is 0.25, under the minimum.
    expect(
      await outcome(commerce.orders.open({ userId: 701n, item: weekly, reuseMs: 60_000, promoCode: "BIG" })),
    ).toBe("tier");
    expect(
      await outcome(
        commerce.orders.open({ userId: 701n, item: weekly, reuseMs: 60_000, promoCode: "NINETY" }),
      ),
    ).toBe("below_minimum");
    expect(
      await outcome(
        commerce.orders.open({ userId: 701n, item: monthly, reuseMs: 60_000, promoCode: "NOPE" }),
      ),
    ).toBe("unknown");
    expect(
      await outcome(commerce.orders.open({ userId: 701n, item: monthly, reuseMs: 60_000, promoCode: "x y" })),
    ).toBe("format");
    expect(
      await outcome(
        commerce.orders.open({
          userId: 701n,
          item: { kind: "donation", channelId: c.id, amount: "5", currency: "USD" },
          reuseMs: 60_000,
          promoCode: "HALF",
        }),
      ),
    ).toBe("donation");
    // Another channel's code does not exist here.
    const other = await channel();
    await commerce.promos.add(OWNER, { channelId: other.channel.id, code: "OTHER", percentOff: 10 });
    expect(
      await outcome(
        commerce.orders.open({ userId: 701n, item: monthly, reuseMs: 60_000, promoCode: "OTHER" }),
      ),
    ).toBe("unknown");
    await commerce.promos.disable(OWNER, c.id, "HALF");
    expect(
      await outcome(
        commerce.orders.open({ userId: 702n, item: monthly, reuseMs: 60_000, promoCode: "HALF" }),
      ),
    ).toBe("disabled");
  });

  it("expires at its expiry", async () => {
    const { channel: c, tiers } = await channel();
    await commerce.users.ensure(703n);
    await commerce.promos.add(OWNER, {
      channelId: c.id,
      code: "SOON",
      percentOff: 10,
      expiresAt: new Date(clock.getTime() + 60_000),
    });
    const item = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    const saved = clock;
    clock = new Date(saved.getTime() + 60_000);
    try {
      expect(
        await outcome(commerce.orders.open({ userId: 703n, item, reuseMs: 60_000, promoCode: "SOON" })),
      ).toBe("expired");
    } finally {
      clock = saved;
    }
  });

  it("gives the last use to exactly one of many parallel orders; a repeated tap keeps its use", async () => {
    const { channel: c, tiers } = await channel();
    await commerce.promos.add(OWNER, { channelId: c.id, code: "LAST", percentOff: 20, maxUses: 2 });
    const item = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    await commerce.users.ensure(800n);
    const first = await commerce.orders.open({ userId: 800n, item, reuseMs: 60_000, promoCode: "LAST" });
    // The same user tapping again reuses the order and its use.
    const again = await commerce.orders.open({ userId: 800n, item, reuseMs: 60_000, promoCode: "LAST" });
    expect(again.id).toBe(first.id);
    const users = Array.from({ length: 12 }, (_, i) => 810n + BigInt(i));
    for (const u of users) await commerce.users.ensure(u);
    const results = await Promise.all(
      users.map((u) =>
        outcome(commerce.orders.open({ userId: u, item, reuseMs: 60_000, promoCode: "LAST" })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "used_up")).toHaveLength(11);
    const holding = await database.db.select().from(orders).where(eq(orders.promoCodeId, first.promoCodeId!));
    expect(holding).toHaveLength(2);
  });

  it("one subscriber's unpaid orders hold one use, not one per order: they cannot lock a code up alone", async () => {
    const { channel: c, tiers } = await channel();
    await commerce.promos.add(OWNER, { channelId: c.id, code: "PAIR", percentOff: 20, maxUses: 2 });
    const monthly = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    const weekly = { kind: "subscription" as const, channelId: c.id, tier: tiers[1]! };
    for (const u of [701n, 702n, 703n]) await commerce.users.ensure(u);
    // A hoarder opens unpaid orders for both plans, and again in a later reuse window.
    const open = (userId: bigint, item = monthly, reuseMs = 60_000) =>
      outcome(commerce.orders.open({ userId, item, reuseMs, promoCode: "PAIR" }));
    expect(await open(701n)).toBe("ok");
    expect(await open(701n, weekly)).toBe("ok");
    expect(await open(701n, monthly, 1)).toBe("ok");
    const [listed] = await commerce.promos.list(OWNER, c.id);
    expect(listed).toMatchObject({ uses: 0, held: 1 });
    // So the second use is still there for someone else, and only then is the code used up.
    expect(await outcome(commerce.promos.check({ channelId: c.id, code: "PAIR", userId: 702n }))).toBe("ok");
    expect(await open(702n)).toBe("ok");
    expect(await open(703n)).toBe("used_up");
    expect(await outcome(commerce.promos.check({ channelId: c.id, code: "PAIR", userId: 703n }))).toBe(
      "used_up",
    );
    // The hoarder is not refused their own code.
    expect(await outcome(commerce.promos.check({ channelId: c.id, code: "PAIR", userId: 701n }))).toBe("ok");
  });

  it("an abandoned unpaid order gives its use back after the hold; a failed one at once; a paid one never", async () => {
    const { channel: c, tiers } = await channel();
    await commerce.promos.add(OWNER, { channelId: c.id, code: "ONCE", percentOff: 20, maxUses: 1 });
    const item = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    for (const u of [901n, 902n, 903n, 904n]) await commerce.users.ensure(u);
    const saved = clock;
    try {
      const a = await commerce.orders.open({ userId: 901n, item, reuseMs: 60_000, promoCode: "ONCE" });
      expect(
        await outcome(commerce.orders.open({ userId: 902n, item, reuseMs: 60_000, promoCode: "ONCE" })),
      ).toBe("used_up");
      clock = new Date(saved.getTime() + PROMO_HOLD_MS + 1000);
      const b = await commerce.orders.open({ userId: 902n, item, reuseMs: 60_000, promoCode: "ONCE" });
      expect(b.id).not.toBe(a.id);
      await database.db.update(orders).set({ status: "failed" }).where(eq(orders.id, b.id));
      const d = await commerce.orders.open({ userId: 903n, item, reuseMs: 60_000, promoCode: "ONCE" });
      await database.db.update(orders).set({ status: "finished" }).where(eq(orders.id, d.id));
      clock = new Date(clock.getTime() + 10 * PROMO_HOLD_MS);
      expect(
        await outcome(commerce.orders.open({ userId: 904n, item, reuseMs: 60_000, promoCode: "ONCE" })),
      ).toBe("used_up");
      const [listed] = await commerce.promos.list(OWNER, c.id);
      expect(listed).toMatchObject({ uses: 1, held: 1 });
    } finally {
      clock = saved;
    }
  });
});

describe("promos.check: a code before a plan is chosen (the bot's link and 'Have a code?')", () => {
  it("refuses as orders.open does, leaves the plan restriction to orders.open, and holds no use", async () => {
    const { channel: c, tiers } = await channel();
    const check = (code: string, channelId = c.id) =>
      outcome(commerce.promos.check({ channelId, code, userId: 1n }));
    await commerce.promos.add(OWNER, { channelId: c.id, code: "WEEK", percentOff: 10, tierPositions: [2] });
    await commerce.promos.add(OWNER, { channelId: c.id, code: "SOLO", percentOff: 10, maxUses: 1 });
    await commerce.promos.add(OWNER, { channelId: c.id, code: "OFF", percentOff: 10 });
    await commerce.promos.disable(OWNER, c.id, "OFF");
    await commerce.promos.add(OWNER, {
      channelId: c.id,
      code: "BRIEF",
      percentOff: 10,
      expiresAt: new Date(clock.getTime() + 1000),
    });
    expect(await commerce.promos.check({ channelId: c.id, code: " week ", userId: 1n })).toEqual({
      code: "WEEK",
      tierPositions: [2],
    });
    expect(await check("NOPE")).toBe("unknown");
    expect(await check("OFF")).toBe("disabled");
    expect(await check("<b>x</b>")).toBe("format");
    expect(await check("W".repeat(500))).toBe("format");
    expect(await check("WEEK", 999_999)).toBe("unknown");
    // Checking twice holds nothing: the one use is still there for an order.
    expect(await check("SOLO")).toBe("ok");
    expect(await check("SOLO")).toBe("ok");
    await commerce.users.ensure(950n);
    const item = { kind: "subscription" as const, channelId: c.id, tier: tiers[0]! };
    await commerce.orders.open({ userId: 950n, item, reuseMs: 60_000, promoCode: "SOLO" });
    expect(await check("SOLO")).toBe("used_up");
    const saved = clock;
    clock = new Date(saved.getTime() + 1000);
    try {
      expect(await check("BRIEF")).toBe("expired");
    } finally {
      clock = saved;
    }
  });
});

describe("normalizePromoCode", () => {
  it("upper-cases and trims, refuses anything outside the deep-link alphabet", () => {
    expect(normalizePromoCode("  spring_26-x ")).toBe("SPRING_26-X");
    for (const bad of ["", "ab", "a b c", "a+b+c", "abc/def", "ｆｕｌｌ"])
      expect(() => normalizePromoCode(bad)).toThrow();
  });
});
