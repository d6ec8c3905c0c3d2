import { broadcastDeliveries, broadcasts, outbox, subscriptions } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  buttons,
  type Harness,
  seedChannel,
  seedSubscription,
  startHarness,
  uniqueId,
} from "./harness.ts";

/** The owner's text, with markup a subscriber must see as typed (never parsed as HTML). */
const EVIL = `Sale <b>50%</b> & <a href="https://evil.example">free</a> </i>`;

describe("/broadcast: owners write to their subscribers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { broadcastsPerDay: 2 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A channel with 2 active and 1 expired subscriber (users who talked to the bot). */
  async function channelWithSubscribers() {
    const seeded = await seedChannel(h, { title: `News <${uniqueId()}>` });
    const subs = [uniqueId(), uniqueId(), uniqueId()];
    for (const id of subs) {
      h.tg.addUser({ id, first_name: `S${id}` });
      await h.say(id, "/help");
      await seedSubscription(h, { userId: id, channelId: seeded.channel.id, days: 10 });
    }
    await h.db.db
      .update(subscriptions)
      .set({ status: "expired" })
      .where(and(eq(subscriptions.channelId, seeded.channel.id), eq(subscriptions.userId, BigInt(subs[2]!))));
    await h.say(seeded.owner, "/help");
    return { ...seeded, subs };
  }

  const rowsOf = (channelId: number) =>
    h.db.db.select().from(broadcasts).where(eq(broadcasts.channelId, channelId));

  /** /broadcast → text → audience → preview; returns the confirmation message. */
  async function compose(owner: number, text: string, audience: "active" | "expired" | "all") {
    await h.say(owner, "/broadcast");
    expect(h.last(owner).plainText).toContain("Send me the message");
    await h.say(owner, text);
    const picker = h.last(owner);
    await h.press(owner, picker.message_id, `bc:a:${audience}`);
    return h.last(owner);
  }

  it("text → audience with counts → the exact preview and count → Send: the core records it, the message says starting", async () => {
    const { channel, owner } = await channelWithSubscribers();
    await h.say(owner, "/broadcast");
    const prompt = h.last(owner);
    // The channel title is escaped in the bot's own texts too.
    expect(prompt.text).toContain("News &lt;");
    await h.say(owner, EVIL);
    const picker = h.last(owner);
    expect(buttons(picker).map((b) => b.text)).toEqual([
      "Active subscribers (2)",
      "Expired subscribers (1)",
      "Everyone who paid (3)",
      "✏️ Change message",
      "✖️ Cancel",
    ]);
    await h.press(owner, picker.message_id, "bc:a:active");
    const all = h.botMessages(owner);
    const [preview, confirm] = all.slice(-2);
    // The preview is what a subscriber gets: the owner's markup shown as typed, escaped in the HTML.
    expect(preview!.plainText).toContain(EVIL);
    expect(preview!.text).toContain("Sale &lt;b&gt;50%&lt;/b&gt; &amp; &lt;a href=");
    expect(preview!.parse_mode).toBe("HTML");
    expect(confirm!.plainText).toContain("Send it to 2 people (active subscribers of News <");
    expect(await rowsOf(channel.id)).toHaveLength(0);

    await h.press(owner, confirm!.message_id, buttonData(confirm!, "✅ Send"));
    const [row] = await rowsOf(channel.id);
    expect(row).toMatchObject({
      text: EVIL,
      audience: "active",
      total: 2,
      status: "sending",
      photoFileId: null,
      requestedBy: BigInt(owner),
      progressMessageId: confirm!.message_id,
    });
    const events = await h.db.db.select().from(outbox).where(eq(outbox.topic, "broadcast.requested"));
    expect(events.some((e) => (e.payload as { broadcastId: number }).broadcastId === row!.id)).toBe(true);
    // The confirmation became the progress message: "starting", with Stop.
    const progress = h.botMessages(owner).find((m) => m.message_id === confirm!.message_id)!;
    expect(progress.plainText).toContain("Starting the broadcast to News <");
    expect(buttons(progress)).toEqual([{ text: "✖️ Stop the broadcast", data: "bc:x", url: undefined }]);
    // The draft is gone: pressing Send again sends nothing more.
    expect(await rowsOf(channel.id)).toHaveLength(1);
  });

  it("Stop cancels through the core: the rest is never sent, the message shows it stopped", async () => {
    const { channel, owner } = await channelWithSubscribers();
    const confirm = await compose(owner, "Tonight at 8", "all");
    await h.press(owner, confirm.message_id, "bc:s");
    const [row] = await rowsOf(channel.id);
    expect(row!.total).toBe(3);
    await h.press(owner, confirm.message_id, "bc:x");
    const [after] = await rowsOf(channel.id);
    expect(after!.status).toBe("cancelled");
    const left = await h.db.db
      .select()
      .from(broadcastDeliveries)
      .where(eq(broadcastDeliveries.broadcastId, row!.id));
    expect(left.map((d) => d.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    const shown = h.botMessages(owner).find((m) => m.message_id === confirm.message_id)!;
    expect(shown.plainText).toContain("stopped");
    expect(shown.plainText).toContain("Delivered: 0 of 3");
    expect(buttons(shown)).toEqual([]);
    const answer = h.tg.callsOf("answerCallbackQuery").at(-1)!;
    expect(answer.params.text).toBe("Broadcast stopped");
  });

  it("forged presses by someone else are refused and change nothing", async () => {
    const { channel, owner } = await channelWithSubscribers();
    const confirm = await compose(owner, "Owner only", "active");
    await h.press(owner, confirm.message_id, "bc:s");
    const [row] = await rowsOf(channel.id);
    const mallory = uniqueId();
    h.tg.addUser({ id: mallory, first_name: "Mallory" });
    await h.say(mallory, "/help");
    const forged = (data: string, messageId = confirm.message_id) =>
      h.deliver(
        h.tg.injectUpdate({
          callback_query: {
            id: String(uniqueId()),
            from: { id: mallory, is_bot: false, first_name: "Mallory" },
            message: {
              message_id: messageId,
              date: 0,
              chat: { id: mallory, type: "private", first_name: "Mallory" },
            },
            chat_instance: "1",
            data,
          },
        }),
      );
    for (const data of ["bc:x", "bc:s", "bc:a:all", "bc:a", "bc:w", `bc:c:${channel.id}`])
      expect(await forged(data)).toBe(200);
    const [after] = await rowsOf(channel.id);
    expect(after).toMatchObject({ id: row!.id, status: "sending", total: row!.total });
    expect(await rowsOf(channel.id)).toHaveLength(1);
    const pending = await h.db.db
      .select()
      .from(broadcastDeliveries)
      .where(and(eq(broadcastDeliveries.broadcastId, row!.id), eq(broadcastDeliveries.status, "pending")));
    expect(pending).toHaveLength(row!.total);
    // Mallory was told no, and got no draft of the owner's channel.
    expect(h.botMessages(mallory).some((m) => /Send me the message/.test(m.plainText ?? ""))).toBe(false);
    // /broadcast by someone without channels: nothing to write to.
    await h.say(mallory, "/broadcast");
    expect(h.last(mallory).plainText).toContain("You have no channels yet");
  });

  it("a photo with a caption is previewed with sendPhoto and broadcast with its file_id", async () => {
    const { channel, owner } = await channelWithSubscribers();
    await h.say(owner, "/broadcast");
    const update = h.tg.sendUserMessage({ from: owner, text: "New <season> & more", photo: true });
    const fileId = (update.message as { photo: { file_id: string }[] }).photo.at(-1)!.file_id;
    expect(await h.deliver(update)).toBe(200);
    await h.press(owner, h.last(owner).message_id, "bc:a:expired");
    const preview = h.tg.callsOf("sendPhoto").at(-1)!;
    expect(preview.ok).toBe(true);
    expect(preview.params).toMatchObject({ chat_id: owner, photo: fileId, parse_mode: "HTML" });
    expect(String(preview.params.caption)).toContain("New &lt;season&gt; &amp; more");
    const confirm = h.last(owner);
    expect(confirm.plainText).toContain("Send it to 1 person (expired subscribers");
    await h.press(owner, confirm.message_id, "bc:s");
    const [row] = await rowsOf(channel.id);
    expect(row).toMatchObject({
      photoFileId: fileId,
      text: "New <season> & more",
      audience: "expired",
      total: 1,
    });
  });

  it("refuses what it cannot send: too long, a sticker; the draft survives a restart", async () => {
    const { channel, owner } = await channelWithSubscribers();
    await h.say(owner, "/broadcast");
    await h.say(owner, "x".repeat(3801));
    expect(h.last(owner).plainText).toContain("That is 3,801 characters");
    await h.deliver(
      h.tg.injectUpdate({
        message: {
          message_id: 99_999,
          date: 0,
          chat: { id: owner, type: "private", first_name: "Olga" },
          from: { id: owner, is_bot: false, first_name: "Olga" },
          sticker: { file_id: "CAACsticker", file_unique_id: "u", type: "regular", width: 1, height: 1 },
        },
      }),
    );
    expect(h.last(owner).plainText).toContain("I can send text, or one photo with a caption");
    await h.say(owner, "Short and sweet");
    const picker = h.last(owner);
    // Another instance (or a restart) continues from the draft in the database.
    await h.restart();
    await h.press(owner, picker.message_id, "bc:a:active");
    expect(h.last(owner).plainText).toContain("Send it to 2 people");
    await h.press(owner, h.last(owner).message_id, "bc:q");
    expect(h.last(owner).plainText).toContain("Broadcast cancelled. Nothing was sent.");
    expect(await rowsOf(channel.id)).toHaveLength(0);
  });

  it("the daily limit is said clearly, at the start and at Send", async () => {
    const { channel, owner } = await channelWithSubscribers();
    // Two drafts composed side by side would both pass the first check: Send checks again.
    const first = await compose(owner, "One", "active");
    await h.press(owner, first.message_id, "bc:s");
    const second = await compose(owner, "Two", "active");
    await h.db.db.insert(broadcasts).values({
      channelId: channel.id,
      requestedBy: BigInt(owner),
      text: "from the CLI",
      status: "done",
    });
    await h.press(owner, second.message_id, "bc:s");
    const refused = h.botMessages(owner).find((m) => m.message_id === second.message_id)!;
    expect(refused.plainText).toContain("has already sent 2 broadcasts in the last 24 hours");
    expect(buttons(refused)).toEqual([]);
    expect(await rowsOf(channel.id)).toHaveLength(2);
    await h.say(owner, "/broadcast");
    expect(h.last(owner).plainText).toContain("has already sent 2 broadcasts in the last 24 hours");
  });

  it("the /mychannels panel has a Broadcast button that starts the same flow", async () => {
    const { channel, owner } = await channelWithSubscribers();
    await h.say(owner, "/mychannels");
    await h.press(owner, h.last(owner).message_id, `mc:o:${channel.id}`);
    const panel = h.last(owner);
    await h.press(owner, panel.message_id, buttonData(panel, "📣 Broadcast"));
    expect(h.last(owner).plainText).toContain("Send me the message");
  });
});
