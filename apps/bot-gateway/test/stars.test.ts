import {
  accessGrants,
  channels,
  orders,
  payments,
  starSubscriptions,
  subscriptions,
  users,
} from "@telepay/db";
import type { Update } from "@telepay/testing";
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
} from "./harness.ts";

const DAY = 86_400_000;
let h: Harness;
let n: NotifierStack;
beforeAll(async () => {
  ({ h, n } = await startHarnessWithNotifier());
}, 120_000);
afterAll(() => h?.close());

/** A channel selling both rails: Monthly (30 days, 250 ⭐) and Weekly (7 days, 60 ⭐). */
async function starsChannel() {
  return seedChannel(h, {
    rails: "both",
    tiers: [
      { price: "9.99", days: 30, label: "Monthly", stars: 250 },
      { price: "2.99", days: 7, label: "Weekly", stars: 60 },
    ],
  });
}

const subscriber = (name = "Stella") => seedSubscriber(h, name);

/** The user opens the Stars link of a tier (the tier post's ⭐ button): returns the invoice link. */
async function openStarsInvoice(user: number, channelId: number, tierId: number) {
  await h.say(user, `/start s${channelId}_${tierId}`);
  return buttonUrl(h.last(user), /^⭐ Pay/);
}

async function checkout(user: number, link: string, totalAmount?: number) {
  const update = h.tg.preCheckout({ from: user, invoice: link, ...(totalAmount ? { totalAmount } : {}) });
  expect(await h.deliver(update)).toBe(200);
  return h.tg.preCheckoutAnswer(
    (update as unknown as { pre_checkout_query: { id: string } }).pre_checkout_query.id,
  );
}

async function pay(update: Update | undefined) {
  expect(await h.deliver(update!)).toBe(200);
}

const inviteDms = (user: number) =>
  h.botMessages(user).filter((m) => (m.plainText ?? "").includes("Payment received — welcome"));

const subscriptionOf = async (user: number, channelId: number) =>
  (
    await h.db.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, BigInt(user)), eq(subscriptions.channelId, channelId)))
  )[0];

describe("buying with Telegram Stars through the bot", () => {
  it("menu and offer show one button per rail; a 30-day tier is an auto-renewing subscription invoice", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber();
    await h.say(user, `/start c${channel.id}`);
    const menu = buttons(h.last(user)).map((b) => b.data);
    expect(menu).toEqual(
      expect.arrayContaining([
        `tier:${channel.id}:${rows[0]!.id}`,
        `stier:${channel.id}:${rows[0]!.id}`,
        `tier:${channel.id}:${rows[1]!.id}`,
        `stier:${channel.id}:${rows[1]!.id}`,
      ]),
    );
    await h.say(user, `/start t${channel.id}_${rows[0]!.id}`);
    expect(buttons(h.last(user)).map((b) => b.text)).toEqual([
      "Continue — $9.99",
      "⭐ Pay with Stars — 250",
      "See all plans",
    ]);

    const link = await openStarsInvoice(user, channel.id, rows[0]!.id);
    const invoice = h.tg.starsInvoices().find((i) => i.link === link)!;
    expect(invoice).toMatchObject({ currency: "XTR", amount: 250, subscriptionPeriod: 2_592_000 });
    expect(h.last(user).plainText).toContain("renews by itself every 30 days");
    const weekly = await openStarsInvoice(user, channel.id, rows[1]!.id);
    expect(h.tg.starsInvoices().find((i) => i.link === weekly)).toMatchObject({
      amount: 60,
      subscriptionPeriod: undefined,
    });
    // The same tap again reuses the order and its invoice.
    expect(await openStarsInvoice(user, channel.id, rows[0]!.id)).toBe(link);
  });

  it("the Stars texts follow the subscriber's /language choice over Telegram's language", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber("Ivan");
    await h.db.db
      .update(users)
      .set({ language: "ru" })
      .where(eq(users.telegramId, BigInt(user)));
    await h.say(user, `/start t${channel.id}_${rows[0]!.id}`);
    const texts = buttons(h.last(user)).map((b) => b.text);
    expect(texts).toContain("⭐ Оплатить звёздами — 250");
    expect(texts.join(" ")).not.toContain("Pay with Stars");
  });

  it("pays: pre-checkout approved, one invite for a charge delivered twice", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber();
    const link = await openStarsInvoice(user, channel.id, rows[0]!.id);
    expect(await checkout(user, link)).toEqual({ ok: true });

    const { update, chargeId } = h.tg.payStars({ from: user, invoice: link });
    await pay(update);
    // The same update again (webhook retry) and the same charge in a new update.
    await pay(update);
    await pay({ ...update!, update_id: update!.update_id + 1_000_000 });
    await n.notifier.runRedrive();

    expect(inviteDms(user)).toHaveLength(1);
    const [order] = await h.db.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, BigInt(user)), eq(orders.currency, "XTR")));
    expect([order!.status, order!.amount]).toEqual(["finished", "250"]);
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, order!.id))).toHaveLength(
      1,
    );
    const [payment] = await h.db.db.select().from(payments).where(eq(payments.paymentId, chargeId));
    expect(payment).toMatchObject({ status: "finished", needsReview: false, priceCurrency: "XTR" });
    const sub = await subscriptionOf(user, channel.id);
    expect(sub!.expiresAt.getTime() - h.now().getTime()).toBeGreaterThan(29 * DAY);

    // Paid: a second pre-checkout of the same invoice is refused.
    const again = await checkout(user, link);
    expect(again).toEqual({ ok: false, errorMessage: "This invoice is already paid. Check /subscriptions." });
  });

  it("pre-checkout refuses a changed price, a paused channel and someone else's invoice, in time", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber();
    const link = await openStarsInvoice(user, channel.id, rows[1]!.id);
    const started = Date.now();
    expect(await checkout(user, link, 59)).toMatchObject({ ok: false });
    const other = await subscriber("Mallory");
    expect(await checkout(other, link)).toEqual({
      ok: false,
      errorMessage: "This invoice was made for someone else. Please open the channel's plans yourself.",
    });
    await h.db.db.update(channels).set({ status: "paused" }).where(eq(channels.id, channel.id));
    expect(await checkout(user, link)).toMatchObject({ ok: false });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a forged successful_payment for another amount grants nothing and waits for review", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber();
    const link = await openStarsInvoice(user, channel.id, rows[1]!.id);
    const { update, chargeId } = h.tg.payStars({ from: user, invoice: link, totalAmount: 1 });
    await pay(update);
    await n.notifier.runRedrive();
    expect(inviteDms(user)).toEqual([]);
    const [payment] = await h.db.db.select().from(payments).where(eq(payments.paymentId, chargeId));
    expect(payment!.needsReview).toBe(true);
    const [order] = await h.db.db.select().from(orders).where(eq(orders.id, payment!.orderId!));
    expect(order!.status).toBe("needs_review");
    expect(await h.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, order!.id))).toEqual([]);
    expect(h.last(user).plainText).toContain("does not match the order");
  });

  it("a renewal extends once per charge; stopping renewal lets the sweep remove on time", async () => {
    const { channel, tiers: rows, closedChat } = await starsChannel();
    const user = await subscriber();
    const link = await openStarsInvoice(user, channel.id, rows[0]!.id);
    const first = h.tg.payStars({ from: user, invoice: link });
    await pay(first.update);
    await n.notifier.runRedrive();
    const before = (await subscriptionOf(user, channel.id))!.expiresAt;

    const renewal = h.tg.renewStars({ chargeId: first.chargeId });
    await pay(renewal.update);
    await pay({ ...renewal.update!, update_id: renewal.update!.update_id + 1_000_000 });
    await n.notifier.runRedrive();
    const after = (await subscriptionOf(user, channel.id))!.expiresAt;
    expect(after.getTime() - before.getTime()).toBe(30 * DAY);
    const paid = await h.db.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, BigInt(user)), eq(orders.status, "finished")));
    expect(paid).toHaveLength(2);

    // Within the slack after the expiry, a renewing subscriber stays.
    h.tg.setChatMember(closedChat, user, "member");
    const atExpiry = new Date(after.getTime() + 60_000);
    await n.notifier.runSweep({ now: atExpiry });
    expect((await subscriptionOf(user, channel.id))!.status).toBe("active");

    // /subscriptions: renewal on, with a stop button; stop it.
    await h.say(user, "/subscriptions");
    const list = h.last(user);
    expect(list.plainText).toContain("renews with Stars");
    await h.press(user, list.message_id, buttonData(list, /^⏹ Stop renewal/));
    expect(h.tg.starSubscription(first.chargeId)!.canceled).toBe(true);
    const [star] = await h.db.db
      .select()
      .from(starSubscriptions)
      .where(eq(starSubscriptions.chargeId, first.chargeId));
    expect(star!.state).toBe("canceled");
    expect(h.last(user).plainText).toContain("renewal is off");
    expect(() => h.tg.renewStars({ chargeId: first.chargeId })).toThrow(/cancelled/);

    // Renewal off: removed at the next sweep, no slack.
    await n.notifier.runSweep({ now: new Date(after.getTime() + 120_000) });
    expect((await subscriptionOf(user, channel.id))!.status).toBe("expired");
    expect(h.tg.getMember(closedChat, user).status).not.toBe("member");
  });

  it("a renewal that never comes: removed once the slack is over", async () => {
    const { channel, tiers: rows } = await starsChannel();
    const user = await subscriber();
    const link = await openStarsInvoice(user, channel.id, rows[0]!.id);
    await pay(h.tg.payStars({ from: user, invoice: link }).update);
    await n.notifier.runRedrive();
    const expiresAt = (await subscriptionOf(user, channel.id))!.expiresAt;
    await n.notifier.runSweep({ now: new Date(expiresAt.getTime() + 3_600_000) });
    expect((await subscriptionOf(user, channel.id))!.status).toBe("active");
    await n.notifier.runSweep({ now: new Date(expiresAt.getTime() + 13 * 3_600_000) });
    expect((await subscriptionOf(user, channel.id))!.status).toBe("expired");
    const [star] = await h.db.db
      .select()
      .from(starSubscriptions)
      .where(and(eq(starSubscriptions.userId, BigInt(user)), eq(starSubscriptions.channelId, channel.id)));
    expect(star!.state).toBe("lapsed");
  });
});
