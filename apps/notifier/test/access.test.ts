import { accessGrants, auditLog, processedEvents, subscriptions, users } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import { formatDateTime } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, type Fixture, OWNER, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;

/** Waits until every open grant's retry time has come (the first retry is ~2 s after a failure). */
async function waitUntilDue(fx: Fixture): Promise<void> {
  const grants = await fx.db.db.select().from(accessGrants);
  const latest = Math.max(...grants.map((g) => g.nextAttemptAt.getTime()));
  await new Promise((r) => setTimeout(r, Math.max(0, latest - Date.now()) + 50));
}

describe("payment.confirmed → access", () => {
  it("redelivered 10 times, also concurrently, gives one extension, one invite link and one DM", async () => {
    f = await setup();
    await f.addUser(501, { firstName: "Ann <b>", username: "ann" });
    const order = await f.order(501);
    const event = await f.confirmed(order);
    const handler = f.app.handlers["payment.confirmed"];
    // 5 concurrent deliveries, then 5 sequential redeliveries; "retry" ones are redelivered until acked.
    const deliverUntilAcked = async () => {
      for (let i = 0; i < 50; i++) {
        if ((await handler(event)) === "ack") return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("never acked");
    };
    await Promise.all(Array.from({ length: 5 }, deliverUntilAcked));
    for (let i = 0; i < 5; i++) await deliverUntilAcked();

    const subs = await f.db.db.select().from(subscriptions);
    expect(subs).toHaveLength(1);
    const days = (subs[0]!.expiresAt.getTime() - Date.now()) / DAY;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(f.emulator.callsOf("createChatInviteLink").filter((c) => c.ok)).toHaveLength(1);
    const link = f.emulator.inviteLinks(CLOSED)[0]!;
    expect(link.creates_join_request).toBe(true);
    expect(link.name).toBe(order.reference.slice(0, 32));
    expect(link.expire_date! * 1000 - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const dms = texts(f.emulator, 501);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain("welcome to VIP <Club> & Friends");
    expect(dms[0]).toContain("Plan: Monthly — $9.99");
    expect(f.emulator.messages(501)[0]!.reply_markup).toEqual({
      inline_keyboard: [[expect.objectContaining({ url: link.invite_link })]],
    });
    const [grant] = await f.db.db.select().from(accessGrants);
    expect(grant).toMatchObject({ state: "dm_sent", inviteLink: link.invite_link });
    expect(subs[0]!.inviteLink).toBe(link.invite_link);
    // The owner heard about it once, with the customer escaped and the wallet shortened.
    const owner = texts(f.emulator, OWNER);
    expect(owner).toHaveLength(1);
    expect(owner[0]).toContain("Customer: Ann <b> (@ann) 501");
    expect(owner[0]).toContain("Paid: 10.02 USDTTRC20 (price $9.99)");
    expect(owner[0]).toContain("Payout: TQ9xAb…3fAb");
  });

  it("resumes a grant whose DM failed for now, from the database, without a second link", async () => {
    f = await setup();
    await f.addUser(502);
    const order = await f.order(502);
    const event = await f.confirmed(order);
    // The first attempt dies at the DM: a 5xx storm longer than the sender's retries.
    f.emulator.failNext("sendMessage", { kind: "5xx" }, 9);
    // Acknowledged anyway: the grant is in the database and the re-drive owns it from here.
    expect(await f.app.handlers["payment.confirmed"](event)).toBe("ack");
    const [pending] = await f.db.db.select().from(accessGrants);
    expect(pending!.state).toBe("pending");
    expect(pending!.inviteLink).toBeTruthy();
    expect(pending!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // No redelivery of the event: the re-drive resumes it once its retry is due, with the stored link.
    await waitUntilDue(f);
    const result = await f.app.runRedrive();
    expect(result.grants.done).toBe(1);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(1);
    expect(texts(f.emulator, 502)).toHaveLength(1);
    const subs = await f.db.db.select().from(subscriptions);
    expect((subs[0]!.expiresAt.getTime() - Date.now()) / DAY).toBeLessThanOrEqual(30);
  });

  it("renewal before expiry adds to the remaining time and tells a member 'renewed until'", async () => {
    f = await setup();
    await f.addUser(503);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(503)));
    f.emulator.setChatMember(CLOSED, 503, "member");
    const [first] = await f.db.db.select().from(subscriptions);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(503)));
    const [second] = await f.db.db.select().from(subscriptions);
    expect(second!.expiresAt.getTime() - first!.expiresAt.getTime()).toBe(30 * DAY);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(1);
    const dms = texts(f.emulator, 503);
    expect(dms).toHaveLength(2);
    expect(dms[1]).toContain("is renewed until");
    expect(dms[1]).toContain(formatDateTime("en", second!.expiresAt));
  });

  it("renewal after expiry starts from now and sends a new invite", async () => {
    f = await setup();
    await f.addUser(504);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(504)));
    await f.db.db
      .update(subscriptions)
      .set({ status: "expired", expiresAt: new Date(Date.now() - 5 * DAY) })
      .where(eq(subscriptions.userId, 504n));
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(504, { days: 7 })));
    const [sub] = await f.db.db.select().from(subscriptions);
    expect(sub!.status).toBe("active");
    expect((sub!.expiresAt.getTime() - Date.now()) / DAY).toBeGreaterThan(6.9);
    expect((sub!.expiresAt.getTime() - Date.now()) / DAY).toBeLessThanOrEqual(7);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(2);
  });

  it("a user who blocked the bot is recorded, the link kept, and nothing retried", async () => {
    f = await setup();
    await f.addUser(505);
    f.emulator.blockBot(505);
    expect(await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(505)))).toBe("ack");
    const [grant] = await f.db.db.select().from(accessGrants);
    expect(grant!.state).toBe("dm_blocked");
    const [user] = await f.db.db.select().from(users).where(eq(users.telegramId, 505n));
    expect(user!.botBlockedAt).toBeInstanceOf(Date);
    const [sub] = await f.db.db.select().from(subscriptions);
    expect(sub!.inviteLink).toBe(grant!.inviteLink);
    expect(f.emulator.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === 505)).toHaveLength(1);
  });

  it("member_limit channels get a one-person link", async () => {
    f = await setup({ inviteMode: "member_limit" });
    await f.addUser(506);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(506)));
    const [link] = f.emulator.inviteLinks(CLOSED);
    expect(link).toMatchObject({ member_limit: 1, creates_join_request: false });
  });

  it("through the bus with 429s and a 5xx storm: delivered once each, nothing twice", async () => {
    f = await setup();
    await f.app.start();
    const ids = [601, 602, 603, 604, 605];
    for (const id of ids) await f.addUser(id);
    f.emulator.failNext("sendMessage", { kind: "429", retryAfter: 1 }, 1);
    f.emulator.failFor(300, { kind: "5xx", status: 502 }, "createChatInviteLink");
    const events = [];
    for (const id of ids) events.push(await f.confirmed(await f.order(id)));
    await Promise.all(events.flatMap((e) => [f.bus.publish(e), f.bus.publish(e)]));
    for (const id of ids) expect(texts(f.emulator, id)).toHaveLength(1);
    expect(f.emulator.callsOf("createChatInviteLink").filter((c) => c.ok)).toHaveLength(5);
    expect(texts(f.emulator, OWNER)).toHaveLength(5);
    expect(f.bus.deadLetters).toHaveLength(0);
  });
});

describe("donations and payment updates", () => {
  it("thanks the donor and tells the owner", async () => {
    f = await setup();
    await f.addUser(520);
    const order = await f.order(520, { kind: "donation", amount: "25" });
    const event = await f.confirmed(order);
    expect(await f.app.handlers["payment.confirmed"](event)).toBe("ack");
    expect(await f.app.handlers["payment.confirmed"](event)).toBe("ack");
    expect(texts(f.emulator, 520)).toEqual([
      expect.stringContaining("Your donation of $25.00 to VIP <Club> & Friends has arrived"),
    ]);
    expect(texts(f.emulator, OWNER)).toEqual([expect.stringContaining("New donation")]);
  });

  it("explains a partial payment with what is missing, once", async () => {
    f = await setup();
    await f.addUser(521);
    const order = await f.order(521);
    const event = (await f.pay(order, "partially_paid", {
      payAmount: "10.5",
      actuallyPaid: "7.25",
    })) as EventEnvelope<"payment.updated">;
    await f.app.handlers["payment.updated"](event);
    await f.app.handlers["payment.updated"](event);
    expect(texts(f.emulator, 521)).toEqual([
      expect.stringContaining("We received 7.25 USDTTRC20 of 10.5 USDTTRC20; 3.25 USDTTRC20 is missing"),
    ]);
  });
});

describe("subscription.changed", () => {
  it("revoke removes the user now and writes the audit log", async () => {
    f = await setup();
    await f.addUser(530);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(530)));
    f.emulator.setChatMember(CLOSED, 530, "member");
    const [sub] = await f.db.db.update(subscriptions).set({ status: "revoked" }).returning();
    const event = f.envelope("subscription.changed", {
      subscriptionId: sub!.id,
      action: "revoke",
      userId: "530",
      channelId: f.channelId,
      expiresAt: sub!.expiresAt.toISOString(),
      actor: "cli",
      actorTelegramId: null,
    });
    expect(await f.app.handlers["subscription.changed"](event)).toBe("ack");
    expect(await f.app.handlers["subscription.changed"](event)).toBe("ack");
    expect(f.emulator.getMember(CLOSED, 530).status).toBe("left");
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(1);
    expect(f.emulator.callsOf("unbanChatMember")[0]!.params.only_if_banned).toBe(true);
    const audit = await f.db.db.select().from(auditLog);
    expect(audit).toEqual([
      expect.objectContaining({ action: "subscription.revoked_removed", actor: "cli", subjectUserId: 530n }),
    ]);
    expect(texts(f.emulator, 530).at(-1)).toContain("was revoked");
  });

  it("a manual grant sends an invite; a duplicate does nothing", async () => {
    f = await setup();
    await f.addUser(531);
    const [sub] = await f.db.db
      .insert(subscriptions)
      .values({
        userId: 531n,
        channelId: f.channelId,
        startsAt: new Date(),
        expiresAt: new Date(Date.now() + 10 * DAY),
        nextCheckAt: new Date(Date.now() + 7 * DAY),
      })
      .returning();
    const event = f.envelope("subscription.changed", {
      subscriptionId: sub!.id,
      action: "grant",
      userId: "531",
      channelId: f.channelId,
      expiresAt: sub!.expiresAt.toISOString(),
      actor: "owner",
      actorTelegramId: String(OWNER),
    });
    await Promise.all([
      f.app.handlers["subscription.changed"](event),
      f.app.handlers["subscription.changed"](event),
    ]);
    await f.app.handlers["subscription.changed"](event);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(1);
    expect(texts(f.emulator, 531)).toEqual([
      expect.stringContaining("You were given access to VIP <Club> & Friends"),
    ]);
    const consumed = await f.db.db.select().from(processedEvents);
    expect(consumed.map((r) => r.consumer)).toEqual(["notifier.manual-access"]);
  });
});

describe("a free trial's invite", () => {
  it("says it is a free trial (the subscription's trial flag, read from the database)", async () => {
    f = await setup();
    await f.addUser(532);
    const [sub] = await f.db.db
      .insert(subscriptions)
      .values({
        userId: 532n,
        channelId: f.channelId,
        trial: true,
        startsAt: new Date(),
        expiresAt: new Date(Date.now() + 7 * DAY),
        nextCheckAt: new Date(Date.now() + 4 * DAY),
      })
      .returning();
    await f.app.handlers["subscription.changed"](
      f.envelope("subscription.changed", {
        subscriptionId: sub!.id,
        action: "grant",
        userId: "532",
        channelId: f.channelId,
        expiresAt: sub!.expiresAt.toISOString(),
        actor: "system",
        actorTelegramId: null,
      }),
    );
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(1);
    expect(texts(f.emulator, 532)).toEqual([
      expect.stringContaining("Your free trial of VIP <Club> & Friends has begun"),
    ]);
  });
});

describe("deliveries the notifier must refuse", () => {
  it("a wrong topic, a non-uuid id or a payload failing its schema is poison and changes nothing", async () => {
    f = await setup();
    await f.addUser(590);
    const event = await f.confirmed(await f.order(590));
    const handler = f.app.handlers["payment.confirmed"];
    const refused: EventEnvelope<"payment.confirmed">[] = [
      { ...event, topic: "payment.updated" } as never,
      { ...event, id: "not-a-uuid" },
      { ...event, data: { ...event.data, orderId: "1; drop table orders" } as never },
      { ...event, data: {} as never },
    ];
    for (const forged of refused) expect(await handler(forged)).toBe("poison");
    expect(await f.db.db.select().from(subscriptions)).toEqual([]);
    expect(await f.db.db.select().from(processedEvents)).toEqual([]);
    expect(f.emulator.callsOf("createChatInviteLink")).toEqual([]);
    // The genuine event still works afterwards.
    expect(await handler(event)).toBe("ack");
    expect(await f.db.db.select().from(subscriptions)).toHaveLength(1);
  });
});
