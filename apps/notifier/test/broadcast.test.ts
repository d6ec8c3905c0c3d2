import { broadcastDeliveries, broadcasts, subscriptions } from "@telepay/db";
import { afterEach, describe, expect, it } from "vitest";
import { type Fixture, OWNER, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

/*
 * Real Telegram limits (30/s) would make 500 recipients take 17 s; the emulator and the sender are
 * both raised tenfold (300/s global), so the test checks the same property — zero 429s while the
 * sender runs at the enforced limit — in under two seconds. The real-limits figure is in the bench.
 */
const LIMITS = { globalPerSecond: 300, perChatPerSecond: 10, perGroupPerMinute: 200 };

describe("broadcast", () => {
  it("reaches 500 subscribers with zero 429s, resumes after a stop mid-way, never sends twice", async () => {
    f = await setup({ limits: LIMITS, config: { broadcastProgressEvery: 100 } });
    const n = 500;
    const base = 10_000;
    const values = [];
    for (let i = 0; i < n; i++) {
      f.emulator.addUser({ id: base + i, first_name: `S${i}` });
      f.emulator.addChat({ id: base + i, type: "private" });
      values.push({ telegramId: BigInt(base + i), firstName: `S${i}` });
    }
    const { users } = await import("@telepay/db");
    await f.db.db.insert(users).values(values);
    await f.db.db.insert(subscriptions).values(
      values.map((v) => ({
        userId: v.telegramId,
        channelId: f.channelId,
        startsAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000 * 10),
        nextCheckAt: new Date(Date.now() + 86_400_000 * 7),
      })),
    );
    f.emulator.blockBot(base + 7);
    const [b] = await f.db.db
      .insert(broadcasts)
      .values({ channelId: f.channelId, requestedBy: BigInt(OWNER), text: "Live at <8pm> & more" })
      .returning();
    const event = f.envelope("broadcast.requested", { broadcastId: b!.id, channelId: f.channelId });

    // First worker: stopped after ~150 deliveries (SIGTERM mid-way).
    const first = f.app.handlers["broadcast.requested"](event);
    await f.emulator.waitForCalls("sendMessage", 150, 10_000);
    await f.app.stop();
    expect(await first).toBe("retry");
    const sentBefore = f.emulator
      .callsOf("sendMessage")
      .filter((c) => c.ok && Number(c.params.chat_id) >= base).length;
    expect(sentBefore).toBeLessThan(n);

    // A new instance picks the redelivered event up and finishes.
    const second = await f.newApp();
    expect(await second.handlers["broadcast.requested"](event)).toBe("ack");
    await second.stop();

    expect(f.emulator.stats.rejected429).toBe(0);
    for (let i = 0; i < n; i++) {
      const got = texts(f.emulator, base + i);
      expect(got).toHaveLength(i === 7 ? 0 : 1);
    }
    expect(texts(f.emulator, base)[0]).toContain("Live at <8pm> & more");
    const rows = await f.db.db.select().from(broadcastDeliveries);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(n - 1);
    expect(rows.filter((r) => r.status === "failed")).toEqual([
      expect.objectContaining({ userId: BigInt(base + 7), error: "blocked" }),
    ]);
    const [done] = await f.db.db.select().from(broadcasts);
    expect(done).toMatchObject({ status: "done", total: n, sent: n - 1, failed: 1 });
    // One progress message for the owner, edited in place, ending with the final figures.
    const progress = f.emulator.messages(OWNER);
    expect(progress).toHaveLength(1);
    expect(progress[0]!.edits.length).toBeGreaterThan(1);
    expect(progress[0]!.plainText).toContain(`Delivered: ${n - 1} of ${n}`);
    expect(progress[0]!.plainText).toContain("finished");
  });
});
