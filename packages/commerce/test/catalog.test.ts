import { auditLog, channels, orders, outbox, tiers, users } from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  CommerceError,
  createCommerce,
  MAX_TIER_DAYS,
  MAX_TIERS,
  parseTiers,
  priceOrder,
} from "../src/index.ts";

const CLOCK = new Date("2026-11-30T12:00:00.000Z");
const OWNER: Actor = { kind: "owner", telegramId: 4242n };
let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let kicks = 0;
let chat = -1009000000000n;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  commerce = createCommerce({ db: database.db, now: () => CLOCK, onEnqueued: () => void kicks++ });
});
afterAll(async () => {
  await database?.close();
});

function input(overrides: object = {}) {
  return {
    ownerTelegramId: 4242n,
    openChatId: --chat,
    closedChatId: --chat,
    openTitle: "News",
    closedTitle: "VIP",
    tiers: [
      { price: "9.90", durationDays: 30, label: "Monthly" },
      { price: "99", durationDays: 365 },
    ],
    priceCurrency: "eur",
    payoutWallet: "TWallet12345678",
    payoutCurrency: "USDTTRC20",
    ...overrides,
  };
}

const audits = (channelId: number) =>
  database.db.select().from(auditLog).where(eq(auditLog.channelId, channelId)).orderBy(asc(auditLog.id));
const publishes = async (channelId: number) =>
  (await database.db.select().from(outbox).where(eq(outbox.topic, "channel.publish_requested")))
    .map((e) => e.payload as { channelId: number; kinds: string[]; requestedBy: string })
    .filter((p) => p.channelId === channelId);

describe("tiers grammar", () => {
  it("reads price:days[:label] and price days [label], canonical prices, $ allowed", () => {
    expect(parseTiers(["$9.90:30:Monthly: best", "49.00 180 Half a year", "5:7"])).toEqual({
      ok: true,
      tiers: [
        { price: "9.9", durationDays: 30, label: "Monthly: best", starsPrice: null },
        { price: "49", durationDays: 180, label: "Half a year", starsPrice: null },
        { price: "5", durationDays: 7, label: "", starsPrice: null },
      ],
    });
  });

  it.each([
    [["9.99"], "format"],
    [["0:30"], "price_zero"],
    [["1e3:30"], "price"],
    [["9.999:30"], "price"],
    [["1234567:30"], "price"],
    [["9.99:0"], "days"],
    [[`9.99:${MAX_TIER_DAYS + 1}`], "days"],
    [[`9.99:30:${"x".repeat(65)}`], "label"],
    [[], "count"],
    [Array.from({ length: MAX_TIERS + 1 }, () => "1:1"), "count"],
  ])("refuses %j (%s)", (lines, kind) => {
    const r = parseTiers(lines);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.kind).toBe(kind);
  });
});

describe("channels.register", () => {
  it("stores the channel and tiers in the given currency, audits channel.created and asks to publish", async () => {
    const before = kicks;
    const { channel, tiers: rows, eventId } = await commerce.channels.register(OWNER, input());
    expect(channel).toMatchObject({ ownerTelegramId: 4242n, payoutCurrency: "usdttrc20", status: "active" });
    expect(rows.map((t) => [t.position, t.price, t.currency, t.durationDays, t.label])).toEqual([
      [1, "9.9", "EUR", 30, "Monthly"],
      [2, "99", "EUR", 365, ""],
    ]);
    expect((await audits(channel.id)).map((a) => [a.actor, a.actorTelegramId, a.action])).toEqual([
      ["owner", 4242n, "channel.created"],
    ]);
    expect(await publishes(channel.id)).toEqual([
      { channelId: channel.id, kinds: ["tiers", "donation"], requestedBy: "owner" },
    ]);
    expect(eventId).toMatch(/-/);
    expect(kicks).toBe(before + 1);
  });

  it("the CLI gets the same audit action and the same event", async () => {
    const { channel } = await commerce.channels.register({ kind: "cli" }, input());
    expect((await audits(channel.id)).map((a) => [a.actor, a.action])).toEqual([["cli", "channel.created"]]);
    expect((await publishes(channel.id)).map((p) => p.requestedBy)).toEqual(["cli"]);
  });

  it("refuses a chat used by another channel, and bad input, changing nothing", async () => {
    const first = await commerce.channels.register(OWNER, input());
    const count = async () => (await database.db.select().from(channels)).length;
    const n = await count();
    const taken = await commerce.channels
      .register(OWNER, input({ closedChatId: first.channel.openChatId }))
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(CommerceError);
    expect(taken).toMatchObject({
      code: "CHAT_TAKEN",
      message: `chat ${first.channel.openChatId} is already used by channel ${first.channel.id}`,
    });
    for (const bad of [
      { tiers: [{ price: "0", durationDays: 30 }] },
      { tiers: [{ price: "1", durationDays: 3651 }] },
      { priceCurrency: "$$" },
      { payoutWallet: "has space" },
      { openChatId: -1007n, closedChatId: -1007n },
    ]) {
      await expect(commerce.channels.register(OWNER, input(bad))).rejects.toMatchObject({ code: "INVALID" });
    }
    expect(await count()).toBe(n);
  });
});

describe("channel changes", () => {
  it("update audits each field and republishes the post that shows it", async () => {
    const { channel } = await commerce.channels.register(OWNER, input());
    await commerce.channels.update(channel.id, OWNER, { donationMessage: "Thanks!" });
    await commerce.channels.update(channel.id, OWNER, { notificationsEnabled: false });
    const row = await commerce.channels.update(channel.id, OWNER, { description: "About" });
    expect(row).toMatchObject({
      donationMessage: "Thanks!",
      notificationsEnabled: false,
      description: "About",
    });
    expect((await audits(channel.id)).map((a) => a.action)).toEqual([
      "channel.created",
      "channel.donation_message_changed",
      "channel.notifications_toggled",
      "channel.description_changed",
    ]);
    expect((await publishes(channel.id)).map((p) => p.kinds)).toEqual([
      ["tiers", "donation"],
      ["donation"],
      ["tiers"],
    ]);
  });

  it("another owner may not change the channel; an unknown channel is NOT_FOUND", async () => {
    const { channel } = await commerce.channels.register(OWNER, input());
    const other: Actor = { kind: "owner", telegramId: 1n };
    await expect(commerce.channels.update(channel.id, other, { description: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(commerce.channels.requestPublish(999_999, { kind: "cli" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("replaceTiers keeps old tiers inactive, keeps the channel's currency and asks for the tier post", async () => {
    const { channel } = await commerce.channels.register(OWNER, input());
    await commerce.channels.replaceTiers(channel.id, OWNER, [
      { price: "19.99", durationDays: 30, label: "Plus" },
    ]);
    const rows = await database.db.select().from(tiers).where(eq(tiers.channelId, channel.id));
    expect(rows.filter((t) => t.active).map((t) => [t.price, t.currency, t.label])).toEqual([
      ["19.99", "EUR", "Plus"],
    ]);
    expect(rows.filter((t) => !t.active)).toHaveLength(2);
    expect((await audits(channel.id)).at(-1)!.action).toBe("channel.tiers_changed");
    expect((await publishes(channel.id)).at(-1)!.kinds).toEqual(["tiers"]);
    await expect(
      commerce.channels.replaceTiers(channel.id, OWNER, [{ price: "1", durationDays: 99999 }]),
    ).rejects.toMatchObject({ code: "INVALID", details: { field: "tiers" } });
  });

  it("pause/resume and publish requests are audited", async () => {
    const { channel } = await commerce.channels.register(OWNER, input());
    expect((await commerce.channels.setPaused(channel.id, OWNER, true)).status).toBe("paused");
    expect((await commerce.channels.setPaused(channel.id, OWNER, false)).status).toBe("active");
    await commerce.channels.requestPublish(channel.id, { kind: "cli" }, ["donation"]);
    expect((await audits(channel.id)).map((a) => a.action).slice(1)).toEqual([
      "channel.paused",
      "channel.resumed",
      "channel.publish_requested",
    ]);
    expect((await publishes(channel.id)).at(-1)).toMatchObject({ kinds: ["donation"], requestedBy: "cli" });
  });

  it("the bot losing and regaining its rights stops and resumes sales, once per change", async () => {
    const { channel } = await commerce.channels.register(OWNER, input());
    const lost = {
      status: "bot_lacks_rights" as const,
      reason: "missing Invite users",
      chatId: channel.closedChatId,
    };
    expect(await commerce.channels.markBotLostRights(channel.id, lost)).toBe(true);
    expect(await commerce.channels.markBotLostRights(channel.id, lost)).toBe(false);
    const [row] = await database.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row).toMatchObject({ status: "bot_lacks_rights", statusReason: "missing Invite users" });
    expect(await commerce.channels.markBotRestored(channel.id)).toBe(true);
    expect(await commerce.channels.markBotRestored(channel.id)).toBe(false);
    const changes = (await audits(channel.id)).filter((a) => a.action === "channel.bot_status_changed");
    expect(changes.map((a) => [a.actor, (a.details as { to: string }).to])).toEqual([
      ["system", "bot_lacks_rights"],
      ["system", "active"],
    ]);
    // A paused channel stays paused when the bot's rights come back.
    await commerce.channels.setPaused(channel.id, OWNER, true);
    expect(await commerce.channels.markBotRestored(channel.id)).toBe(false);
  });
});

describe("orders", () => {
  it("prices from the tier, reuses an open order, keeps the first invoice", async () => {
    const { channel, tiers: rows } = await commerce.channels.register(OWNER, input());
    await commerce.users.track({ telegramId: 777n, firstName: "Payer", username: "payer" });
    const item = { kind: "subscription" as const, channelId: channel.id, tier: rows[0]! };
    expect(priceOrder(item)).toEqual({
      amount: "9.9",
      currency: "EUR",
      durationDays: 30,
      listAmount: null,
      promoCodeId: null,
    });
    const a = await commerce.orders.open({ userId: 777n, item, reuseMs: 60_000 });
    const b = await commerce.orders.open({ userId: 777n, item, reuseMs: 60_000 });
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ amount: "9.9", currency: "EUR", durationDays: 30, status: "created" });
    const first = await commerce.orders.attachInvoice(a.id, { id: "inv-1", url: "https://pay/1" });
    const second = await commerce.orders.attachInvoice(a.id, { id: "inv-2", url: "https://pay/2" });
    expect([first.invoiceId, second.invoiceId, second.status]).toEqual(["inv-1", "inv-1", "waiting"]);
    // A paid order is done: the same purchase again is a new order.
    await database.db.update(orders).set({ status: "finished" }).where(eq(orders.id, a.id));
    const c = await commerce.orders.open({ userId: 777n, item, reuseMs: 60_000 });
    expect(c.id).not.toBe(a.id);
    const donation = await commerce.orders.open({
      userId: 777n,
      item: { kind: "donation", channelId: channel.id, amount: "5", currency: "USD" },
      reuseMs: 60_000,
    });
    expect(donation).toMatchObject({ kind: "donation", tierId: null, amount: "5", durationDays: null });
  });

  it("refuses a tier of another channel", async () => {
    const one = await commerce.channels.register(OWNER, input());
    const two = await commerce.channels.register(OWNER, input());
    expect(() =>
      priceOrder({ kind: "subscription", channelId: two.channel.id, tier: one.tiers[0]! }),
    ).toThrow(CommerceError);
  });
});

describe("users", () => {
  it("track keeps the profile current and clears a block; markBotBlocked sets it", async () => {
    await commerce.users.ensure(555n);
    await commerce.users.markBotBlocked(555n);
    let [row] = await database.db.select().from(users).where(eq(users.telegramId, 555n));
    expect(row!.botBlockedAt).toEqual(CLOCK);
    await commerce.users.track({ telegramId: 555n, firstName: "Ann", username: "ann", languageCode: "de" });
    [row] = await database.db
      .select()
      .from(users)
      .where(and(eq(users.telegramId, 555n)));
    expect(row).toMatchObject({ firstName: "Ann", username: "ann", languageCode: "de", botBlockedAt: null });
  });
});
