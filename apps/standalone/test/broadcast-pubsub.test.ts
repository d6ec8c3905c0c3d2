import { randomBytes } from "node:crypto";
import { createApp as createBotGateway } from "@telepay/bot-gateway";
import { createBroadcasts, tallyBroadcast } from "@telepay/commerce";
import { subscriptions, users } from "@telepay/db";
import { createOutboxRelay, createPubSubBus, type OutboxRelay, type PubSubBus } from "@telepay/events";
import { createApp as createNotifier, type NotifierApp } from "@telepay/notifier";
import { createNowPaymentsClient } from "@telepay/payments";
import { createTelegramApi } from "@telepay/telegram";
import {
  type BotApiEmulator,
  createTestDatabase,
  type StoredMessage,
  seedChannel,
  startBotApiEmulator,
  type TestDatabase,
  type Update,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * /broadcast end to end: the bot records it through the core, the outbox relay publishes
 * broadcast.requested on the Pub/Sub emulator, the notifier delivers it and edits the owner's one
 * progress message; Stop in that message cancels through the core while delivery runs.
 */
const pubsubHost = process.env.PUBSUB_EMULATOR_HOST;
if (!pubsubHost)
  console.warn("broadcast Pub/Sub test SKIPPED: PUBSUB_EMULATOR_HOST is not set (CI sets it).");

const SECRET = "broadcast-webhook-secret";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let nextId = 8_800_000;
const uid = () => ++nextId;

describe.skipIf(!pubsubHost)("/broadcast over the Pub/Sub emulator", () => {
  let db: TestDatabase;
  let tg: BotApiEmulator;
  let bus: PubSubBus;
  /** The notifier's own connection, as in its own process (a restart opens a new one). */
  let notifierBus: PubSubBus;
  let relay: OutboxRelay;
  let notifier: NotifierApp;
  let bot: Awaited<ReturnType<typeof createBotGateway>>;
  let api: ReturnType<typeof createTelegramApi>;
  const prefix = `bcast-${randomBytes(4).toString("hex")}-`;

  let reconnect: () => Promise<PubSubBus>;
  const core = () => createBroadcasts({ db: db.db });

  const makeNotifier = () =>
    createNotifier({
      db,
      bus: notifierBus,
      api,
      relay,
      logger: silent,
      config: {
        botUsername: tg.botUsername,
        reminderDays: [3, 1],
        sweepBatchSize: 1000,
        signingSecret: "a-signing-secret-of-some-length",
        allowedIps: ["127.0.0.1"],
        // Edited every 2 deliveries, so the test sees the message move.
        broadcastProgressEvery: 2,
        broadcastConcurrency: 2,
        redriveIntervalMs: 0,
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase(process.env.TEST_DATABASE_URL);
    tg = await startBotApiEmulator();
    // Paced at 25 messages a second (as the shared sender paces Telegram's 30/s), so Stop can land
    // while delivery runs.
    api = createTelegramApi({
      token: tg.token,
      apiRoot: tg.apiRoot,
      limits: { globalPerSecond: 25, perChatPerSecond: 100, perGroupPerMinute: 1000 },
    });
    const connect = () =>
      createPubSubBus({
        projectId: "telepay-test",
        apiEndpoint: pubsubHost!,
        topicPrefix: prefix,
        subscriptionPrefix: prefix,
        createIfMissing: true,
        closeTimeoutMs: 3_000,
        logger: silent,
      });
    reconnect = connect;
    bus = await connect();
    notifierBus = await connect();
    relay = createOutboxRelay({ db: db.db, bus, logger: silent });
    relay.start(200);
    notifier = await makeNotifier();
    await notifier.start();
    bot = await createBotGateway({
      db,
      api,
      relay,
      payments: createNowPaymentsClient({ apiKey: "unused", baseUrl: "http://127.0.0.1:9" }),
      logger: silent,
      config: {
        token: tg.token,
        apiRoot: tg.apiRoot,
        mode: "webhook",
        webhookSecret: SECRET,
        publicBaseUrl: "https://pay.example.test",
        botUsername: tg.botUsername,
        broadcastsPerDay: 5,
      },
    });
  });

  afterAll(async () => {
    await notifier?.stop();
    await bot?.stop();
    await relay?.stop();
    await notifierBus?.close();
    await bus?.close();
    await tg?.stop();
    await db?.close();
  });

  const deliver = async (update: Update) => {
    const res = await bot.app.request("/telegram/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
  };
  const say = (from: number, text: string) => deliver(tg.sendUserMessage({ from, text }));
  const press = (from: number, messageId: number, data: string) =>
    deliver(tg.pressButton({ from, messageId, data }));
  const botMessages = (chatId: number) =>
    tg.messages(chatId).filter((m) => m.from_id === tg.botId && !m.deleted);
  const last = (chatId: number): StoredMessage => botMessages(chatId).at(-1)!;

  /** A channel with `n` active subscribers who started the bot; returns their ids. */
  async function channelWith(n: number) {
    const owner = uid();
    tg.addUser({ id: owner, first_name: "Olga" });
    await say(owner, "/help");
    const { channel } = await seedChannel(db, {
      ownerTelegramId: BigInt(owner),
      values: {
        openChatId: BigInt(-1_001_000_000_000 - uid()),
        closedChatId: BigInt(-1_001_000_000_000 - uid()),
        openTitle: "Open",
        closedTitle: `Club <${owner}>`,
        payoutWallet: "TQ9xWalletAddress0000000000000003fAb",
      },
    });
    // The rights check at Send asks Telegram: the owner created both chats, the bot is an admin.
    for (const chatId of [channel.openChatId, channel.closedChatId]) {
      tg.addChat({ id: Number(chatId), type: "channel", title: "Chat" });
      tg.setChatMember(Number(chatId), owner, "creator");
    }
    const subs = Array.from({ length: n }, uid);
    await db.db.insert(users).values(subs.map((id) => ({ telegramId: BigInt(id), firstName: `S${id}` })));
    for (const id of subs) tg.addChat({ id, type: "private" });
    const now = Date.now();
    await db.db.insert(subscriptions).values(
      subs.map((id) => ({
        userId: BigInt(id),
        channelId: channel.id,
        startsAt: new Date(now),
        expiresAt: new Date(now + 10 * 86_400_000),
        nextCheckAt: new Date(now + 7 * 86_400_000),
      })),
    );
    return { owner, channel: channel!, subs };
  }

  /** /broadcast → text → active → Send; returns the message that became the progress message. */
  async function send(owner: number, text: string) {
    await say(owner, "/broadcast");
    await say(owner, text);
    await press(owner, last(owner).message_id, "bc:a:active");
    const confirm = last(owner);
    await press(owner, confirm.message_id, "bc:s");
    const row = await core().byProgressMessage(
      { kind: "owner", telegramId: BigInt(owner) },
      confirm.message_id,
    );
    return { confirm, broadcastId: row!.id };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const got = await probe();
      if (got !== undefined) return got;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const statusOf = async (id: number) => (await core().status({ kind: "system" }, id)).status;
  const tally = (id: number) => tallyBroadcast(db.db, id);

  it("delivers to every subscriber and edits one progress message to the final sent / blocked / failed", async () => {
    const { owner, subs } = await channelWith(12);
    tg.blockBot(subs[3]!);
    tg.blockBot(subs[7]!);
    const ownerMessagesBefore = botMessages(owner).length;
    const text = "Live tonight <b>8pm</b> & after";
    const { confirm, broadcastId } = await send(owner, text);
    await until("the broadcast to finish", async () =>
      (await statusOf(broadcastId)) === "done" ? true : undefined,
    );
    const progress = await until("the final figures", async () => {
      const m = botMessages(owner).find((x) => x.message_id === confirm.message_id)!;
      return /finished/.test(m.plainText ?? "") ? m : undefined;
    });
    expect(progress.plainText).toContain("Delivered: 10 of 12");
    expect(progress.plainText).toContain("Blocked the bot or left Telegram: 2");
    expect(progress.plainText).toContain("Failed: 0");
    expect(progress.reply_markup).toBeUndefined();
    // Edited as delivery went on (every 2 deliveries), never a second message to the owner.
    expect(progress.edits.length).toBeGreaterThan(3);
    expect(botMessages(owner).length).toBe(ownerMessagesBefore + 4); // prompt, audience, preview, this one
    for (const [i, id] of subs.entries()) {
      const got = botMessages(id);
      expect(got).toHaveLength(i === 3 || i === 7 ? 0 : 1);
      if (got[0]) expect(got[0].plainText).toContain(text);
    }
    expect(await tally(broadcastId)).toMatchObject({ sent: 10, blocked: 2, failed: 2, pending: 0 });
  });

  it("Stop midway cancels through the core: delivery stops, the message shows where it stopped", async () => {
    const { owner, subs } = await channelWith(120);
    const { confirm, broadcastId } = await send(owner, "Flash sale");
    const delivered = () =>
      tg.callsOf("sendMessage").filter((c) => c.ok && subs.includes(Number(c.params.chat_id))).length;
    await until("some deliveries", async () => (delivered() >= 6 ? true : undefined));
    await press(owner, confirm.message_id, "bc:x");
    expect(await statusOf(broadcastId)).toBe("cancelled");
    expect(tg.callsOf("answerCallbackQuery").at(-1)!.params.text).toBe("Broadcast stopped");
    // At most a second's worth more (the notifier looks once a second), then nothing.
    await until("the workers to let go", async () => {
      const t = await tally(broadcastId);
      return t.sending + t.pending > 0 ? undefined : t;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const sentCalls = delivered();
    expect(sentCalls).toBeLessThan(120);
    const t = await tally(broadcastId);
    const sent = t.sent;
    expect(sent).toBe(sentCalls);
    expect(t.cancelled).toBe(120 - sent);
    const shown = await until("the stopped figures", async () => {
      const m = botMessages(owner).find((x) => x.message_id === confirm.message_id)!;
      return m.plainText?.includes(`Delivered: ${sent} of 120`) ? m : undefined;
    });
    expect(shown.plainText).toContain("stopped");
    expect(shown.reply_markup).toBeUndefined();
  });

  it("a notifier stopped mid-broadcast hands its rows back; the next one finishes in the same message", async () => {
    const { owner, subs } = await channelWith(80);
    const { confirm, broadcastId } = await send(owner, "Resume me");
    const delivered = () =>
      tg.callsOf("sendMessage").filter((c) => c.ok && subs.includes(Number(c.params.chat_id))).length;
    await until("some deliveries", async () => (delivered() >= 4 ? true : undefined));
    await notifier.stop();
    await notifierBus.close();
    expect(delivered()).toBeLessThan(80);
    notifierBus = await reconnect();
    notifier = await makeNotifier();
    await notifier.start();
    await until(
      "the broadcast to finish",
      async () => ((await statusOf(broadcastId)) === "done" ? true : undefined),
      30_000,
    );
    for (const id of subs) expect(botMessages(id)).toHaveLength(1);
    const progress = await until("the final figures", async () => {
      const m = botMessages(owner).find((x) => x.message_id === confirm.message_id)!;
      return /finished/.test(m.plainText ?? "") ? m : undefined;
    });
    expect(progress.plainText).toContain("Delivered: 80 of 80");
  });
});
