import { createCommerce } from "@telepay/commerce";
import { auditLog, orders, subscriptions } from "@telepay/db";
import { payOrder } from "@telepay/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  buttons,
  buttonUrl,
  type Harness,
  type NotifierStack,
  seedChannel,
  seedSubscriber,
  startHarnessWithNotifier,
  uniqueId,
} from "./harness.ts";

let h: Harness;
let n: NotifierStack;
beforeAll(async () => {
  ({ h, n } = await startHarnessWithNotifier());
}, 120_000);
afterAll(() => h?.close());

const starsChannel = () =>
  seedChannel(h, { rails: "both", tiers: [{ price: "9.99", days: 30, label: "Monthly", stars: 250 }] });

const subscriber = (name: string) => seedSubscriber(h, name);

/** The owner's payment notice (notifier owner_paid) for a sale, with its Refund button. */
function paymentNotice(owner: number) {
  const notice = h.botMessages(owner).findLast((m) => buttons(m).some((b) => /^↩️ Refund$/.test(b.text)));
  if (!notice)
    throw new Error(
      `no payment notice with a Refund button: ${JSON.stringify(h.botMessages(owner).map((m) => [m.plainText, buttons(m)]))}`,
    );
  return notice;
}

const refundCalls = () => h.tg.calls.filter((c) => c.method === "refundStarPayment");
const orderOf = async (id: number) => (await h.db.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const subscriptionOf = async (user: number, channelId: number) =>
  (
    await h.db.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, BigInt(user)), eq(subscriptions.channelId, channelId)))
  )[0]!;

/** A callback query nobody was shown: a user sends made-up data on a message in their own chat. */
async function forge(from: number, data: string) {
  await h.say(from, "/help");
  const message = h.last(from);
  const update = h.tg.injectUpdate({
    callback_query: {
      id: `forged-${uniqueId()}`,
      from: { id: from, is_bot: false, first_name: "Mallory" },
      chat_instance: "forged",
      data,
      message: {
        message_id: message.message_id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from, type: "private", first_name: "Mallory" },
        from: { id: h.tg.botId, is_bot: true, first_name: "Bot" },
        text: "help",
      },
    },
  });
  expect(await h.deliver(update)).toBe(200);
}

describe("the owner's Refund button", () => {
  it("Stars: only the owner, after confirming, refunds once through Telegram and takes the access back", async () => {
    const { channel, tiers: rows, owner } = await starsChannel();
    await h.say(owner, "/start");
    const user = await subscriber("Stella");
    await h.say(user, `/start s${channel.id}_${rows[0]!.id}`);
    const link = buttonUrl(h.last(user), /^⭐ Pay/);
    const { update, chargeId } = h.tg.payStars({ from: user, invoice: link });
    expect(await h.deliver(update!)).toBe(200);
    await n.notifier.runRedrive();
    const [order] = await h.db.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, BigInt(user)), eq(orders.currency, "XTR")));
    expect(order!.status).toBe("finished");

    // The owner's notice: the Stars amount, no crypto payout line, and the Refund button.
    const notice = paymentNotice(owner);
    expect(notice.plainText).toContain("250 ⭐");
    expect(notice.plainText).not.toContain("Payout");
    const ask = buttonData(notice, "↩️ Refund");
    expect(ask).toBe(`rf:a:${order!.id}`);

    // Someone else, with forged data for both steps: refused, nothing changes, no Stars move.
    const mallory = await subscriber("Mallory");
    await forge(mallory, `rf:a:${order!.id}`);
    await forge(mallory, `rf:c:${order!.id}`);
    expect(h.last(mallory).plainText).not.toContain("Refund");
    expect(refundCalls()).toEqual([]);
    expect((await orderOf(order!.id)).status).toBe("finished");
    const refused = h.tg.calls.filter(
      (c) =>
        c.method === "answerCallbackQuery" &&
        c.params.text === "Only the channel's owner can refund this payment.",
    );
    expect(refused).toHaveLength(2);

    // The owner asks: a confirm step that says what happens; nothing has happened yet.
    await h.press(owner, notice.message_id, ask);
    const confirm = h.last(owner);
    expect(confirm.plainText).toContain("Refund 250 ⭐ to Stella");
    expect(confirm.plainText).toContain("Telegram returns the Stars");
    expect(refundCalls()).toEqual([]);

    // Pressed twice before the first answer: one Telegram refund, one reversal.
    const yes = buttonData(confirm, "↩️ Yes, refund the Stars");
    const first = h.tg.pressButton({ from: owner, messageId: confirm.message_id, data: yes });
    const second = h.tg.pressButton({ from: owner, messageId: confirm.message_id, data: yes });
    expect(await Promise.all([h.deliver(first), h.deliver(second)])).toEqual([200, 200]);
    expect(refundCalls().map((c) => c.params)).toEqual([
      { user_id: user, telegram_payment_charge_id: chargeId },
    ]);
    expect((await orderOf(order!.id)).status).toBe("refunded");
    expect(h.last(owner).plainText).toContain("Refunded: Telegram returned 250 ⭐");
    const audits = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "order.reversed"), eq(auditLog.channelId, channel.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: "owner", actorTelegramId: BigInt(owner) });
    expect(audits[0]!.details).toMatchObject({ cause: "stars_refund", paymentId: chargeId });

    // The access is gone: the subscription ends now and the sweep removes the subscriber.
    const sub = await subscriptionOf(user, channel.id);
    expect(sub.expiresAt.getTime()).toBeLessThanOrEqual(h.now().getTime() + 1_000);
    await n.notifier.runRedrive();
    expect(h.botMessages(user).some((m) => /refund/i.test(m.plainText ?? ""))).toBe(true);
  });

  it("Stars: Telegram refusing the refund changes nothing; the next press refunds, and a refund Telegram already made is finished", async () => {
    const { channel, tiers: rows, owner } = await starsChannel();
    await h.say(owner, "/start");
    const buy = async (name: string) => {
      const user = await subscriber(name);
      await h.say(user, `/start s${channel.id}_${rows[0]!.id}`);
      const { update, chargeId } = h.tg.payStars({ from: user, invoice: buttonUrl(h.last(user), /^⭐ Pay/) });
      expect(await h.deliver(update!)).toBe(200);
      await n.notifier.runRedrive();
      const [order] = await h.db.db
        .select()
        .from(orders)
        .where(and(eq(orders.userId, BigInt(user)), eq(orders.currency, "XTR")));
      return { user, chargeId, order: order! };
    };
    const confirmFor = async (orderId: number) => {
      const notice = h.botMessages(owner).find((m) => buttons(m).some((b) => b.data === `rf:a:${orderId}`))!;
      await h.press(owner, notice.message_id, `rf:a:${orderId}`);
      return h.last(owner);
    };

    const a = await buy("Ann");
    const confirm = await confirmFor(a.order.id);
    h.tg.failNext("refundStarPayment", { kind: "api", code: 400, description: "Bad Request: REFUND_FAILED" });
    await h.press(owner, confirm.message_id, `rf:c:${a.order.id}`);
    const failed = h.tg.calls.filter(
      (c) =>
        c.method === "answerCallbackQuery" &&
        c.params.text === "Telegram did not accept the refund, so nothing changed. Please try again later.",
    );
    expect(failed).toHaveLength(1);
    expect((await orderOf(a.order.id)).status).toBe("finished");
    expect((await subscriptionOf(a.user, channel.id)).status).toBe("active");
    // The same confirm button again: this time Telegram refunds, and the access goes.
    await h.press(owner, confirm.message_id, `rf:c:${a.order.id}`);
    expect((await orderOf(a.order.id)).status).toBe("refunded");

    // Telegram had refunded already (an earlier press died before the reversal): finished, not refused.
    const b = await buy("Ben");
    const confirmB = await confirmFor(b.order.id);
    await n.api.refundStarPayment(b.user, b.chargeId);
    await h.press(owner, confirmB.message_id, `rf:c:${b.order.id}`);
    expect((await orderOf(b.order.id)).status).toBe("refunded");
    expect(h.last(owner).plainText).toContain("Refunded: Telegram returned 250 ⭐");
  });

  it("crypto: the confirm step says TelePay cannot send crypto back; confirming records the refund", async () => {
    const {
      channel,
      tiers: rows,
      owner,
    } = await seedChannel(h, {
      tiers: [{ price: "9.99", days: 30, label: "Monthly" }],
    });
    await h.say(owner, "/start");
    const user = await subscriber("Carl");
    const order = await createCommerce({ db: h.db.db }).orders.open({
      userId: BigInt(user),
      item: { kind: "subscription", channelId: channel.id, tier: rows[0]! },
      reuseMs: 0,
    });
    await payOrder(h.db, order, { paymentId: `np_${order.id}` });
    await n.notifier.runRedrive();

    const notice = paymentNotice(owner);
    expect(notice.plainText).toContain("Payout");
    await h.press(owner, notice.message_id, buttonData(notice, "↩️ Refund"));
    const confirm = h.last(owner);
    expect(confirm.plainText).toContain("TelePay cannot send crypto back");
    expect((await orderOf(order.id)).status).toBe("finished");

    // "Keep" drops the question and changes nothing.
    await h.press(owner, confirm.message_id, buttonData(confirm, "Keep the payment"));
    expect((await orderOf(order.id)).status).toBe("finished");

    await h.press(owner, notice.message_id, buttonData(notice, "↩️ Refund"));
    const again = h.last(owner);
    await h.press(owner, again.message_id, buttonData(again, "↩️ Yes, record the refund"));
    expect((await orderOf(order.id)).status).toBe("refunded");
    expect(refundCalls().filter((c) => c.params.telegram_payment_charge_id === `np_${order.id}`)).toEqual([]);
    expect(h.last(owner).plainText).toContain("Remember to send $9.99 back");
    const [audit] = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "order.reversed"), eq(auditLog.channelId, channel.id)));
    expect(audit!.details).toMatchObject({ cause: "owner_refund", paymentId: `np_${order.id}` });
  });
});
