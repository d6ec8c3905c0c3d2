import { deadLetters, tiers, users } from "@telepay/db";
import {
  createInProcessBus,
  createOutboxRelay,
  deadLettersToDatabase,
  type OutboxRelay,
} from "@telepay/events";
import { createApp as createNotifier, type NotifierApp } from "@telepay/notifier";
import { createTelegramApi, type TelegramApi } from "@telepay/telegram";
import { type BotApiEmulator, seedChannel, startBotApiEmulator } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, runTelepayInProcess } from "./helpers.ts";

// `channel publish` and `subscription grant|revoke` wait for what the notifier made of the work
// (event_outcomes, dead letters) and exit with the truth. A real notifier consumes here, through
// the in-process bus and an outbox relay polling the same database the CLI (runCli in this
// process) writes to.

const OWNER = 4_500_001;
const USER = 4_500_002;
const OPEN = -1_004_500_000_001;
const CLOSED = -1_004_500_000_002;
/** A channel whose open chat Telegram does not know (the bot was never added there). */
const GHOST_OPEN = -1_004_500_000_003;
const GHOST_CLOSED = -1_004_500_000_004;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

let backend: CliBackend;
let tg: BotApiEmulator;
let api: TelegramApi;
let notifier: NotifierApp;
let relay: OutboxRelay;
let channelId: number;
let ghostChannelId: number;
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);

async function addChannel(open: number, closed: number): Promise<number> {
  const { channel } = await seedChannel(backend.database, {
    ownerTelegramId: BigInt(OWNER),
    values: {
      openChatId: BigInt(open),
      closedChatId: BigInt(closed),
      openTitle: "Open",
      closedTitle: "Closed",
      payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
    },
    tiers: [{ price: "9.99", durationDays: 30, label: "Monthly" }],
  });
  return channel.id;
}

beforeAll(async () => {
  backend = await createCliBackend();
  tg = await startBotApiEmulator();
  tg.addUser({ id: OWNER, first_name: "Owner" });
  tg.addChat({ id: OWNER, type: "private" });
  tg.addUser({ id: USER, first_name: "Sub" });
  tg.addChat({ id: USER, type: "private" });
  tg.addChat({ id: OPEN, type: "channel", title: "Open" });
  tg.addChat({ id: CLOSED, type: "channel", title: "Closed" });
  tg.addChat({ id: GHOST_CLOSED, type: "channel", title: "Ghost closed" });
  api = createTelegramApi({ token: tg.token, apiRoot: tg.apiRoot });
  const db = backend.database.db;
  await db.insert(users).values({ telegramId: BigInt(OWNER), firstName: "Owner" });
  channelId = await addChannel(OPEN, CLOSED);
  ghostChannelId = await addChannel(GHOST_OPEN, GHOST_CLOSED);
  const bus = createInProcessBus({ logger: silent, onDeadLetter: deadLettersToDatabase(db, silent) });
  relay = createOutboxRelay({ db, bus, logger: silent });
  notifier = await createNotifier({
    db: backend.database,
    bus,
    api,
    relay,
    logger: silent,
    config: {
      botUsername: tg.botUsername,
      reminderDays: [3, 1],
      sweepBatchSize: 100,
      signingSecret: "cli-outcomes-signing-secret-0123456789",
      allowedIps: ["127.0.0.1"],
      redriveIntervalMs: 0,
    },
  });
  await notifier.start();
  relay.start(200);
}, 120_000);

afterAll(async () => {
  await relay?.stop();
  await notifier?.stop();
  api?.sender.close();
  await tg?.stop();
  await backend?.close();
});

describe("channel publish waits for Telegram's answer", { timeout: 120_000 }, () => {
  it("posts and says what it did, exit 0", async () => {
    const r = await telepay("channel", "publish", String(channelId), "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      channelId,
      outcome: "ok",
      details: { tiers: "created", donation: "created" },
    });
    expect(tg.messages(OPEN).length).toBe(1);
    const again = await telepay("channel", "publish", String(channelId));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Published channel \d+: tiers post unchanged, donation post unchanged/);
  });

  it("a chat Telegram does not know: exit 1 with Telegram's reason, at once, asked once", async () => {
    const before = tg.callsOf("sendMessage").filter((c) => String(c.params.chat_id) === String(GHOST_OPEN));
    const started = Date.now();
    const r = await telepay("channel", "publish", String(ghostChannelId), "--only", "tiers");
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/publishing channel \d+ failed: .*Bad Request: chat not found/);
    const after = tg.callsOf("sendMessage").filter((c) => String(c.params.chat_id) === String(GHOST_OPEN));
    expect(after.length - before.length).toBe(1);
    // Eight redeliveries with backoff take well over 6 s; one answer is quick even on a slow machine.
    expect(elapsed).toBeLessThan(20_000);
  });

  it("a permanent 400 is dead-lettered at once with its reason; a transient 502 is retried", async () => {
    tg.failNext("editMessageText", {
      kind: "api",
      code: 400,
      description: "Bad Request: can't parse entities",
    });
    await backend.database.db
      .update(tiers)
      .set({ label: "Monthly plan" })
      .where(eq(tiers.channelId, channelId));
    const r = await telepay("channel", "publish", String(channelId), "--only", "tiers", "--json");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed: Bad Request: can't parse entities/);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      outcome: "failed",
      reason: "Bad Request: can't parse entities (editMessageText)",
    });
    const [dead] = await backend.database.db
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.eventId, out.eventId));
    expect(dead).toMatchObject({ attempts: 1 });
    expect(dead!.reason).toMatch(/can't parse entities/);

    // 502 twice, then Telegram answers: the work is retried and succeeds.
    tg.failNext("editMessageText", { kind: "5xx", status: 502 }, 2);
    const ok = await telepay("channel", "publish", String(channelId), "--only", "tiers", "--json");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: "ok", details: { tiers: "edited" } });

    const status = await telepay("events", "status", out.eventId);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/failed — Bad Request: can't parse entities/);
  });
});

describe("subscription grant|revoke wait for the notifier", { timeout: 120_000 }, () => {
  it("a grant that succeeds prints the invite outcome, exit 0", async () => {
    const r = await telepay(
      "subscription",
      "grant",
      "--channel",
      String(channelId),
      "--user",
      String(USER),
      "--days",
      "7",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Granted subscription \d+: user 4500002 .*; invite link sent by DM\.\n$/);
    expect(tg.inviteLinks(CLOSED).length).toBe(1);
    const dms = tg.messages(USER);
    expect(JSON.stringify(dms.at(-1))).toContain(tg.inviteLinks(CLOSED)[0]!.invite_link);
  });

  it("--no-wait returns at once with the event queued", async () => {
    const started = Date.now();
    const r = await telepay(
      "subscription",
      "extend",
      "--channel",
      String(channelId),
      "--user",
      String(USER),
      "--days",
      "3",
      "--no-wait",
      "--json",
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ action: "extend", outcome: "queued" });
    expect(out.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("revoke reports the removal; bad --timeout values change nothing", async () => {
    const bad = await telepay(
      "subscription",
      "revoke",
      "--channel",
      String(channelId),
      "--user",
      String(USER),
      "--timeout",
      "0",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--timeout must be a number of seconds/);
    const both = await telepay("channel", "publish", String(channelId), "--no-wait", "--timeout", "5");
    expect(both.code).toBe(2);
    const r = await telepay(
      "subscription",
      "revoke",
      "--channel",
      String(channelId),
      "--user",
      String(USER),
      "--json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: "revoked",
      outcome: "ok",
      details: { removal: "not_member" },
    });
  });

  it("a grant whose invite Telegram refuses exits 1 with the reason (the grant itself stays)", async () => {
    tg.failNext("createChatInviteLink", {
      kind: "api",
      code: 400,
      description: "Bad Request: not enough rights to manage chat invite links",
    });
    const r = await telepay(
      "subscription",
      "grant",
      "--channel",
      String(ghostChannelId),
      "--user",
      String(USER),
      "--days",
      "7",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^telepay: error: granted subscription \d+: .* but telling Telegram failed: no invite link for -1004500000004: .*not enough rights/,
    );
    const list = await telepay("subscription", "list", "--channel", String(ghostChannelId), "--json");
    expect(JSON.parse(list.stdout)).toMatchObject([{ userId: String(USER), status: "active" }]);
  });

  it("with no notifier running: --timeout gives up with 'still queued' and how to check", async () => {
    await relay.stop();
    await notifier.stop();
    const started = Date.now();
    const r = await telepay(
      "subscription",
      "grant",
      "--channel",
      String(channelId),
      "--user",
      "4500099",
      "--days",
      "7",
      "--timeout",
      "2",
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /still queued after 2 s \(it is still in the outbox.*check with: telepay events status [0-9a-f-]{36}/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
