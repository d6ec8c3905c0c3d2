import { createCommerce } from "@telepay/commerce";
import { accessGrants, auditLog, channels, notices, orders, subscriptions } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import { formatDateTime } from "@telepay/telegram";
import { asc, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, type Fixture, OWNER, type PlacedOrder, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;

/** Pays an order and delivers its access through the real consumer; the payer is then in the channel. */
async function paidAndInside(userId: number): Promise<PlacedOrder> {
  const order = await f.order(userId);
  await f.app.handlers["payment.confirmed"](await f.confirmed(order));
  f.emulator.setChatMember(CLOSED, userId, "member");
  return order;
}

const refundedIpn = (order: PlacedOrder) =>
  f.pay(order, "refunded") as Promise<EventEnvelope<"payment.updated">>;
const sub = async (userId: number) =>
  (
    await f.db.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.userId, BigInt(userId)))
  )[0]!;
const refundTexts = (chat: number) => texts(f.emulator, chat).filter((t) => /refund/i.test(t));

describe("refunds take access back", () => {
  it("a refunded IPN after finished removes the payer when no paid time is left; payer and owner told, audited", async () => {
    f = await setup();
    await f.addUser(801, { firstName: "Rita" });
    const order = await paidAndInside(801);
    const event = await refundedIpn(order);
    expect(event.topic).toBe("payment.updated");
    expect(await f.app.handlers["payment.updated"](event)).toBe("ack");

    expect(f.emulator.getMember(CLOSED, 801).status).toBe("left");
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(1);
    expect(f.emulator.callsOf("unbanChatMember")[0]!.params.only_if_banned).toBe(true);
    const s = await sub(801);
    expect(s.status).toBe("expired");
    expect(s.endCause).toBe("reversal");
    const [o] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(o!.status).toBe("refunded");
    expect(o!.reversedAt).not.toBeNull();
    const [grant] = await f.db.db.select().from(accessGrants);
    expect(grant!.state).toBe("reversed");

    // One DM to the payer (no generic "refunded", no "subscription ended, renew"), one to the owner.
    const payer = texts(f.emulator, 801);
    expect(payer.slice(1)).toEqual([expect.stringContaining("removed from the channel")]);
    expect(payer.at(-1)).toContain("was refunded");
    const owner = refundTexts(OWNER);
    expect(owner).toHaveLength(1);
    expect(owner[0]).toContain("Refund — VIP <Club> & Friends");
    expect(owner[0]).toContain("Customer: Rita 801");
    expect(owner[0]).toContain("being removed from the channel");
    const audit = (await f.db.db.select().from(auditLog).orderBy(asc(auditLog.id))).map((a) => a.action);
    expect(audit).toEqual(["order.reversed", "subscription.reversal_removed"]);
  });

  it("a channel's grace period does not apply to a refund: removed at once", async () => {
    f = await setup();
    await f.db.db.update(channels).set({ graceDays: 3 });
    await f.addUser(810);
    const order = await paidAndInside(810);
    await f.app.handlers["payment.updated"](await refundedIpn(order));
    expect(f.emulator.getMember(CLOSED, 810).status).toBe("left");
    expect((await sub(810)).status).toBe("expired");
    expect(texts(f.emulator, 810).filter((t) => /renew/i.test(t))).toEqual([]);
  });

  it("stacked renewals: refunding the middle one of three removes only its 30 days; the subscriber stays", async () => {
    f = await setup();
    await f.addUser(802);
    const first = await paidAndInside(802);
    const middle = await f.order(802);
    await f.app.handlers["payment.confirmed"](await f.confirmed(middle));
    const last = await f.order(802);
    await f.app.handlers["payment.confirmed"](await f.confirmed(last));
    const before = await sub(802);
    expect((before.expiresAt.getTime() - Date.now()) / DAY).toBeGreaterThan(89.9);

    await f.app.handlers["payment.updated"](await refundedIpn(middle));
    const after = await sub(802);
    expect(before.expiresAt.getTime() - after.expiresAt.getTime()).toBe(30 * DAY);
    expect(after.status).toBe("active");
    expect(after.endCause).toBeNull();
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(0);
    expect(f.emulator.getMember(CLOSED, 802).status).toBe("member");
    // The last order's days now end where the middle one's did; the first is untouched.
    const grants = await f.db.db.select().from(accessGrants).orderBy(asc(accessGrants.orderId));
    const byOrder = new Map(grants.map((g) => [g.orderId, g]));
    expect(byOrder.get(first.id)!.state).not.toBe("reversed");
    expect(byOrder.get(middle.id)!.state).toBe("reversed");
    expect(byOrder.get(last.id)!.expiresAt!.getTime()).toBe(after.expiresAt.getTime());
    const payer = refundTexts(802);
    expect(payer).toHaveLength(1);
    expect(payer[0]).toContain(`until ${formatDateTime("en", after.expiresAt)}`);
    expect(refundTexts(OWNER)[0]).toContain(`now runs until ${formatDateTime("en", after.expiresAt)}`);
  });

  it("the order currently running: only its unused days go, the next order's days stay whole", async () => {
    f = await setup();
    await f.addUser(803);
    const running = await paidAndInside(803);
    await f.app.handlers["payment.confirmed"](await f.confirmed(await f.order(803)));
    // Ten days later: the first order has 20 days left, the second all 30.
    const shift = sql`interval '10 days'`;
    await f.db.db.update(subscriptions).set({
      startsAt: sql`${subscriptions.startsAt} - ${shift}`,
      expiresAt: sql`${subscriptions.expiresAt} - ${shift}`,
    });
    await f.db.db.update(accessGrants).set({ expiresAt: sql`${accessGrants.expiresAt} - ${shift}` });
    const before = await sub(803);
    await f.app.handlers["payment.updated"](await refundedIpn(running));
    const after = await sub(803);
    const left = (after.expiresAt.getTime() - Date.now()) / DAY;
    expect(left).toBeGreaterThan(29.9);
    expect(left).toBeLessThanOrEqual(30);
    expect((before.expiresAt.getTime() - after.expiresAt.getTime()) / DAY).toBeCloseTo(20, 2);
    expect(f.emulator.getMember(CLOSED, 803).status).toBe("member");
  });

  it("a duplicate refunded IPN, redelivered events and a later CLI refund withdraw nothing more; one notice each", async () => {
    f = await setup();
    await f.addUser(804);
    await paidAndInside(804);
    const second = await f.order(804);
    await f.app.handlers["payment.confirmed"](await f.confirmed(second));
    const event = await refundedIpn(second);
    await f.app.handlers["payment.updated"](event);
    const once = await sub(804);
    // The same IPN again: a duplicate (no event); the event redelivered; the re-drive.
    await f.pay(second, "refunded");
    await f.app.handlers["payment.updated"](event);
    await f.app.handlers["payment.updated"](event);
    await f.app.runRedrive();
    // The operator records it too: refused, nothing changes.
    await expect(
      createCommerce({ db: f.db.db }).reversals.refundPayment(`pay_${second.id}`, { kind: "cli" }),
    ).rejects.toThrow(/already reversed/);
    expect((await sub(804)).expiresAt).toEqual(once.expiresAt);
    expect(refundTexts(804)).toHaveLength(1);
    expect(refundTexts(OWNER)).toHaveLength(1);
    const reversals = await f.db.db.select().from(auditLog).where(eq(auditLog.action, "order.reversed"));
    expect(reversals).toHaveLength(1);
    expect(await f.db.db.select().from(notices).where(sql`${notices.kind} like 'reversal%'`)).toHaveLength(2);
  });

  it("refunded before its grant ran: the grant is void, no invite is ever made", async () => {
    f = await setup();
    await f.addUser(805);
    const order = await f.order(805);
    // Paid and refunded while the notifier was down: neither event was handled yet.
    const paid = await f.confirmed(order);
    const refunded = await refundedIpn(order);
    await f.app.handlers["payment.updated"](refunded);
    await f.app.handlers["payment.confirmed"](paid);
    await f.app.runRedrive();
    expect(f.emulator.callsOf("createChatInviteLink")).toHaveLength(0);
    const [grant] = await f.db.db.select().from(accessGrants);
    expect(grant!.state).toBe("void");
    expect(await f.db.db.select().from(subscriptions)).toHaveLength(0);
    const payer = texts(f.emulator, 805);
    expect(payer).toEqual([expect.stringContaining("no access was granted")]);
    expect(refundTexts(OWNER)[0]).toContain("never will be");
  });

  it("a crash between the reversal and the removal is resumed by the re-drive", async () => {
    f = await setup();
    await f.addUser(806);
    const order = await paidAndInside(806);
    // The refund is recorded and reversed, and the process dies before the notifier handles it.
    await refundedIpn(order);
    const reversal = await createCommerce({ db: f.db.db }).reversals.resume();
    expect(reversal).toEqual([expect.objectContaining({ orderId: order.id, accessLeft: false })]);
    const pending = await sub(806);
    expect(pending).toMatchObject({ status: "active", endCause: "reversal" });
    expect(f.emulator.getMember(CLOSED, 806).status).toBe("member");
    // A new process: its re-drive (no event) finds the due removal and the unsent notices.
    const next = await f.newApp();
    const result = await next.runRedrive();
    expect(result.removed).toBe(1);
    expect(f.emulator.getMember(CLOSED, 806).status).toBe("left");
    expect((await sub(806)).status).toBe("expired");
    expect(refundTexts(806)).toHaveLength(1);
    expect(refundTexts(OWNER)).toHaveLength(1);
    await next.stop();
  });

  it("a refund recorded by IPN whose reversal never ran is reversed and removed by the re-drive alone", async () => {
    f = await setup();
    await f.addUser(807);
    const order = await paidAndInside(807);
    await refundedIpn(order); // the event is lost
    const result = await f.app.runRedrive();
    expect(result).toMatchObject({ reversed: 1, removed: 1 });
    expect(f.emulator.getMember(CLOSED, 807).status).toBe("left");
    const [o] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(o!.reversedAt).not.toBeNull();
  });

  it("a refunded donation: the donor hears it was refunded, the owner is told, nothing else happens", async () => {
    f = await setup();
    await f.addUser(809, { firstName: "Dora" });
    const gift = await f.order(809, { kind: "donation", amount: "5.00" });
    await f.app.handlers["payment.confirmed"](await f.confirmed(gift));
    await f.app.handlers["payment.updated"](await refundedIpn(gift));
    expect(refundTexts(809)).toEqual([
      expect.stringMatching(/Your payment for VIP <Club> & Friends was refunded\.$/),
    ]);
    const owner = refundTexts(OWNER);
    expect(owner).toHaveLength(1);
    expect(owner[0]).toContain("Refunded: $5.00");
    expect(owner[0]).not.toMatch(/time|access/i);
    expect(f.emulator.callsOf("banChatMember")).toHaveLength(0);
  });

  it("a failed IPN after finished changes nothing: the payment stays paid and nobody is told", async () => {
    f = await setup();
    await f.addUser(808);
    const order = await paidAndInside(808);
    const before = await sub(808);
    const dms = texts(f.emulator, 808).length;
    await f.pay(order, "failed");
    await f.app.runRedrive();
    const [o] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(o!.status).toBe("finished");
    expect(o!.reversedAt).toBeNull();
    expect((await sub(808)).expiresAt).toEqual(before.expiresAt);
    expect(texts(f.emulator, 808)).toHaveLength(dms);
  });
});
