import { serve } from "@hono/node-server";
import { accessGrants, deadLetters, orders, outbox, users } from "@telepay/db";
import { createInProcessBus, recordDeadLetter } from "@telepay/events";
import { createApp as createNotifier, type NotifierApp } from "@telepay/notifier";
import { createTelegramApi, type TelegramApi } from "@telepay/telegram";
import { type BotApiEmulator, payOrder, seedChannel, startBotApiEmulator } from "@telepay/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, type RunResult, runTelepayInProcess } from "./helpers.ts";

const SECRET = "cli-recovery-signing-secret-0123456789";
const OWNER = 4_400_001;
const CLOSED = -1_004_400_000_002;

let backend: CliBackend;
let tg: BotApiEmulator;
let api: TelegramApi;
let notifier: NotifierApp;
let server: ReturnType<typeof serve>;
let notifierUrl: string;
let channelId: number;
let tierId: number;
const telepay = (...args: string[]) =>
  runTelepayInProcess(args, { ...backend.env, NOTIFIER_URL: notifierUrl, WEBHOOK_SIGNING_SECRET: SECRET });

function json(result: RunResult) {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  backend = await createCliBackend();
  tg = await startBotApiEmulator();
  tg.addUser({ id: OWNER, first_name: "Owner" });
  tg.addChat({ id: OWNER, type: "private" });
  tg.addChat({ id: CLOSED, type: "channel", title: "Closed" });
  api = createTelegramApi({ token: tg.token, apiRoot: tg.apiRoot });
  const db = backend.database.db;
  await db.insert(users).values({ telegramId: BigInt(OWNER), firstName: "Owner" });
  const { channel, tier } = await seedChannel(db, {
    ownerTelegramId: BigInt(OWNER),
    values: {
      openChatId: -1_004_400_000_001n,
      closedChatId: BigInt(CLOSED),
      openTitle: "",
      closedTitle: "Closed",
      payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
    },
    tiers: [{ price: "9.99", durationDays: 30, label: "Monthly" }],
  });
  channelId = channel.id;
  tierId = tier.id;
  // The notifier the CLI asks to re-drive (no timer: only the CLI's request delivers here).
  notifier = await createNotifier({
    db: backend.database,
    bus: createInProcessBus(),
    api,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    config: {
      botUsername: tg.botUsername,
      reminderDays: [3, 1],
      sweepBatchSize: 100,
      signingSecret: SECRET,
      allowedIps: ["127.0.0.1", "::1"],
      redriveIntervalMs: 0,
    },
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: notifier.app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      notifierUrl = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
}, 120_000);

afterAll(async () => {
  server?.close();
  await notifier?.stop();
  api?.sender.close();
  await tg?.stop();
  await backend?.close();
});

let seq = 0;
/** A subscriber's order, paid through the real payment writer (so its grant is owed). */
async function paidOrder(userId: number, options: { pay?: boolean } = {}) {
  tg.addUser({ id: userId, first_name: `U${userId}` });
  tg.addChat({ id: userId, type: "private" });
  const db = backend.database.db;
  await db
    .insert(users)
    .values({ telegramId: BigInt(userId) })
    .onConflictDoNothing();
  const reference = `cli_rec_${++seq}_${userId}`;
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: BigInt(userId),
      channelId,
      tierId,
      amount: "9.99",
      currency: "USD",
      durationDays: 30,
      status: options.pay === false ? "finished" : "waiting",
      paidAt: options.pay === false ? new Date() : null,
    })
    .returning();
  if (options.pay !== false) {
    await payOrder(
      db,
      { reference, amount: "9.99" },
      { paymentId: `cli_pay_${order!.id}`, payAmount: "10", actuallyPaid: "10" },
    );
  }
  return order!;
}

describe("grants stuck / grants redrive", () => {
  it("lists paid orders without delivered access, and redrive delivers them through the notifier", async () => {
    const owed = await paidOrder(4_400_101);
    const failed = await paidOrder(4_400_102);
    const lost = await paidOrder(4_400_103, { pay: false }); // paid, but its grant was never recorded
    const db = backend.database.db;
    await db
      .update(accessGrants)
      .set({ state: "failed", lastError: "Bad Request: chat not found" })
      .where(eq(accessGrants.orderId, failed.id));

    const listed = json(await telepay("grants", "stuck", "--json")) as {
      orderReference: string;
      state: string | null;
      lastError: string | null;
    }[];
    expect(listed.map((g) => [g.orderReference, g.state])).toEqual([
      [owed.reference, "owed"],
      [failed.reference, "failed"],
      [lost.reference, null],
    ]);
    expect(listed[1]!.lastError).toBe("Bad Request: chat not found");
    const human = await telepay("grants", "stuck");
    expect(human.stdout).toContain("3 paid order(s) without delivered access");

    const result = json(await telepay("grants", "redrive", "--json"));
    expect(result).toMatchObject({ requeued: 3, delivered: 3, stillStuck: [] });
    for (const id of [4_400_101, 4_400_102, 4_400_103]) {
      expect(tg.messages(id).filter((m) => m.from_id === tg.botId)).toHaveLength(1);
    }
    expect(json(await telepay("grants", "stuck", "--json"))).toEqual([]);
    expect((await telepay("grants", "stuck")).stdout).toContain("Every paid order has its access.");
  });

  it("redrive of one order; unknown or unpaid orders are refused with a reason", async () => {
    const order = await paidOrder(4_400_104);
    const one = json(await telepay("grants", "redrive", order.reference, "--json"));
    expect(one).toMatchObject({ requeued: 1, delivered: 1 });
    const again = await telepay("grants", "redrive", order.reference);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already has its access");
    const unknown = await telepay("grants", "redrive", "no_such_order");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no order with reference 'no_such_order'");
  });

  it("says plainly when the notifier cannot be reached, and leaves the grant due", async () => {
    const order = await paidOrder(4_400_105);
    const result = await runTelepayInProcess(["grants", "redrive", order.reference], {
      ...backend.env,
      NOTIFIER_URL: "http://127.0.0.1:9",
      WEBHOOK_SIGNING_SECRET: SECRET,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("1 grant(s) are due again, but they were not delivered now");
    const [grant] = await backend.database.db
      .select()
      .from(accessGrants)
      .where(eq(accessGrants.orderId, order.id));
    expect(grant!.state).toBe("owed");
  });
});

describe("events dead-letters list / replay", () => {
  it("lists dead letters and replays one through the outbox; a bad payload is refused", async () => {
    const db = backend.database.db;
    const order = await paidOrder(4_400_106);
    const [row] = await db.select().from(outbox).where(eq(outbox.orderingKey, order.reference));
    await db.update(outbox).set({ publishedAt: sql`now()` }).where(eq(outbox.id, row!.id));
    await recordDeadLetter(db, {
      eventId: row!.eventId,
      topic: row!.topic,
      subscription: "notifier-payment-confirmed",
      orderingKey: order.reference,
      payload: row!.payload,
      reason: "handler answered retry",
      attempts: 8,
      source: "in-process",
    });
    await recordDeadLetter(db, {
      eventId: "00000000-0000-4000-8000-000000000001",
      topic: "payment.confirmed",
      subscription: "notifier-payment-confirmed",
      payload: { orderId: "not a number" },
      reason: "event payload fails its schema",
      attempts: 1,
      source: "pubsub-push",
    });
    const listed = json(await telepay("events", "dead-letters", "list", "--json")) as {
      id: number;
      eventId: string;
      reason: string;
    }[];
    expect(listed.map((d) => d.eventId).sort()).toEqual(
      [row!.eventId, "00000000-0000-4000-8000-000000000001"].sort(),
    );
    const good = listed.find((d) => d.eventId === row!.eventId)!;
    const replayed = json(await telepay("events", "dead-letters", "replay", String(good.id), "--json"));
    expect(replayed).toEqual([expect.objectContaining({ id: good.id, outcome: "outbox" })]);
    const [reopened] = await db.select().from(outbox).where(eq(outbox.id, row!.id));
    expect(reopened!.publishedAt).toBeNull();
    // The rest: the bad one is refused, named, and stays listed.
    const rest = await telepay("events", "dead-letters", "replay");
    expect(rest.code).toBe(1);
    expect(rest.stdout).toContain("refused (its payload fails the topic's schema)");
    const left = json(await telepay("events", "dead-letters", "list", "--json")) as { eventId: string }[];
    expect(left.map((d) => d.eventId)).toEqual(["00000000-0000-4000-8000-000000000001"]);
    expect((await db.select().from(deadLetters)).length).toBe(2);
    const missing = await telepay("events", "dead-letters", "replay", String(good.id));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no dead letter ${good.id} waiting for a replay`);
  });
});

describe("sweep --dry-run and the real sweep", () => {
  it("agree: every reminder and removal the dry run lists is what the real sweep then does", async () => {
    // A short grant (2 days): its 3-day reminder time is before it started, so the real sweep never
    // sends it. The dry run used to list it ("Would remind (1)") while the sweep reminded nobody.
    const user = 4_400_900;
    tg.addUser({ id: user, first_name: "Short" });
    tg.addChat({ id: user, type: "private" });
    json(
      await telepay(
        "subscription",
        "grant",
        "--channel",
        String(channelId),
        "--user",
        String(user),
        "--days",
        "2",
        "--no-wait",
        "--json",
      ),
    );
    const dry = json(await telepay("sweep", "--dry-run", "--json"));
    const real = json(await telepay("sweep", "--json"));
    const mine = (list: { userId: string }[]) => list.filter((s) => s.userId === String(user));
    expect(mine(dry.reminders)).toHaveLength(real.result.reminded);
    expect(dry.reminders).toHaveLength(real.result.reminded);
    expect(dry.removals).toHaveLength(real.result.removed + real.result.alreadyGone + real.result.failed);
  }, 60_000);
});
