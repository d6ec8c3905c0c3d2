import { auditLog, subscriptions } from "@telepay/db";
import { signInternalRequest } from "@telepay/security";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, type Fixture, FROM_LOOPBACK, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;

async function subscribe(f: Fixture, userId: number, expiresAt: Date, member = true) {
  await f.addUser(userId);
  if (member) f.emulator.setChatMember(CLOSED, userId, "member");
  const [row] = await f.db.db
    .insert(subscriptions)
    .values({
      userId: BigInt(userId),
      channelId: f.channelId,
      tierId: f.tierId,
      startsAt: new Date(),
      expiresAt,
      nextCheckAt: new Date(expiresAt.getTime() - 3 * DAY),
    })
    .returning();
  return row!;
}

describe("expiry sweep", () => {
  it("sends the 3-day and 1-day reminders once each, with a renew button", async () => {
    f = await setup();
    const now = Date.now();
    await subscribe(f, 801, new Date(now + 2.5 * DAY));
    await subscribe(f, 802, new Date(now + 20 * DAY));
    let r = await f.app.runSweep({ now: new Date(now) });
    expect(r.reminded).toBe(1);
    r = await f.app.runSweep({ now: new Date(now + 60_000) });
    expect(r.reminded).toBe(0);
    r = await f.app.runSweep({ now: new Date(now + 1.6 * DAY) });
    expect(r.reminded).toBe(1);
    r = await f.app.runSweep({ now: new Date(now + 1.7 * DAY) });
    expect(r.reminded).toBe(0);
    const dms = texts(f.emulator, 801);
    expect(dms).toHaveLength(2);
    expect(dms[0]).toContain("ends in 3 days");
    expect(dms[1]).toContain("ends in 1 day,");
    expect(JSON.stringify(f.emulator.messages(801)[0]!.reply_markup)).toContain(
      `start=t${f.channelId}_${f.tierId}`,
    );
    expect(texts(f.emulator, 802)).toHaveLength(0);
    const [row] = await f.db.db.select().from(subscriptions).where(eq(subscriptions.userId, 801n));
    expect(row!.remindersSent.sort()).toEqual([1, 3]);
  });

  it("removes expired users only after the ban worked; a failing removal stays active and is retried; the batch goes on", async () => {
    // One Telegram call at a time, so the injected failures all hit the first removal.
    f = await setup({ config: { sweepConcurrency: 1 } });
    const past = new Date(Date.now() - 60_000);
    const a = await subscribe(f, 811, past);
    const b = await subscribe(f, 812, past);
    const gone = await subscribe(f, 813, past, false);
    await f.db.db.update(subscriptions).set({ nextCheckAt: past });
    // Dry run lists who would be removed and changes nothing.
    const dry = await f.app.runSweep({ dryRun: true });
    expect(dry.items.map((i) => [i.userId, i.action]).sort()).toEqual([
      ["811", "remove"],
      ["812", "remove"],
      ["813", "remove"],
    ]);
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(0);
    expect((await f.db.db.select().from(subscriptions)).every((s) => s.status === "active")).toBe(true);

    // The first ban fails hard (a 5xx storm beyond the sender's retries).
    f.emulator.failNext("banChatMember", { kind: "5xx" }, 9);
    const r = await f.app.runSweep({});
    expect(r).toMatchObject({ claimed: 3, failed: 1, removed: 1, alreadyGone: 1 });
    const rows = new Map((await f.db.db.select().from(subscriptions)).map((s) => [s.id, s]));
    const failedId = [a.id, b.id].find((id) => rows.get(id)!.status === "active")!;
    const failed = rows.get(failedId)!;
    expect(failed.removalAttempts).toBe(1);
    expect(failed.lastError).toBeTruthy();
    expect(failed.nextCheckAt.getTime()).toBeGreaterThan(Date.now());
    expect(rows.get(gone.id)!.status).toBe("expired");
    expect(f.emulator.getMember(CLOSED, Number(failed.userId)).status).toBe("member");

    // Later the retry succeeds.
    const retry = await f.app.runSweep({ now: new Date(Date.now() + 2 * 60_000) });
    expect(retry).toMatchObject({ claimed: 1, removed: 1, failed: 0 });
    for (const id of [811, 812, 813]) expect(f.emulator.getMember(CLOSED, id).status).toBe("left");
    expect((await f.db.db.select().from(subscriptions)).every((s) => s.status === "expired")).toBe(true);
    const audit = await f.db.db.select().from(auditLog);
    expect(audit.map((x) => x.action).sort()).toEqual([
      "subscription.expired_already_left",
      "subscription.expired_removed",
      "subscription.expired_removed",
    ]);
    for (const call of f.emulator.callsOf("unbanChatMember")) expect(call.params.only_if_banned).toBe(true);
  });

  it("two concurrent sweeps never handle the same row twice", async () => {
    f = await setup();
    const past = new Date(Date.now() - 60_000);
    for (let i = 0; i < 20; i++) await subscribe(f, 900 + i, past);
    await f.db.db.update(subscriptions).set({ nextCheckAt: past });
    const other = await f.newApp();
    const [x, y] = await Promise.all([f.app.runSweep({ batchSize: 5 }), other.runSweep({ batchSize: 5 })]);
    expect(x.claimed + y.claimed).toBe(20);
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(20);
  });

  it("POST /jobs/sweep needs a valid, fresh, unused signature", async () => {
    f = await setup();
    const body = JSON.stringify({ dryRun: true });
    const send = (sig?: string) =>
      f.app.app.request(
        "/jobs/sweep",
        {
          method: "POST",
          body,
          headers: { "content-type": "application/json", ...(sig ? { "x-signature": sig } : {}) },
        },
        FROM_LOOPBACK,
      );
    expect((await send()).status).toBe(401);
    const sweep = (raw: string) => ({ method: "POST", path: "/jobs/sweep", body: raw });
    expect((await send(signInternalRequest(sweep(body), "wrong-secret-of-some-length"))).status).toBe(401);
    const sig = signInternalRequest(sweep(body), "a-signing-secret-of-some-length");
    const ok = await send(sig);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ dryRun: true, items: [] });
    expect((await send(sig)).status).toBe(401);
    const bad = JSON.stringify({ batchSize: -1 });
    const res = await f.app.app.request(
      "/jobs/sweep",
      {
        method: "POST",
        body: bad,
        headers: { "x-signature": signInternalRequest(sweep(bad), "a-signing-secret-of-some-length") },
      },
      FROM_LOOPBACK,
    );
    expect(res.status).toBe(400);
  });

  it("GET /health reports database and bus", async () => {
    f = await setup();
    const res = await f.app.app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "healthy",
      service: "notifier",
      components: { database: "ok", bus: "ok" },
    });
  });
});
