import { createSettlement } from "@telepay/commerce";
import { auditLog, channels, orders, outbox, subscriptions, tiers, trials, users } from "@telepay/db";
import { payOrder } from "@telepay/testing";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  type Harness,
  seedChannel,
  seedSubscription,
  startHarness,
  uniqueId,
} from "./harness.ts";

describe("channel owners: /mychannels, join requests, bot membership", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function panel(owner: number, channelId: number) {
    await h.say(owner, "/mychannels");
    const list = h.last(owner);
    await h.press(owner, list.message_id, `mc:o:${channelId}`);
    return h.last(owner);
  }

  const audits = (channelId: number) =>
    h.db.db.select().from(auditLog).where(eq(auditLog.channelId, channelId)).orderBy(desc(auditLog.id));

  it("the panel shows subscribers and revenue; toggles are audited", async () => {
    const { channel, owner } = await seedChannel(h);
    const buyer = uniqueId();
    h.tg.addUser({ id: buyer, first_name: "Eve" });
    await h.say(buyer, "/help");
    const order = (reference: string, amount: string, status: "finished" | "waiting") => ({
      reference: `${reference}-${buyer}`,
      kind: "donation" as const,
      userId: BigInt(buyer),
      channelId: channel.id,
      amount,
      currency: "USD",
      status,
    });
    // Paid orders count as revenue; an unpaid one does not.
    await h.db.db
      .insert(orders)
      .values([order("a", "9.99", "finished"), order("b", "5.5", "finished"), order("c", "100", "waiting")]);
    await seedSubscription(h, { userId: buyer, channelId: channel.id, days: 5 });

    const p = await panel(owner, channel.id);
    expect(p.plainText).toContain("Active subscribers: 1");
    expect(p.plainText).toContain("Revenue so far: $15.49 (2 paid)");
    expect(p.plainText).toContain("Payment notifications: on");

    await h.press(owner, p.message_id, buttonData(p, /Notifications: on/));
    expect(h.last(owner).plainText).toContain("Payment notifications: off");
    const [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.notificationsEnabled).toBe(false);
    expect((await audits(channel.id))[0]).toMatchObject({
      action: "channel.notifications_toggled",
      actorTelegramId: BigInt(owner),
    });

    await h.press(owner, p.message_id, buttonData(h.last(owner), /Pause sales/));
    const [paused] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(paused!.status).toBe("paused");
    // A paused channel sells nothing.
    await h.say(buyer, `/start c${channel.id}`);
    expect(h.last(buyer).plainText).toContain("isn't taking new subscriptions");
  });

  it("the panel shows the owner's balance: due, paid out, last payout, in the owner's language", async () => {
    const { channel, owner } = await seedChannel(h);
    const p0 = await panel(owner, channel.id);
    expect(p0.plainText).toContain("Your earnings: nothing yet.");

    const buyer = uniqueId();
    h.tg.addUser({ id: buyer, first_name: "Eve" });
    await h.say(buyer, "/help");
    for (const [n, credited] of [
      [1, "9.5"],
      [2, "9.4"],
    ] as const) {
      const reference = `bal${n}-${buyer}`;
      await h.db.db.insert(orders).values({
        reference,
        kind: "donation",
        userId: BigInt(buyer),
        channelId: channel.id,
        amount: "9.99",
        currency: "USD",
        status: "waiting",
      });
      await payOrder(
        h.db,
        { reference, amount: "9.99" },
        { outcomeAmount: credited, outcomeCurrency: "usdttrc20" },
      );
    }
    await createSettlement({ db: h.db.db }).markPaid({
      channelId: channel.id,
      amount: "12",
      actor: { kind: "cli" },
    });
    const p = await panel(owner, channel.id);
    expect(p.plainText).toContain(
      "USDTTRC20: 6.9 USDTTRC20 due to you · 12 USDTTRC20 paid out of 18.9 USDTTRC20 earned",
    );
    expect(p.plainText).toMatch(/Last payout: 12 USDTTRC20 on \w{3} \d{1,2}, \d{4}/);

    // The same panel for an owner who chose Russian.
    await h.db.db
      .update(users)
      .set({ language: "ru" })
      .where(eq(users.telegramId, BigInt(owner)));
    const ru = await panel(owner, channel.id);
    expect(ru.plainText).toContain("USDTTRC20: к выплате 6,9 USDTTRC20");
    expect(ru.plainText).toContain("Последняя выплата: 12 USDTTRC20");
  });

  it("an owner who lost admin rights in Telegram cannot change anything", async () => {
    const { channel, owner, closedChat } = await seedChannel(h);
    const p = await panel(owner, channel.id);
    h.tg.setChatMember(closedChat, owner, "member");
    await h.press(owner, p.message_id, buttonData(p, /Pause sales/));
    expect(h.last(owner).plainText).toContain("no longer an administrator of Premium Signals");
    const [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.status).toBe("active");
  });

  it("someone else's channel buttons are stale for another user", async () => {
    const { channel } = await seedChannel(h);
    const intruder = uniqueId();
    h.tg.addUser({ id: intruder, first_name: "Mallory" });
    const update = h.tg.injectUpdate({
      callback_query: {
        id: `cq-${intruder}`,
        from: { id: intruder, is_bot: false, first_name: "Mallory" },
        chat_instance: "x",
        data: `mc:p:${channel.id}`,
        message: { message_id: 1, date: 0, chat: { id: intruder, type: "private", first_name: "Mallory" } },
      },
    });
    expect(await h.deliver(update)).toBe(200);
    const [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.status).toBe("active");
  });

  it("editing tiers replaces them (old ones kept inactive) and asks for a republish", async () => {
    const { channel, owner } = await seedChannel(h);
    const p = await panel(owner, channel.id);
    await h.press(owner, p.message_id, buttonData(p, "✏️ Plans"));
    expect(h.last(owner).plainText).toContain("9.99:30:Monthly");
    await h.say(owner, "19.99:30:Monthly plus");
    const rows = await h.db.db.select().from(tiers).where(eq(tiers.channelId, channel.id));
    expect(rows.filter((t) => t.active).map((t) => [t.price, t.label])).toEqual([["19.99", "Monthly plus"]]);
    expect(rows.filter((t) => !t.active)).toHaveLength(2);
    const events = await h.db.db.select().from(outbox).where(eq(outbox.topic, "channel.publish_requested"));
    expect(events.some((e) => (e.payload as { channelId: number }).channelId === channel.id)).toBe(true);
    expect((await audits(channel.id))[0]!.action).toBe("channel.tiers_changed");
    expect(h.last(owner).plainText).toContain("Monthly plus — $19.99 for 30 days");
  });

  it("exports payments as a CSV document", async () => {
    const { channel, owner } = await seedChannel(h);
    const buyer = uniqueId();
    h.tg.addUser({ id: buyer, first_name: "Finn" });
    await h.say(buyer, "/help");
    await h.db.db.insert(orders).values({
      reference: `csv-${buyer}`,
      kind: "donation",
      userId: BigInt(buyer),
      channelId: channel.id,
      amount: "7.5",
      currency: "USD",
      status: "finished",
    });
    // A free trial shows as one, with no order and no amount.
    await h.db.db
      .insert(trials)
      .values({ userId: BigInt(buyer), channelId: channel.id, days: 7, endsAt: new Date() });
    const p = await panel(owner, channel.id);
    await h.press(owner, p.message_id, buttonData(p, /Export payments/));
    const doc = h.tg.messages(owner).find((m) => m.document)!;
    expect(doc.document!.file_name).toMatch(/^payments-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = doc.document!.content.trim().split("\r\n");
    expect(lines[0]).toBe(
      "created_at,order_reference,kind,user_id,tier,amount,currency,status,paid_at,payment_id,actually_paid,pay_currency",
    );
    expect(lines[1]).toContain(`csv-${buyer},donation,${buyer},,7.5,USD,finished`);
    expect(lines[2]).toMatch(new RegExp(`^[^,]+,,trial,${buyer},7 days,0,,trial,,,,$`));
    expect((await audits(channel.id))[0]!.action).toBe("channel.payments_exported");
  });

  it("join requests: subscribers are approved, everyone else declined", async () => {
    const { channel, closedChat } = await seedChannel(h);
    const member = uniqueId();
    const stranger = uniqueId();
    h.tg.addUser({ id: member, first_name: "Gina" });
    h.tg.addUser({ id: stranger, first_name: "Hank" });
    await h.say(member, "/help");
    await seedSubscription(h, { userId: member, channelId: channel.id, days: 30 });

    expect(await h.deliver(h.tg.joinRequest({ from: stranger, chatId: closedChat }))).toBe(200);
    expect(await h.deliver(h.tg.joinRequest({ from: member, chatId: closedChat }))).toBe(200);

    const declined = h.tg
      .callsOf("declineChatJoinRequest")
      .filter((c) => Number(c.params.chat_id) === closedChat);
    const approved = h.tg
      .callsOf("approveChatJoinRequest")
      .filter((c) => Number(c.params.chat_id) === closedChat);
    expect(declined.map((c) => Number(c.params.user_id))).toEqual([stranger]);
    expect(approved.map((c) => Number(c.params.user_id))).toEqual([member]);
    expect(h.tg.getMember(closedChat, member).status).toBe("member");
    expect(h.tg.getMember(closedChat, stranger).status).not.toBe("member");
    expect(h.last(stranger).plainText).toContain("no active subscription");
    const [sub] = await h.db.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.channelId, channel.id)));
    expect(sub!.joinedAt).not.toBeNull();
  });

  it("join requests: a lapsed subscriber is declined; leaving and rejoining is noted, other chats change nothing", async () => {
    const { channel, closedChat } = await seedChannel(h);
    const other = await seedChannel(h);
    const lapsed = uniqueId();
    const member = uniqueId();
    h.tg.addUser({ id: lapsed, first_name: "Ida" });
    h.tg.addUser({ id: member, first_name: "Jon" });
    await h.say(lapsed, "/help");
    await seedSubscription(h, { userId: lapsed, channelId: channel.id, days: 30 });
    await seedSubscription(h, { userId: member, channelId: channel.id, days: 30 });
    // Lapsed: its paid time ran out (the sweep has not removed it yet).
    await h.db.db
      .update(subscriptions)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(and(eq(subscriptions.channelId, channel.id), eq(subscriptions.userId, BigInt(lapsed))));
    expect(await h.deliver(h.tg.joinRequest({ from: lapsed, chatId: closedChat }))).toBe(200);
    expect(h.tg.callsOf("approveChatJoinRequest").filter((c) => Number(c.params.user_id) === lapsed)).toEqual(
      [],
    );
    expect(h.tg.getMember(closedChat, lapsed).status).not.toBe("member");

    const subOf = async () =>
      (
        await h.db.db
          .select()
          .from(subscriptions)
          .where(and(eq(subscriptions.channelId, channel.id), eq(subscriptions.userId, BigInt(member))))
      )[0]!;
    // The member joined through the link, then leaves: left_at is noted; rejoining clears it.
    await h.deliver(
      h.tg.chatMember({ chatId: closedChat, userId: member, oldStatus: "left", newStatus: "member" }),
    );
    expect((await subOf()).joinedAt).not.toBeNull();
    await h.deliver(
      h.tg.chatMember({ chatId: closedChat, userId: member, oldStatus: "member", newStatus: "left" }),
    );
    expect((await subOf()).leftAt).not.toBeNull();
    // The same user leaving another channel's closed chat is not this subscription's business.
    await h.deliver(
      h.tg.chatMember({ chatId: other.closedChat, userId: member, oldStatus: "left", newStatus: "member" }),
    );
    expect((await subOf()).leftAt).not.toBeNull();
    await h.deliver(
      h.tg.chatMember({ chatId: closedChat, userId: member, oldStatus: "left", newStatus: "member" }),
    );
    expect((await subOf()).leftAt).toBeNull();
  });

  it("the bot losing rights or being removed marks the channel and tells the owner", async () => {
    const { channel, owner, closedChat } = await seedChannel(h);
    await h.say(owner, "/help"); // the owner has talked to the bot, so it may write to them
    h.tg.setChatMember(closedChat, h.tg.botId, "administrator", {
      can_post_messages: true,
      can_invite_users: true,
    });
    await h.deliver(
      h.tg.myChatMember({
        chatId: closedChat,
        oldStatus: "administrator",
        newStatus: "administrator",
        rights: { can_post_messages: true, can_invite_users: true },
      }),
    );
    let [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row).toMatchObject({ status: "bot_lacks_rights" });
    expect(h.last(owner).plainText).toContain("I lost rights in Premium Signals: Ban users");

    h.tg.setChatMember(closedChat, h.tg.botId, "administrator", {
      can_post_messages: true,
      can_invite_users: true,
      can_restrict_members: true,
    });
    await h.deliver(
      h.tg.myChatMember({
        chatId: closedChat,
        oldStatus: "administrator",
        newStatus: "administrator",
        rights: { can_post_messages: true, can_invite_users: true, can_restrict_members: true },
      }),
    );
    [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.status).toBe("active");
    expect(h.last(owner).plainText).toContain("selling again");

    await h.deliver(h.tg.myChatMember({ chatId: closedChat, oldStatus: "administrator", newStatus: "left" }));
    [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.status).toBe("bot_removed");
    expect(h.last(owner).plainText).toContain("I was removed from Premium Signals");
    expect((await audits(channel.id)).map((a) => a.action)).toContain("channel.bot_status_changed");
  });
});
