import { broadcastDeliveries, broadcasts, orders, outbox, subscriptions, users } from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  CommerceError,
  createCommerce,
  MAX_BROADCAST_TEXT,
  tallyBroadcast,
} from "../src/index.ts";

const NOW = new Date("2026-11-30T12:00:00.000Z");
let clock = NOW;
const OWNER: Actor = { kind: "owner", telegramId: 5151n };
const STRANGER: Actor = { kind: "owner", telegramId: 5252n };
let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let chat = -1006000000000n;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  commerce = createCommerce({ db: database.db, now: () => clock });
});
afterAll(async () => {
  await database?.close();
});

/** A channel with 2 active, 1 expired and 1 revoked subscriber, and 1 donor who never subscribed. */
async function populated() {
  const { channel, tiers } = await commerce.channels.register(OWNER, {
    ownerTelegramId: 5151n,
    openChatId: --chat,
    closedChatId: --chat,
    tiers: [{ price: "10", durationDays: 30 }],
    priceCurrency: "usd",
    payoutWallet: "TWallet12345678",
    payoutCurrency: "usdttrc20",
  });
  const base = Number(-chat) * 10;
  const id = (n: number) => BigInt(base + n);
  await database.db.insert(users).values([1, 2, 3, 4, 5].map((n) => ({ telegramId: id(n) })));
  const sub = (n: number, status: "active" | "expired" | "revoked") => ({
    userId: id(n),
    channelId: channel.id,
    tierId: tiers[0]!.id,
    startsAt: NOW,
    expiresAt: new Date(NOW.getTime() + (status === "active" ? 1 : -1) * 86_400_000),
    status,
    nextCheckAt: NOW,
  });
  await database.db
    .insert(subscriptions)
    .values([sub(1, "active"), sub(2, "active"), sub(3, "expired"), sub(4, "revoked")]);
  await database.db.insert(orders).values({
    reference: `don-${channel.id}`,
    kind: "donation",
    userId: id(5),
    channelId: channel.id,
    amount: "5",
    currency: "USD",
    status: "finished",
  });
  return { channel, id };
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (!(err instanceof CommerceError)) throw err;
    return String(err.details.reason ?? `${err.code}:${err.details.field ?? ""}`);
  }
}

describe("broadcasts: creation through the core", () => {
  it("previews and fixes the audience: active, expired, everyone who paid", async () => {
    const { channel, id } = await populated();
    expect(await commerce.broadcasts.preview(OWNER, channel.id, "active")).toBe(2);
    expect(await commerce.broadcasts.preview(OWNER, channel.id, "expired")).toBe(1);
    expect(await commerce.broadcasts.preview(OWNER, channel.id, "all")).toBe(4);
    const b = await commerce.broadcasts.create(OWNER, {
      channelId: channel.id,
      text: "<b>Hi</b> & welcome",
      audience: "all",
      limitPerDay: 5,
    });
    expect(b).toMatchObject({ status: "sending", total: 4, audience: "all", text: "<b>Hi</b> & welcome" });
    const rows = await database.db
      .select()
      .from(broadcastDeliveries)
      .where(eq(broadcastDeliveries.broadcastId, b.id));
    expect(rows.map((r) => r.userId).sort()).toEqual([id(1), id(2), id(3), id(5)]);
    const events = (
      await database.db.select().from(outbox).where(eq(outbox.topic, "broadcast.requested"))
    ).filter((e) => (e.payload as { broadcastId: number }).broadcastId === b.id);
    expect(events).toHaveLength(1);
  });

  it("refuses hostile input and another owner's channel, creating nothing", async () => {
    const { channel } = await populated();
    const create = (o: object, actor: Actor = OWNER) =>
      reason(
        commerce.broadcasts.create(actor, {
          channelId: channel.id,
          text: "hello",
          audience: "active",
          limitPerDay: 5,
          ...o,
        }),
      );
    expect(await create({ text: "   " })).toBe("INVALID:text");
    expect(await create({ text: "x".repeat(MAX_BROADCAST_TEXT + 1) })).toBe("INVALID:text");
    expect(await create({ audience: "everyone" })).toBe("INVALID:audience");
    expect(await create({ photoFileId: "../../etc/passwd" })).toBe("INVALID:photoFileId");
    expect(await create({}, STRANGER)).toBe("FORBIDDEN:");
    expect(await reason(commerce.broadcasts.preview(STRANGER, channel.id, "active"))).toBe("FORBIDDEN:");
    const empty = await commerce.channels.register(OWNER, {
      ownerTelegramId: 5151n,
      openChatId: --chat,
      closedChatId: --chat,
      tiers: [{ price: "10", durationDays: 30 }],
      priceCurrency: "usd",
      payoutWallet: "TWallet12345678",
      payoutCurrency: "usdttrc20",
    });
    expect(
      await reason(
        commerce.broadcasts.create(OWNER, {
          channelId: empty.channel.id,
          text: "hi",
          audience: "all",
          limitPerDay: 5,
        }),
      ),
    ).toBe("no_recipients");
    const made = await database.db.select().from(broadcasts).where(eq(broadcasts.channelId, channel.id));
    expect(made).toEqual([]);
  });

  it("enforces the per-channel daily limit, also under concurrency", async () => {
    const { channel } = await populated();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        reason(
          commerce.broadcasts.create(OWNER, {
            channelId: channel.id,
            text: "hi",
            audience: "active",
            limitPerDay: 2,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(2);
    expect(results.filter((r) => r === "daily_limit")).toHaveLength(3);
    // A day later the window has moved on.
    clock = new Date(NOW.getTime() + 24 * 3_600_000 + 1000);
    try {
      expect(
        await reason(
          commerce.broadcasts.create(OWNER, {
            channelId: channel.id,
            text: "hi",
            audience: "active",
            limitPerDay: 2,
          }),
        ),
      ).toBe("ok");
    } finally {
      clock = NOW;
    }
  });

  it("one progress message is one broadcast: Send pressed twice at once (two instances) sends once", async () => {
    const { channel } = await populated();
    const input = { channelId: channel.id, text: "Hello", audience: "active" as const, limitPerDay: 5 };
    const [a, b] = await Promise.all([
      commerce.broadcasts.create(OWNER, { ...input, progressMessageId: 4242 }),
      commerce.broadcasts.create(OWNER, { ...input, progressMessageId: 4242 }),
    ]);
    expect(a.id).toBe(b.id);
    const rows = await database.db.select().from(broadcasts).where(eq(broadcasts.channelId, channel.id));
    expect(rows).toHaveLength(1);
    const events = await database.db.select().from(outbox).where(eq(outbox.topic, "broadcast.requested"));
    expect(events.filter((e) => (e.payload as { broadcastId: number }).broadcastId === a.id)).toHaveLength(1);
    // Another progress message (a new /broadcast) is another broadcast.
    const c = await commerce.broadcasts.create(OWNER, { ...input, progressMessageId: 4243 });
    expect(c.id).not.toBe(a.id);
  });

  it("cancels midway: unsent recipients are cancelled, sent ones stay; only the owner may", async () => {
    const { channel, id } = await populated();
    const b = await commerce.broadcasts.create(OWNER, {
      channelId: channel.id,
      text: "hi",
      audience: "active",
      limitPerDay: 5,
    });
    await database.db
      .update(broadcastDeliveries)
      .set({ status: "sent" })
      .where(eq(broadcastDeliveries.userId, id(1)));
    expect(await reason(commerce.broadcasts.cancel(STRANGER, b.id))).toBe("FORBIDDEN:");
    const cancelled = await commerce.broadcasts.cancel(OWNER, b.id);
    expect(cancelled).toMatchObject({ status: "cancelled", sent: 1, cancelled: 1, pending: 0 });
    expect(await reason(commerce.broadcasts.cancel(OWNER, b.id))).toBe("CONFLICT:");
    expect(await commerce.broadcasts.status(OWNER, b.id)).toMatchObject({ status: "cancelled", sent: 1 });
    expect(await reason(commerce.broadcasts.status(OWNER, 999_999))).toBe("NOT_FOUND:");
  });

  it("finds a broadcast by its progress message for its requester only, and tallies blocked apart", async () => {
    const { channel, id } = await populated();
    const b = await commerce.broadcasts.create(OWNER, {
      channelId: channel.id,
      text: "hi",
      audience: "all",
      limitPerDay: 5,
      progressMessageId: 77,
    });
    const set = (n: number, status: string, error: string | null) =>
      database.db
        .update(broadcastDeliveries)
        .set({ status, error })
        .where(and(eq(broadcastDeliveries.broadcastId, b.id), eq(broadcastDeliveries.userId, id(n))));
    await set(1, "sent", null);
    await set(2, "failed", "blocked");
    await set(3, "failed", "bad_request");
    expect(await tallyBroadcast(database.db, b.id)).toEqual({
      pending: 1,
      sending: 0,
      sent: 1,
      blocked: 1,
      failed: 2,
      cancelled: 0,
    });
    expect(await commerce.broadcasts.byProgressMessage(OWNER, 77)).toMatchObject({
      id: b.id,
      sent: 1,
      blocked: 1,
      failed: 2,
      pending: 1,
    });
    // Someone else pressing Stop under "their" message 77 finds nothing; message 78 is nobody's.
    expect(await reason(commerce.broadcasts.byProgressMessage(STRANGER, 77))).toBe("NOT_FOUND:");
    expect(await reason(commerce.broadcasts.byProgressMessage(OWNER, 78))).toBe("NOT_FOUND:");
  });

  it("checkQuota says daily_limit before the owner composes anything", async () => {
    const { channel } = await populated();
    await commerce.broadcasts.checkQuota(OWNER, channel.id, 1);
    await commerce.broadcasts.create(OWNER, {
      channelId: channel.id,
      text: "a",
      audience: "all",
      limitPerDay: 1,
    });
    expect(await reason(commerce.broadcasts.checkQuota(OWNER, channel.id, 1))).toBe("daily_limit");
    expect(await reason(commerce.broadcasts.checkQuota(STRANGER, channel.id, 5))).toBe("FORBIDDEN:");
  });
});
