import { createBroadcasts } from "@telepay/commerce";
import { broadcasts, channels, outbox, subscriptions } from "@telepay/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, type Fixture, OWNER, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;

async function subscribe(f: Fixture, userId: number, expiresAt: Date, extra: { trial?: boolean } = {}) {
  await f.addUser(userId);
  f.emulator.setChatMember(CLOSED, userId, "member");
  const [row] = await f.db.db
    .insert(subscriptions)
    .values({
      userId: BigInt(userId),
      channelId: f.channelId,
      tierId: extra.trial ? null : f.tierId,
      trial: extra.trial ?? false,
      startsAt: new Date(expiresAt.getTime() - 30 * DAY),
      expiresAt,
      nextCheckAt: expiresAt,
      remindersSent: [3, 1],
    })
    .returning();
  return row!;
}

describe("grace period in the notifier's sweep", () => {
  it("one grace reminder with renewal buttons, removal only after expiry + grace", async () => {
    f = await setup();
    await f.db.db.update(channels).set({ graceDays: 2 }).where(eq(channels.id, f.channelId));
    const expiry = Date.now() - 60_000;
    await subscribe(f, 901, new Date(expiry));
    let r = await f.app.runSweep({ now: new Date(expiry + 120_000) });
    expect(r).toMatchObject({ reminded: 1, removed: 0 });
    const [dm] = texts(f.emulator, 901);
    expect(dm).toContain("You keep your access until");
    const markup = JSON.stringify(f.emulator.messages(901)[0]!.reply_markup);
    expect(markup).toContain(`start=t${f.channelId}_${f.tierId}`);
    expect(markup).toContain(`start=c${f.channelId}`);
    // Still inside grace: nothing more, nobody removed.
    r = await f.app.runSweep({ now: new Date(expiry + DAY) });
    expect(r).toMatchObject({ reminded: 0, removed: 0 });
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(0);
    r = await f.app.runSweep({ now: new Date(expiry + 2 * DAY + 1000) });
    expect(r).toMatchObject({ removed: 1 });
    expect(texts(f.emulator, 901)).toHaveLength(2);
    const [row] = await f.db.db.select().from(subscriptions).where(eq(subscriptions.userId, 901n));
    expect(row!.status).toBe("expired");
  });

  it("a trial's expiry reminder offers the paid plans", async () => {
    f = await setup();
    const expiry = Date.now() + 2.5 * DAY;
    const row = await subscribe(f, 902, new Date(expiry), { trial: true });
    await f.db.db
      .update(subscriptions)
      .set({ remindersSent: [], nextCheckAt: new Date(Date.now() - 1000) })
      .where(eq(subscriptions.id, row.id));
    const r = await f.app.runSweep({});
    expect(r.reminded).toBe(1);
    const [dm] = texts(f.emulator, 902);
    expect(dm).toContain("free trial");
    expect(JSON.stringify(f.emulator.messages(902)[0]!.reply_markup)).toContain(`start=c${f.channelId}`);
  });
});

describe("broadcasts created through the core", () => {
  it("reach the chosen audience only, with the owner's text escaped; a cancelled one sends nothing", async () => {
    f = await setup();
    const now = Date.now();
    await subscribe(f, 911, new Date(now + 10 * DAY));
    const lapsed = await subscribe(f, 912, new Date(now - DAY));
    await f.db.db.update(subscriptions).set({ status: "expired" }).where(eq(subscriptions.id, lapsed.id));
    for (const id of [911, 912]) f.emulator.addChat({ id, type: "private" });
    const core = createBroadcasts({ db: f.db.db });
    const owner = { kind: "owner" as const, telegramId: BigInt(OWNER) };
    const b = await core.create(owner, {
      channelId: f.channelId,
      text: "Come back: <b>50%</b> & more",
      audience: "expired",
      limitPerDay: 5,
    });
    const event = f.envelope("broadcast.requested", { broadcastId: b.id, channelId: f.channelId });
    expect(await f.app.handlers["broadcast.requested"](event)).toBe("ack");
    expect(texts(f.emulator, 911)).toHaveLength(0);
    expect(f.emulator.messages(912)).toHaveLength(1);
    expect(
      f.emulator.callsOf("sendMessage").find((c) => Number(c.params.chat_id) === 912)!.params.text,
    ).toContain("&lt;b&gt;50%&lt;/b&gt; &amp; more");
    const [done] = await f.db.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
    expect(done).toMatchObject({ status: "done", sent: 1 });

    const c = await core.create(owner, {
      channelId: f.channelId,
      text: "never",
      audience: "active",
      limitPerDay: 5,
    });
    await core.cancel(owner, c.id);
    const cancelledEvent = f.envelope("broadcast.requested", { broadcastId: c.id, channelId: f.channelId });
    expect(await f.app.handlers["broadcast.requested"](cancelledEvent)).toBe("ack");
    expect(texts(f.emulator, 911)).toHaveLength(0);
  });
});

describe("a photo broadcast", () => {
  it("goes out with sendPhoto: the owner's photo, the caption escaped under the channel title", async () => {
    f = await setup();
    await subscribe(f, 921, new Date(Date.now() + 10 * DAY));
    f.emulator.addChat({ id: 921, type: "private" });
    // The owner's photo as the bot received it: a file_id Telegram issued.
    const update = f.emulator.sendUserMessage({ from: OWNER, text: "", photo: true });
    const photo = (update.message as { photo: { file_id: string }[] }).photo.at(-1)!.file_id;
    const core = createBroadcasts({ db: f.db.db });
    const owner = { kind: "owner" as const, telegramId: BigInt(OWNER) };
    const b = await core.create(owner, {
      channelId: f.channelId,
      text: "New season <i>tonight</i> & later",
      photoFileId: photo,
      audience: "active",
      limitPerDay: 5,
    });
    const event = f.envelope("broadcast.requested", { broadcastId: b.id, channelId: f.channelId });
    expect(await f.app.handlers["broadcast.requested"](event)).toBe("ack");
    const call = f.emulator.callsOf("sendPhoto").find((c) => Number(c.params.chat_id) === 921)!;
    expect(call.ok).toBe(true);
    expect(call.params.photo).toBe(photo);
    expect(call.params.parse_mode).toBe("HTML");
    expect(String(call.params.caption)).toContain("New season &lt;i&gt;tonight&lt;/i&gt; &amp; later");
    const [got] = f.emulator.messages(921);
    expect(got!.photo?.file_id).toBe(photo);
    expect(got!.plainText).toContain("New season <i>tonight</i> & later");
    expect(f.emulator.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === 921)).toHaveLength(0);
    const [done] = await f.db.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
    expect(done).toMatchObject({ status: "done", sent: 1, failed: 0 });
  });
});

describe("a stalled broadcast", () => {
  it("gets a new broadcast.requested from the re-drive once nobody worked on it for a lease, never twice", async () => {
    f = await setup();
    await subscribe(f, 931, new Date(Date.now() + 10 * DAY));
    f.emulator.addChat({ id: 931, type: "private" });
    const app = await f.appWith({ leaseMs: 300 });
    const owner = { kind: "owner" as const, telegramId: BigInt(OWNER) };
    const b = await createBroadcasts({ db: f.db.db }).create(owner, {
      channelId: f.channelId,
      text: "lost event",
      audience: "active",
      limitPerDay: 5,
    });
    const requested = async () =>
      (await f.db.db.select().from(outbox).where(eq(outbox.topic, "broadcast.requested"))).filter(
        (e) => (e.payload as { broadcastId: number }).broadcastId === b.id,
      );
    // Its own event is fresh: left to arrive.
    expect((await app.runRedrive()).broadcasts).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    // The event never came (dead-lettered, lost): a new one, exactly one.
    expect((await app.runRedrive()).broadcasts).toBe(1);
    expect((await app.runRedrive()).broadcasts).toBe(0);
    const events = await requested();
    expect(events).toHaveLength(2);
    const again = f.envelope("broadcast.requested", { broadcastId: b.id, channelId: f.channelId });
    expect(await app.handlers["broadcast.requested"](again)).toBe("ack");
    expect(texts(f.emulator, 931)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 400));
    // Finished: nothing to resume.
    expect((await app.runRedrive()).broadcasts).toBe(0);
    expect(await requested()).toHaveLength(2);
    await app.stop();
  });
});
