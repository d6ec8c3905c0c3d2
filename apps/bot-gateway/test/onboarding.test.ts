import { auditLog, channels, outbox, tiers } from "@telepay/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, buttons, type Harness, seedChannel, startHarness, uniqueId } from "./harness.ts";

describe("owner onboarding (/newchannel)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** An owner who created two channels and made the bot an admin of both. */
  function world(opts: { closedTitle?: string; languageCode?: string } = {}) {
    const owner = uniqueId();
    const open = -1_002_000_000_000 - uniqueId();
    const closed = -1_002_000_000_000 - uniqueId();
    h.tg.addUser({
      id: owner,
      first_name: "Olga",
      ...(opts.languageCode ? { language_code: opts.languageCode } : {}),
    });
    h.tg.addChat({ id: open, type: "channel", title: "Olga's News", username: `olga_news_${owner}` });
    h.tg.addChat({ id: closed, type: "channel", title: opts.closedTitle ?? "Olga's VIP <Club>" });
    h.tg.setChatMember(open, owner, "creator");
    h.tg.setChatMember(closed, owner, "creator");
    return {
      owner,
      open,
      closed,
      say: (text: string, extra?: { forwardFromChat?: number }) => h.say(owner, text, extra),
    };
  }

  async function runToConfirm(w: ReturnType<typeof world>) {
    await w.say("/newchannel");
    await w.say(`@olga_news_${w.owner}`);
    await w.say("", { forwardFromChat: w.closed });
    await w.say("9.99:30:Monthly\n49:180:Half a year");
    await w.say("TQ9xWalletAddress0000000000000003fAb");
    await w.say("usdt trx");
    await w.say("Thanks for <supporting> us!");
    const notify = h.last(w.owner);
    await h.press(w.owner, notify.message_id, "ob:notify:yes");
    return h.last(w.owner);
  }

  it("posts default to the owner's language, the summary picks another, and the owner gets their menu", async () => {
    const w = world({ languageCode: "es" });
    const summary = await runToConfirm(w);
    expect(summary.plainText).toMatch(/Half a year — 49,00\sUS\$ por 180 días/);
    expect(summary.plainText).toContain("Idioma de las publicaciones: Español");
    expect(buttons(summary).map((b) => b.text)).toContain("✓ Español");
    await h.press(w.owner, summary.message_id, buttonData(summary, "Русский"));
    const again = h.last(w.owner);
    expect(again.plainText).toContain("Idioma de las publicaciones: Русский");
    await h.press(w.owner, again.message_id, buttonData(again, "✅ Confirmar"));
    expect(h.last(w.owner).plainText).toContain("¡Listo!");
    const [row] = await h.db.db
      .select()
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(w.closed)));
    expect(row!.language).toBe("ru");
    const [created] = await h.db.db.select().from(auditLog).where(eq(auditLog.channelId, row!.id));
    expect(created!.details).toMatchObject({ language: "ru" });
    // Now an owner: /mychannels is in their own menu, in Spanish.
    expect(h.tg.commandMenu(w.owner, "es").find((c) => c.command === "mychannels")?.description).toBe(
      "Gestiona los canales que vendes",
    );
  });

  it("registers both channels with tiers after verifying rights, and asks for the tier post", async () => {
    const w = world();
    const summary = await runToConfirm(w);
    expect(summary.plainText).toContain("Private channel: Olga's VIP <Club>");
    expect(summary.plainText).toContain("Half a year — $49.00 for 180 days");
    expect(summary.plainText).toContain("Thanks for <supporting> us!");
    await h.press(w.owner, summary.message_id, buttonData(summary, "✅ Confirm"));
    expect(h.last(w.owner).plainText).toContain("Done!");

    const [row] = await h.db.db
      .select()
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(w.closed)));
    expect(row).toMatchObject({
      ownerTelegramId: BigInt(w.owner),
      openChatId: BigInt(w.open),
      closedTitle: "Olga's VIP <Club>",
      payoutCurrency: "usdt",
      payoutNetwork: "trx",
      donationMessage: "Thanks for <supporting> us!",
      notificationsEnabled: true,
      status: "active",
    });
    const rows = await h.db.db
      .select()
      .from(tiers)
      .where(eq(tiers.channelId, row!.id))
      .orderBy(tiers.position);
    expect(rows.map((t) => [t.price, t.durationDays, t.label])).toEqual([
      ["9.99", 30, "Monthly"],
      ["49", 180, "Half a year"],
    ]);
    const events = await h.db.db.select().from(outbox).where(eq(outbox.topic, "channel.publish_requested"));
    expect(events.some((e) => (e.payload as { channelId: number }).channelId === row!.id)).toBe(true);
    const audits = await h.db.db.select().from(auditLog).where(eq(auditLog.channelId, row!.id));
    expect(audits.map((a) => a.action)).toContain("channel.created");
    // Rights were asked of Telegram, for the owner and for the bot.
    const asked = h.tg.callsOf("getChatMember").filter((c) => Number(c.params.chat_id) === w.closed);
    expect(asked.map((c) => Number(c.params.user_id))).toEqual(expect.arrayContaining([w.owner, h.tg.botId]));
  });

  it("refuses an owner who is not an administrator of the channel", async () => {
    const w = world();
    h.tg.setChatMember(w.open, w.owner, "member");
    await w.say("/newchannel");
    await w.say("", { forwardFromChat: w.open });
    expect(h.last(w.owner).plainText).toContain("You are not an administrator of Olga's News");
    // Still on the same step: the next valid answer is accepted.
    h.tg.setChatMember(w.open, w.owner, "administrator", { can_post_messages: true });
    await w.say("", { forwardFromChat: w.open });
    expect(h.last(w.owner).plainText).toContain("Step 2 of 7");
  });

  it("refuses when the bot lacks the rights it needs in the closed channel", async () => {
    const w = world();
    h.tg.setChatMember(w.closed, h.tg.botId, "administrator", {
      can_post_messages: true,
      can_invite_users: true,
    });
    await w.say("/newchannel");
    await w.say(String(w.open));
    await w.say(String(w.closed));
    const refusal = h.last(w.owner).plainText!;
    expect(refusal).toContain("missing these rights: Ban users");
    expect(
      await h.db.db
        .select()
        .from(channels)
        .where(eq(channels.closedChatId, BigInt(w.closed))),
    ).toHaveLength(0);
  });

  it("refuses a channel someone else already registered", async () => {
    const other = await seedChannel(h);
    const w = world();
    h.tg.setChatMember(other.openChat, w.owner, "administrator", { can_post_messages: true });
    await w.say("/newchannel");
    await w.say("", { forwardFromChat: other.openChat });
    expect(h.last(w.owner).plainText).toContain("already registered by someone else");
    const [row] = await h.db.db.select().from(channels).where(eq(channels.id, other.channel.id));
    expect(row!.ownerTelegramId).toBe(BigInt(other.owner));
  });

  it("re-checks rights on confirm: rights lost while typing stop the registration", async () => {
    const w = world();
    const summary = await runToConfirm(w);
    h.tg.setChatMember(w.closed, w.owner, "member");
    await h.press(w.owner, summary.message_id, buttonData(summary, "✅ Confirm"));
    expect(h.last(w.owner).plainText).toContain("You are not an administrator of Olga's VIP <Club>");
    expect(
      await h.db.db
        .select()
        .from(channels)
        .where(eq(channels.closedChatId, BigInt(w.closed))),
    ).toHaveLength(0);
  });

  it("a bot restart mid-conversation continues where the owner left off", async () => {
    const w = world();
    await w.say("/newchannel");
    await w.say("", { forwardFromChat: w.open });
    await w.say("", { forwardFromChat: w.closed });
    expect(h.last(w.owner).plainText).toContain("Step 3 of 7");

    await h.restart(); // a new Bot instance on the same database

    await w.say("5:7:Week");
    expect(h.last(w.owner).plainText).toContain("Step 4 of 7");
    await w.say("TQ9xWalletAddress0000000000000003fAb");
    await w.say("btc");
    await w.say("skip");
    await w.say("no");
    const summary = h.last(w.owner);
    expect(summary.plainText).toContain("Week — $5.00 for 7 days");
    expect(summary.plainText).toContain("Payment notifications: off");
    await h.press(w.owner, summary.message_id, buttonData(summary, "✅ Confirm"));
    const [row] = await h.db.db
      .select()
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(w.closed)));
    expect(row).toMatchObject({ payoutCurrency: "btc", notificationsEnabled: false, donationMessage: "" });
  });

  it("bad input gets a clear reason and changes nothing", async () => {
    const w = world();
    await w.say("/newchannel");
    await w.say("my channel please");
    expect(h.last(w.owner).plainText).toContain("forward me a post");
    await w.say("", { forwardFromChat: w.open });
    await w.say("", { forwardFromChat: w.open });
    expect(h.last(w.owner).plainText).toContain("must be a different channel");
    await w.say("", { forwardFromChat: w.closed });
    await w.say("9.999:30:Monthly");
    expect(h.last(w.owner).plainText).toContain("Line 1");
    await w.say("/cancel");
    expect(h.last(w.owner).plainText).toContain("Cancelled");
    await w.say("9.99:30:Monthly");
    expect(h.last(w.owner).plainText).toContain("I didn't catch that");
  });
});
