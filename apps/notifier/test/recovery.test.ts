import { randomUUID } from "node:crypto";
import { accessGrants, notices, subscriptions } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type Fixture, OWNER, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A payment.confirmed as an attacker with publish rights would write it. */
function forgedConfirmed(
  fx: Fixture,
  order: { id: number; reference: string },
  data: { userId: string; durationDays: number },
): EventEnvelope<"payment.confirmed"> {
  return fx.envelope("payment.confirmed", {
    orderId: order.id,
    orderReference: order.reference,
    kind: "subscription",
    userId: data.userId,
    channelId: fx.channelId,
    tierId: fx.tierId,
    amount: "9.99",
    currency: "USD",
    durationDays: data.durationDays,
    paymentId: "forged",
    actuallyPaid: "9.99",
    payCurrency: "usd",
    paidAt: new Date().toISOString(),
  });
}

describe("events are hints: nothing is granted or sent on an event's word", () => {
  it("a forged payment.confirmed for an unpaid order grants nothing and tells no one", async () => {
    f = await setup();
    await f.addUser(540);
    const order = await f.order(540); // waiting: the invoice was never paid
    const verdict = await f.app.handlers["payment.confirmed"](
      forgedConfirmed(f, order, { userId: "540", durationDays: 3650 }),
    );
    expect(verdict).toBe("ack");
    expect(await f.db.db.select().from(subscriptions)).toHaveLength(0);
    expect(await f.db.db.select().from(accessGrants)).toHaveLength(0);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(0);
    expect(f.emulator.callsOf("sendMessage")).toHaveLength(0);
  });

  it("a forged payment.confirmed for a paid order cannot change who gets access or for how long", async () => {
    f = await setup();
    await f.addUser(541);
    await f.addUser(666);
    const order = await f.order(541, { days: 30 });
    await f.pay(order, "finished");
    await f.app.handlers["payment.confirmed"](
      forgedConfirmed(f, order, { userId: "666", durationDays: 3650 }),
    );
    const subs = await f.db.db.select().from(subscriptions);
    expect(subs.map((s) => s.userId)).toEqual([541n]);
    expect((subs[0]!.expiresAt.getTime() - Date.now()) / DAY).toBeLessThanOrEqual(30);
    expect(texts(f.emulator, 666)).toEqual([]);
    expect(texts(f.emulator, 541)).toHaveLength(1);
  });

  it("a forged payment.updated DMs nobody", async () => {
    f = await setup();
    await f.addUser(542);
    await f.addUser(777);
    const order = await f.order(542);
    const verdict = await f.app.handlers["payment.updated"](
      f.envelope("payment.updated", {
        orderId: order.id,
        orderReference: order.reference,
        kind: "subscription",
        userId: "777",
        channelId: f.channelId,
        paymentId: "forged",
        status: "refunded",
        previousStatus: "finished",
        priceAmount: "9.99",
        priceCurrency: "usd",
        payAmount: "10",
        actuallyPaid: "10",
        payCurrency: "usdttrc20",
      }),
    );
    expect(verdict).toBe("ack");
    expect(f.emulator.callsOf("sendMessage")).toHaveLength(0);
  });

  it("an order refunded before its access was applied gets none, and the owner is not told it was paid", async () => {
    f = await setup();
    await f.addUser(543);
    const order = await f.order(543);
    const confirmed = await f.confirmed(order);
    await f.pay(order, "refunded");
    await f.app.handlers["payment.confirmed"](confirmed);
    const [grant] = await f.db.db.select().from(accessGrants);
    expect(grant!.state).toBe("void");
    expect(await f.db.db.select().from(subscriptions)).toHaveLength(0);
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(0);
    // Told of the refund (docs/refunds.md), never of a sale.
    const owner = texts(f.emulator, OWNER);
    expect(owner).toEqual([expect.stringContaining("Access had not been granted yet")]);
    expect(owner[0]).not.toContain("New subscription payment");
  });
});

describe("recovery never depends on an event being delivered again", () => {
  it("a grant left delivering by a killed worker is resumed by the re-drive once its lease lapses", async () => {
    f = await setup({ config: { workLeaseMs: 1_000, redriveIntervalMs: 0 } });
    await f.addUser(550);
    const order = await f.order(550);
    const event = await f.confirmed(order);
    // What a SIGKILL mid-delivery leaves: claimed, lease still running, nobody renewing it.
    await f.db.db
      .update(accessGrants)
      .set({
        state: "delivering",
        leaseToken: randomUUID(),
        leaseUntil: sql`now() + interval '1 second'`,
        attempts: 1,
      })
      .where(eq(accessGrants.orderId, order.id));
    // The redelivered event finds the work held: acknowledged, not retried or dead-lettered.
    expect(await f.app.handlers["payment.confirmed"](event)).toBe("ack");
    expect(f.emulator.callsOf("sendMessage")).toHaveLength(0);
    await sleep(1_100);
    const result = await f.app.runRedrive();
    expect(result.grants.done).toBe(1);
    expect(result.notices.done).toBe(1);
    expect(f.emulator.callsOf("createChatInviteLink").filter((c) => c.ok)).toHaveLength(1);
    expect(texts(f.emulator, 550)).toHaveLength(1);
    expect(texts(f.emulator, OWNER)).toHaveLength(1);
    // Once done, nothing more is due.
    expect(await f.app.runRedrive()).toMatchObject({ grants: { done: 0 }, notices: { done: 0 } });
  });

  it("a killed worker's stored invite link is sent as is, not replaced", async () => {
    f = await setup({ config: { workLeaseMs: 1_000, redriveIntervalMs: 0 } });
    await f.addUser(551);
    const order = await f.order(551);
    const event = await f.confirmed(order);
    // A first worker applied the grant and stored the link; its DM failed …
    f.emulator.failNext("sendMessage", { kind: "5xx" }, 9);
    await f.app.handlers["payment.confirmed"](event);
    const [stored] = await f.db.db.select().from(accessGrants);
    expect(stored!.inviteLink).toBeTruthy();
    // … then another claimed it and was killed before sending (its lease has lapsed).
    await f.db.db
      .update(accessGrants)
      .set({ state: "delivering", leaseToken: randomUUID(), leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(accessGrants.orderId, order.id));
    expect((await f.app.runRedrive()).grants.done).toBe(1);
    expect(f.emulator.callsOf("createChatInviteLink").filter((c) => c.ok)).toHaveLength(1);
    const [dm] = f.emulator.messages(551);
    expect(dm!.reply_markup).toEqual({
      inline_keyboard: [[expect.objectContaining({ url: stored!.inviteLink })]],
    });
  });

  it("through the in-process bus: work busy elsewhere is acknowledged, then finished by the timer", async () => {
    f = await setup({ config: { workLeaseMs: 1_000, redriveIntervalMs: 300 } });
    await f.app.start();
    await f.addUser(552);
    const order = await f.order(552);
    const event = await f.confirmed(order);
    await f.db.db
      .update(accessGrants)
      .set({ state: "delivering", leaseToken: randomUUID(), leaseUntil: sql`now() + interval '1 second'` })
      .where(eq(accessGrants.orderId, order.id));
    await f.bus.publish(event);
    expect(f.bus.deadLetters).toHaveLength(0);
    for (let i = 0; i < 100 && texts(f.emulator, 552).length === 0; i++) await sleep(100);
    expect(texts(f.emulator, 552)).toHaveLength(1);
    expect(f.bus.deadLetters).toHaveLength(0);
  });

  it("the owner hears about a sale only after the payer's access is settled", async () => {
    f = await setup({ config: { redriveIntervalMs: 0 } });
    await f.addUser(553);
    const order = await f.order(553);
    const event = await f.confirmed(order);
    f.emulator.failNext("sendMessage", { kind: "5xx" }, 9);
    await f.app.handlers["payment.confirmed"](event);
    expect(texts(f.emulator, 553)).toEqual([]);
    expect(texts(f.emulator, OWNER)).toEqual([]);
    const [owed] = await f.db.db.select().from(notices).where(eq(notices.kind, "owner_paid"));
    expect(owed!.state).toBe("pending");
    const [grant] = await f.db.db.select().from(accessGrants);
    await sleep(Math.max(0, grant!.nextAttemptAt.getTime() - Date.now()) + 50);
    await f.app.runRedrive();
    expect(texts(f.emulator, 553)).toHaveLength(1);
    expect(texts(f.emulator, OWNER)).toEqual([expect.stringContaining("New subscription payment")]);
  });
});
