import { orders, subscriptions } from "@telepay/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  buttonData,
  buttons,
  buttonUrl,
  type Harness,
  seedChannel,
  seedSubscription,
  startHarness,
  uniqueId,
} from "./harness.ts";

describe("subscriber flows", () => {
  let h: Harness;
  let ALICE: number;
  let BOB: number;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    ALICE = uniqueId();
    BOB = uniqueId();
    h.tg.addUser({ id: ALICE, first_name: "Alice" });
    h.tg.addUser({ id: BOB, first_name: "Bob <script>" });
  });
  const ordersOf = (channelId: number) =>
    h.db.db.select().from(orders).where(eq(orders.channelId, channelId));
  const invoicesOf = (refs: string[]) => h.np.invoices.filter((i) => refs.includes(String(i.order_id)));

  it("shows the channel menu from a deep link with prices from the database, escaped", async () => {
    const { channel } = await seedChannel(h, { title: "Signals & <Co>" });
    await h.say(ALICE, `/start c${channel.id}`);
    const menu = h.last(ALICE);
    expect(menu.plainText).toContain("Signals & <Co>");
    expect(menu.plainText).toContain("Daily trade ideas & <analysis>");
    expect(menu.plainText).toContain("Monthly — $9.99 for 30 days");
    expect(buttons(menu).map((b) => b.text)).toEqual([
      "Monthly · $9.99 / 30 days",
      "Quarterly · $24.99 / 90 days",
    ]);
  });

  it("a tier tap creates one order and one invoice, even when tapped again", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start t${channel.id}_${tiers[0]!.id}`);
    const offer = h.last(ALICE);
    const buy = buttonData(offer, /^Continue/);
    await h.press(ALICE, offer.message_id, buy);
    const invoiceMsg = h.last(ALICE);
    expect(invoiceMsg.message_id).toBe(offer.message_id); // edited in place
    expect(invoiceMsg.plainText).toContain("Amount: $9.99");
    expect(invoiceMsg.plainText).toContain("Duration: 30 days");
    const payUrl = buttonUrl(invoiceMsg, /^💳 Pay/);
    expect(buttons(invoiceMsg).some((b) => b.text === "🔄 Check status")).toBe(true);

    // The same tap again (e.g. an impatient double tap on a resent menu) reuses the order.
    await h.say(ALICE, `/start t${channel.id}_${tiers[0]!.id}`);
    const again = h.last(ALICE);
    await h.press(ALICE, again.message_id, buttonData(again, /^Continue/));
    expect(buttonUrl(h.last(ALICE), /^💳 Pay/)).toBe(payUrl);

    const rows = await ordersOf(channel.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "subscription",
      amount: "9.99",
      currency: "USD",
      durationDays: 30,
      status: "waiting",
    });
    const [inv] = invoicesOf([rows[0]!.reference]);
    if (!inv) throw new Error("no invoice");
    expect(inv.order_id).toBe(rows[0]!.reference);
    expect(inv.ipn_callback_url).toBe("https://pay.example.test/webhooks/nowpayments");
    expect(inv.success_url).toBe(`https://t.me/${h.tg.botUsername}?start=o${rows[0]!.reference}`);
    expect(payUrl).toBe(inv.invoice_url);
  });

  it("a re-delivered update is handled once", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start c${channel.id}`);
    const menu = h.last(ALICE);
    const update = h.tg.pressButton({
      from: ALICE,
      messageId: menu.message_id,
      data: `tier:${channel.id}:${tiers[1]!.id}`,
    });
    expect(await h.deliver(update)).toBe(200);
    expect(await h.deliver(update)).toBe(200);
    const rows = await ordersOf(channel.id);
    expect(rows).toHaveLength(1);
    expect(invoicesOf([rows[0]!.reference])).toHaveLength(1);
  });

  it("two users buying at the same time each get their own tier's price", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start c${channel.id}`);
    await h.say(BOB, `/start c${channel.id}`);
    const aliceMenu = h.last(ALICE);
    const bobMenu = h.last(BOB);
    await Promise.all([
      h.press(ALICE, aliceMenu.message_id, `tier:${channel.id}:${tiers[0]!.id}`),
      h.press(BOB, bobMenu.message_id, `tier:${channel.id}:${tiers[1]!.id}`),
    ]);
    expect(h.last(ALICE).plainText).toContain("Amount: $9.99");
    expect(h.last(BOB).plainText).toContain("Amount: $24.99");
    const rows = await ordersOf(channel.id);
    const byUser = Object.fromEntries(rows.map((o) => [o.userId.toString(), o.amount]));
    expect(byUser).toEqual({ [ALICE]: "9.99", [BOB]: "24.99" });
    const invoiceAmounts = Object.fromEntries(
      invoicesOf(rows.map((o) => o.reference)).map((i) => [i.order_id, String(i.price_amount)]),
    );
    for (const o of rows) expect(invoiceAmounts[o.reference]).toBe(o.amount);
  });

  it("a stale tier button says the offer changed and shows the current plans", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start c${channel.id}`);
    const menu = h.last(ALICE);
    const { tiers: tiersTable } = await import("@telepay/db");
    await h.db.db.update(tiersTable).set({ active: false }).where(eq(tiersTable.id, tiers[0]!.id));
    await h.press(ALICE, menu.message_id, `tier:${channel.id}:${tiers[0]!.id}`);
    const after = h.last(ALICE);
    expect(after.plainText).toContain("This offer changed");
    expect(buttons(after).map((b) => b.text)).toEqual(["Quarterly · $24.99 / 90 days"]);
    expect(await ordersOf(channel.id)).toHaveLength(0);
  });

  it("the order status page is only shown to the order's own user", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start c${channel.id}`);
    await h.press(ALICE, h.last(ALICE).message_id, `tier:${channel.id}:${tiers[0]!.id}`);
    const [order] = await ordersOf(channel.id);
    await h.say(ALICE, `/start o${order!.reference}`);
    expect(h.last(ALICE).plainText).toContain("Waiting for payment");
    await h.say(BOB, `/start o${order!.reference}`);
    expect(h.last(BOB).plainText).toContain("I can't find that order");
    expect(h.last(BOB).plainText).not.toContain("9.99");
  });

  it("payment provider down: nothing charged, a retry button makes the invoice later", async () => {
    const { channel, tiers } = await seedChannel(h);
    await h.say(ALICE, `/start c${channel.id}`);
    h.np.failNext({ status: 503 });
    await h.press(ALICE, h.last(ALICE).message_id, `tier:${channel.id}:${tiers[0]!.id}`);
    const failed = h.last(ALICE);
    expect(failed.plainText).toContain("couldn't reach the payment provider");
    await h.press(ALICE, failed.message_id, buttonData(failed, /Try again/));
    const rows = await ordersOf(channel.id);
    expect(rows).toHaveLength(1);
    expect(buttonUrl(h.last(ALICE), /^💳 Pay/)).toBe(invoicesOf([rows[0]!.reference])[0]!.invoice_url);
  });

  it("/subscriptions lists expiry, renew and a way back in; renewal offers the plans", async () => {
    const { channel, closedChat } = await seedChannel(h);
    await h.say(ALICE, "/help"); // the bot now knows Alice
    await seedSubscription(h, { userId: ALICE, channelId: channel.id, days: 10 });
    await h.say(ALICE, "/subscriptions");
    const list = h.last(ALICE);
    expect(list.plainText).toMatch(
      /Premium Signals — active until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M UTC/,
    );
    await h.press(ALICE, list.message_id, buttonData(list, /^🚪 Join/));
    const link = buttonUrl(h.last(ALICE), /^🚪 Join/);
    const created = h.tg.inviteLinks(closedChat).find((l) => l.invite_link === link);
    expect(created?.creates_join_request).toBe(true);
    const [sub] = await h.db.db.select().from(subscriptions).where(eq(subscriptions.channelId, channel.id));
    expect(sub!.inviteLink).toBe(link);

    await h.press(ALICE, list.message_id, buttonData(list, /^🔁 Renew/));
    const renew = h.last(ALICE);
    expect(renew.plainText).toContain("Renewing adds the new time");
    expect(buttons(renew)).toHaveLength(2);
  });
});
