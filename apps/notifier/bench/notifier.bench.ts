/**
 * pnpm bench:notifier — figures for the closing note. Needs Postgres (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test); each part uses a fresh database.
 *
 * (a) payment committed → invite DM sent, end to end in one process (outbox → relay → in-process
 *     bus → notifier → sender → Bot API emulator) at 50 payments/s: p50/p99. Each payment needs
 *     an invite link + a DM, i.e. 100 Telegram writes/s, more than Telegram's 30/s, so this part
 *     raises both the sender's and the emulator's limits (it measures our pipeline, not Telegram).
 * (b) sender throughput against the emulator enforcing Telegram's real limits (30/s global, 1/s
 *     per chat): achieved/allowed steady-state rate, and 429s seen.
 * (c) sweep claim over 1,000,000 subscriptions of which 10,000 are due: time per claimed batch of
 *     1,000 and the EXPLAIN of the claim statement (index, not a scan).
 */
import { randomUUID } from "node:crypto";
import { channels, orders, tiers, users } from "@telepay/db";
import { createInProcessBus, createOutboxRelay, enqueue } from "@telepay/events";
import { createTelegramApi } from "@telepay/telegram";
import { createTestDatabase, startBotApiEmulator } from "@telepay/testing";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Ctx } from "../src/context.ts";
import { createApp } from "../src/index.ts";
import { claimDueStatement } from "../src/sweep.ts";

const URL_ =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function endToEnd() {
  const RATE = 50;
  const N = Number(process.env.BENCH_E2E_PAYMENTS ?? 500);
  const limits = { globalPerSecond: 1000, perChatPerSecond: 10, perGroupPerMinute: 10_000 };
  const db = await createTestDatabase(URL_);
  const emulator = await startBotApiEmulator({ enforceLimits: limits });
  const api = createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot, limits });
  const bus = createInProcessBus({ logger: quiet });
  const relay = createOutboxRelay({ db: db.db, bus, logger: quiet, batchSize: 100 });
  const app = await createApp({
    db,
    bus,
    api,
    relay,
    logger: quiet,
    config: {
      botUsername: emulator.botUsername,
      reminderDays: [3, 1],
      sweepBatchSize: 1000,
      signingSecret: "bench-secret-0123456789",
      push: { verifyOidc: false },
    },
  });
  emulator.addChat({ id: -100500, type: "channel", title: "Closed" });
  emulator.addChat({ id: -100501, type: "channel", title: "Open" });
  await db.db.insert(users).values({ telegramId: 1n });
  const [ch] = await db.db
    .insert(channels)
    .values({
      ownerTelegramId: 1n,
      openChatId: -100501n,
      closedChatId: -100500n,
      closedTitle: "Closed",
      payoutWallet: "W",
      payoutCurrency: "usdt",
      notificationsEnabled: false,
    })
    .returning();
  const [tier] = await db.db
    .insert(tiers)
    .values({ channelId: ch!.id, position: 1, price: "10", durationDays: 30 })
    .returning();
  const userIds = Array.from({ length: N }, (_, i) => 100_000 + i);
  for (const id of userIds) {
    emulator.addUser({ id, first_name: `U${id}` });
    emulator.addChat({ id, type: "private" });
  }
  await db.db.insert(users).values(userIds.map((id) => ({ telegramId: BigInt(id) })));
  await app.start();
  relay.start(50);

  const committedAt = new Map<number, number>();
  const latencies: number[] = [];
  const dmWaits: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const userId = userIds[i]!;
    // What webhook-ingress does on a `finished` IPN: order update + outbox row in one transaction.
    void db.db
      .transaction(async (tx) => {
        const [o] = await tx
          .insert(orders)
          .values({
            reference: `bench_${i}_${randomUUID().slice(0, 8)}`,
            kind: "subscription",
            userId: BigInt(userId),
            channelId: ch!.id,
            tierId: tier!.id,
            amount: "10",
            currency: "USD",
            durationDays: 30,
            status: "finished",
          })
          .returning();
        await enqueue(
          tx,
          "payment.confirmed",
          {
            orderId: o!.id,
            orderReference: o!.reference,
            kind: "subscription",
            userId: String(userId),
            channelId: ch!.id,
            tierId: tier!.id,
            amount: "10",
            currency: "USD",
            durationDays: 30,
            paymentId: `p${i}`,
            actuallyPaid: "10",
            payCurrency: "usdt",
            paidAt: new Date().toISOString(),
          },
          { orderingKey: o!.reference },
        );
      })
      .then(() => {
        committedAt.set(userId, Date.now());
        relay.kick();
      });
    dmWaits.push(
      emulator
        .waitForCall("sendMessage", (c) => Number(c.params.chat_id) === userId, 60_000)
        .then((call) => {
          latencies.push(call.at - (committedAt.get(userId) ?? call.at));
        }),
    );
  }
  await Promise.all(dmWaits);
  const elapsed = (performance.now() - start) / 1000;
  await app.stop();
  await relay.stop();
  await bus.close();
  api.sender.close();
  await emulator.stop();
  await db.close();
  return {
    payments: N,
    offeredRate: RATE,
    elapsedS: elapsed.toFixed(1),
    p50Ms: pct(latencies, 50),
    p99Ms: pct(latencies, 99),
    maxMs: Math.max(...latencies),
    rejected429: emulator.stats.rejected429,
  };
}

async function senderThroughput() {
  const limits = { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 };
  const N = Number(process.env.BENCH_SENDER_MESSAGES ?? 330);
  const emulator = await startBotApiEmulator({ enforceLimits: limits });
  const api = createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot, limits });
  const ids = Array.from({ length: N }, (_, i) => 1000 + i);
  for (const id of ids) {
    emulator.addUser({ id, first_name: `U${id}` });
    emulator.addChat({ id, type: "private" });
  }
  // Plus one chat that gets 10 messages: the per-chat limit (1/s) must hold too.
  emulator.addUser({ id: 99, first_name: "One" });
  emulator.addChat({ id: 99, type: "private" });
  await Promise.all([
    ...ids.map((id) => api.sendMessage(id, "hi")),
    ...Array.from({ length: 10 }, (_, i) => api.sendMessage(99, `m${i}`)),
  ]);
  const sends = emulator
    .callsOf("sendMessage")
    .filter((c) => c.ok)
    .map((c) => c.at)
    .sort((a, b) => a - b);
  // Steady state: everything after the first window's burst, over the time it took.
  const after = sends.slice(limits.globalPerSecond);
  const steady = (after.length - 1) / ((after.at(-1)! - after[0]!) / 1000);
  const one = emulator
    .callsOf("sendMessage")
    .filter((c) => c.ok && Number(c.params.chat_id) === 99)
    .map((c) => c.at);
  const oneRate = (one.length - 1) / ((one.at(-1)! - one[0]!) / 1000);
  api.sender.close();
  await emulator.stop();
  return {
    messages: sends.length,
    allowedPerS: limits.globalPerSecond,
    achievedPerS: steady.toFixed(2),
    ratio: (steady / limits.globalPerSecond).toFixed(3),
    oneChatPerS: oneRate.toFixed(3),
    oneChatRatio: oneRate.toFixed(3),
    rejected429: emulator.stats.rejected429,
  };
}

async function sweepClaim() {
  const db = await createTestDatabase(URL_);
  const client = postgres(db.url!, { max: 1, onnotice: () => {} });
  try {
    const t0 = performance.now();
    await client.unsafe(`
      insert into users (telegram_id) select g from generate_series(1, 1000000) g;
      insert into channels (owner_telegram_id, open_chat_id, closed_chat_id, payout_wallet, payout_currency) values (1, -1001, -1002, 'W', 'usdt');
      insert into subscriptions (user_id, channel_id, starts_at, expires_at, status, next_check_at)
        select g, (select id from channels limit 1), now() - interval '20 days',
               case when g % 100 = 0 then now() - interval '1 hour' else now() + ((g % 60) + 2) * interval '1 day' end,
               case when g % 7 = 0 and g % 100 <> 0 then 'expired' else 'active' end,
               case when g % 100 = 0 then now() - (g % 1000) * interval '1 second' else now() + ((g % 60) + 1) * interval '1 day' end
        from generate_series(1, 1000000) g;
      analyze subscriptions;`);
    const loadS = ((performance.now() - t0) / 1000).toFixed(1);
    const [{ due }] =
      (await client`select count(*)::int as due from subscriptions where status = 'active' and next_check_at <= now()`) as unknown as [
        { due: number },
      ];
    const now = new Date();
    const q = claimDueStatement(db.db, now, 1000, 600_000).toSQL();
    const plan = await client.unsafe(
      `explain (analyze, costs off, timing off, summary off) ${q.sql}`,
      q.params as never[],
    );
    const batches: number[] = [];
    for (;;) {
      const t = performance.now();
      const rows = await claimDueStatement(db.db, now, 1000, 600_000);
      if (rows.length === 0) break;
      batches.push(performance.now() - t);
    }
    // Roll back for the plan's side effect does not matter: the database is dropped below.
    return {
      loadS,
      rows: 1_000_000,
      due,
      batches: batches.length,
      perBatchMs: batches.map((b) => b.toFixed(1)),
      plan: plan.map((r) => Object.values(r)[0]).join("\n"),
    };
  } finally {
    await client.end({ timeout: 5 });
    await db.close();
  }
}

const only = process.argv[2];
if (!only || only === "e2e") {
  console.log("\n(a) payment committed → invite DM, in-process, 50 payments/s");
  console.table([await endToEnd()]);
}
if (!only || only === "sender") {
  console.log("\n(b) sender throughput, emulator enforcing 30/s global and 1/s per chat");
  console.table([await senderThroughput()]);
}
if (!only || only === "sweep") {
  console.log("\n(c) sweep claim, 1,000,000 subscriptions, ~10,000 due, batches of 1,000");
  const r = await sweepClaim();
  console.table([
    {
      loadS: r.loadS,
      rows: r.rows,
      due: r.due,
      batches: r.batches,
      minMs: Math.min(...r.perBatchMs.map(Number)),
      maxMs: Math.max(...r.perBatchMs.map(Number)),
    },
  ]);
  console.log("per batch (ms):", r.perBatchMs.join(" "));
  console.log(`EXPLAIN of the claim statement:\n${r.plan}`);
}
void sql;
