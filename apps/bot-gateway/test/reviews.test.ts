import { createCommerce } from "@telepay/commerce";
import { accessGrants, auditLog, orders, reviewResolutions, users } from "@telepay/db";
import { ipnPayloadSchema, ipnToPaymentReport } from "@telepay/payments";
import { parseReviewCallback } from "@telepay/telegram";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  buttons,
  type Harness,
  type NotifierStack,
  seedChannel,
  startHarnessWithNotifier,
  uniqueId,
} from "./harness.ts";

let h: Harness;
let n: NotifierStack;
beforeAll(async () => {
  ({ h, n } = await startHarnessWithNotifier());
}, 120_000);
afterAll(() => h?.close());

/** A channel whose payer's `finished` payment fell short: flagged paid_short; the review DM sent. */
async function shortPayment() {
  const seeded = await seedChannel(h);
  h.tg.addChat({ id: seeded.owner, type: "private" });
  await h.db.db.insert(users).values({ telegramId: BigInt(seeded.owner), firstName: "Olga" });
  const payer = uniqueId();
  h.tg.addUser({ id: payer, first_name: "Pat" });
  await h.db.db.insert(users).values({ telegramId: BigInt(payer), firstName: "Pat" });
  const tier = seeded.tiers[0]!;
  const reference = `rvbot_${uniqueId()}`;
  const [order] = await h.db.db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: BigInt(payer),
      channelId: seeded.channel.id,
      tierId: tier.id,
      durationDays: tier.durationDays,
      amount: tier.price,
      currency: "USD",
      status: "waiting",
    })
    .returning();
  const paymentId = String(uniqueId());
  await createCommerce({ db: h.db.db }).payments.record(
    ipnToPaymentReport(
      ipnPayloadSchema.parse({
        payment_id: paymentId,
        payment_status: "finished",
        order_id: reference,
        price_amount: tier.price,
        price_currency: "usd",
        pay_amount: "10.02",
        actually_paid: "7.5",
        pay_currency: "usdttrc20",
      }),
    ),
    { underpaidTolerancePercent: "1" },
  );
  expect((await n.notifier.runRedrive()).notices.done).toBeGreaterThanOrEqual(1);
  const dm = h.last(seeded.owner);
  return { ...seeded, payer, paymentId, orderId: order!.id, dm };
}

const resolutions = (paymentId: string) =>
  h.db.db.select().from(reviewResolutions).where(eq(reviewResolutions.paymentId, paymentId));

describe("a payment flagged for review reaches the channel owner", () => {
  it("the owner's DM has the facts and both buttons; 'grant anyway' pays the order once", async () => {
    const s = await shortPayment();
    expect(s.dm.plainText).toContain("A payment needs your decision");
    expect(s.dm.plainText).toContain("Less arrived than the payment asked for.");
    expect(s.dm.plainText).toContain("Arrived: 7.5");
    expect(s.dm.plainText).toContain(s.paymentId);
    expect(buttons(s.dm).map((b) => b.text)).toEqual(["✅ Grant anyway", "✖️ Dismiss with a note"]);
    const grant = buttonData(s.dm, "✅ Grant anyway");
    expect(parseReviewCallback(grant)).toEqual({
      action: "grant",
      paymentId: s.paymentId,
      reason: "paid_short",
    });

    // A stale copy of the same keyboard (a double tap that raced the first one's answer).
    const stale = await n.api.sendMessage(String(s.owner), "stale copy", {
      reply_markup: s.dm.reply_markup as never,
    });
    await h.press(s.owner, s.dm.message_id, grant);
    expect(h.last(s.owner).plainText).toContain("Granted.");
    // The buttons are gone from the DM, the order is paid, access is owed exactly once.
    expect(buttons(h.botMessages(s.owner).find((m) => m.message_id === s.dm.message_id)!)).toEqual([]);
    expect((await h.db.db.select().from(orders).where(eq(orders.id, s.orderId)))[0]!.status).toBe("finished");
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, s.orderId))).toHaveLength(
      1,
    );
    expect(await resolutions(s.paymentId)).toEqual([
      expect.objectContaining({ decision: "grant", actor: "owner", actorTelegramId: BigInt(s.owner) }),
    ]);

    // A second tap (a stale copy, a double click) changes nothing and says so.
    const before = h.botMessages(s.owner).length;
    await h.press(s.owner, stale.message_id, grant);
    expect(h.botMessages(s.owner).length).toBe(before);
    const answers = h.tg.callsOf("answerCallbackQuery");
    expect(answers.at(-1)!.params).toMatchObject({ text: "This payment was already settled" });
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, s.orderId))).toHaveLength(
      1,
    );
    expect(await resolutions(s.paymentId)).toHaveLength(1);

    // The payer's access is delivered like any paid order's.
    await h.say(s.payer, "/help"); // the payer has talked to the bot, so a DM reaches them
    const redrive = await n.notifier.runRedrive();
    const [grantRow] = await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, s.orderId));
    expect({ state: grantRow!.state, err: grantRow!.lastError, redrive }).toMatchObject({ state: "dm_sent" });
    expect(h.tg.messages(s.payer).some((m) => m.from_id === h.tg.botId)).toBe(true);
  });

  it("'dismiss with a note' asks for the note and records it; nothing is granted", async () => {
    const s = await shortPayment();
    await h.press(s.owner, s.dm.message_id, buttonData(s.dm, "✖️ Dismiss with a note"));
    expect(h.last(s.owner).plainText).toContain("Send a short note for the record");
    await h.say(s.owner, "refunded the payer <in full>");
    expect(h.last(s.owner).plainText).toContain("Dismissed payment");
    expect(h.last(s.owner).plainText).toContain("refunded the payer <in full>");
    expect(await resolutions(s.paymentId)).toEqual([
      expect.objectContaining({ decision: "dismiss", note: "refunded the payer <in full>", actor: "owner" }),
    ]);
    expect((await h.db.db.select().from(orders).where(eq(orders.id, s.orderId)))[0]!.status).toBe(
      "needs_review",
    );
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, s.orderId))).toEqual([]);
    const [audit] = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "review.dismissed"), eq(auditLog.channelId, s.channel.id)));
    expect(audit).toMatchObject({ actor: "owner", actorTelegramId: BigInt(s.owner) });
    // The next text is an ordinary message again.
    await h.say(s.owner, "hello");
    expect(h.last(s.owner).plainText).not.toContain("Dismissed");
  });

  it("someone who is not the channel's owner cannot use the buttons", async () => {
    const s = await shortPayment();
    const stranger = uniqueId();
    h.tg.addUser({ id: stranger, first_name: "Mallory" });
    h.tg.addChat({ id: stranger, type: "private" });
    // The same buttons in the stranger's chat (say, a forwarded or copied keyboard).
    const copy = await n.api.sendMessage(String(stranger), "copy", {
      reply_markup: s.dm.reply_markup as never,
    });
    await h.press(stranger, copy.message_id, buttonData(s.dm, "✅ Grant anyway"));
    await h.press(stranger, copy.message_id, buttonData(s.dm, "✖️ Dismiss with a note"));
    const answers = h.tg.callsOf("answerCallbackQuery").slice(-2);
    expect(answers.map((a) => a.params.text)).toEqual([
      "Only the channel's owner can decide this",
      "Only the channel's owner can decide this",
    ]);
    expect(await resolutions(s.paymentId)).toEqual([]);
    expect((await h.db.db.select().from(orders).where(eq(orders.id, s.orderId)))[0]!.status).toBe(
      "needs_review",
    );
  });

  it("a review the operator settled first: the owner's tap is refused", async () => {
    const s = await shortPayment();
    await createCommerce({ db: h.db.db }).reviews.resolve({
      paymentId: s.paymentId,
      decision: "dismiss",
      note: "operator refunded",
      actor: { kind: "cli" },
    });
    await h.press(s.owner, s.dm.message_id, buttonData(s.dm, "✅ Grant anyway"));
    expect(h.tg.callsOf("answerCallbackQuery").at(-1)!.params).toMatchObject({
      text: "This payment was already settled",
    });
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, s.orderId))).toEqual([]);
  });
});
