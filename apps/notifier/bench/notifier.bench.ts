/**
 * pnpm bench:notifier — figures for the closing note. Needs Postgres (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test); each part uses a fresh database.
 * `node bench/notifier.bench.ts [e2e|sender|sweep]` runs one part.
 *
 * (a) payment committed → invite DM sent, end to end in one process (outbox → relay → in-process
 *     bus → notifier → sender → Bot API emulator) at 50 payments/s: p50/p99, with a timestamp per
 *     stage (commit, relay publish, handler start, invite link, DM, ack, row marked) so a slow
 *     figure says where the time went; owner notices off (the pipeline alone) and on (every
 *     payment also DMs the one owner chat, which Telegram allows 1 message/s). CPU use and event
 *     loop delay tell the code from the machine (the box is shared).
 * (b) sender throughput against the emulator enforcing Telegram's real limits (30/s global, 1/s
 *     per chat): achieved/allowed rate and 429s, on localhost and through a link with a realistic
 *     round trip (where counting a call only after its answer would cost a round trip per slot).
 * (c) sweep claim over 1,000,000 subscriptions of which 10,000 are due: time per claimed batch of
 *     1,000 and the EXPLAIN of the claim statement (index, not a scan).
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { claimDueStatement, createCommerce } from "@telepay/commerce";
import { channels, orders, tiers, users } from "@telepay/db";
import { createInProcessBus, createOutboxRelay, type EventBus } from "@telepay/events";
import { ipnPayloadSchema, ipnToPaymentReport } from "@telepay/payments";
import { createTelegramApi } from "@telepay/telegram";
import { createTestDatabase, startBotApiEmulator, startLink } from "@telepay/testing";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { reportFigure } from "../../../tooling/bench/figure.ts";
import { createApp } from "../src/index.ts";

const URL_ =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface E2eOptions {
  label: string;
  payments: number;
  rate: number;
  /** Owner notices on (the default for a channel): every payment also DMs the one owner chat. */
  ownerNotices: boolean;
}

/** Per-payment stage times (ms epoch, one clock: bench, relay, bus, notifier and emulator share a process). */
interface Stages {
  commit?: number;
  publish?: number;
  handlerStart?: number;
  invite?: number;
  dm?: number;
  handlerEnd?: number;
  marked?: number;
}

async function endToEnd(o: E2eOptions) {
  // Each payment needs an invite link + a DM (+ an owner notice): 100+ Telegram writes/s, more
  // than Telegram's 30/s, so the sender's and the emulator's limits are raised alike here: this
  // part measures our pipeline, not Telegram. Per chat stays 10/s (the owner chat feels it).
  const limits = { globalPerSecond: 1000, perChatPerSecond: 10, perGroupPerMinute: 10_000 };
  const OWNER = 1;
  const db = await createTestDatabase(URL_);
  const emulator = await startBotApiEmulator({ enforceLimits: limits });
  const api = createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot, limits });
  const inner = createInProcessBus({ logger: quiet });
  const stages = new Map<string, Stages>();
  const stageOf = (userId: string) => {
    const s = stages.get(userId) ?? {};
    stages.set(userId, s);
    return s;
  };
  // The bus as the relay and the notifier see it, with a timestamp at publish and around the handler.
  const bus: EventBus = {
    kind: inner.kind,
    health: () => inner.health(),
    close: () => inner.close(),
    publish(event) {
      if (event.topic === "payment.confirmed") {
        stageOf((event.data as { userId: string }).userId).publish ??= Date.now();
      }
      return inner.publish(event);
    },
    subscribe(topic, name, handler) {
      if (topic !== "payment.confirmed") return inner.subscribe(topic, name, handler);
      return inner.subscribe(topic, name, async (event) => {
        const s = stageOf((event.data as { userId: string }).userId);
        s.handlerStart ??= Date.now();
        const verdict = await handler(event as never);
        if (verdict === undefined || verdict === "ack") s.handlerEnd ??= Date.now();
        return verdict;
      });
    },
  };
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
      allowedIps: ["127.0.0.1"],
    },
  });
  emulator.addChat({ id: -100500, type: "channel", title: "Closed" });
  emulator.addChat({ id: -100501, type: "channel", title: "Open" });
  emulator.addUser({ id: OWNER, first_name: "Owner" });
  emulator.addChat({ id: OWNER, type: "private" });
  await db.db.insert(users).values({ telegramId: BigInt(OWNER) });
  const [ch] = await db.db
    .insert(channels)
    .values({
      ownerTelegramId: BigInt(OWNER),
      openChatId: -100501n,
      closedChatId: -100500n,
      closedTitle: "Closed",
      payoutWallet: "W",
      payoutCurrency: "usdt",
      notificationsEnabled: o.ownerNotices,
    })
    .returning();
  const [tier] = await db.db
    .insert(tiers)
    .values({ channelId: ch!.id, position: 1, price: "10", durationDays: 30 })
    .returning();
  const userIds = Array.from({ length: o.payments }, (_, i) => 100_000 + i);
  for (const id of userIds) {
    emulator.addUser({ id, first_name: `U${id}` });
    emulator.addChat({ id, type: "private" });
  }
  await db.db.insert(users).values(userIds.map((id) => ({ telegramId: BigInt(id) })));
  await app.start();
  relay.start(50);

  // The relay is kicked below, after the commit time is taken.
  const commerce = createCommerce({ db: db.db });
  const refToUser = new Map<string, string>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The machine's share of the figure: a trivial query on a connection of its own, every 100 ms.
  const probe = postgres(db.url ?? URL_, { max: 1, onnotice: () => {} });
  const probeMs: number[] = [];
  let probing = true;
  const probing$ = (async () => {
    while (probing) {
      const t = performance.now();
      await probe`select 1`;
      probeMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const commits: Promise<void>[] = [];
  for (let i = 0; i < o.payments; i++) {
    const due = start + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const userId = String(userIds[i]!);
    const reference = `bench_${i}_${randomUUID().slice(0, 8)}`;
    refToUser.set(reference.slice(0, 32), userId);
    // What webhook-ingress does on a `finished` IPN (the core's payment writer): the order is paid,
    // its grant, notices and payment.confirmed are written in one statement.
    commits.push(
      db.db
        .insert(orders)
        .values({
          reference,
          kind: "subscription",
          userId: BigInt(userId),
          channelId: ch!.id,
          tierId: tier!.id,
          amount: "10",
          currency: "USD",
          durationDays: 30,
          status: "waiting",
        })
        .then(() =>
          commerce.payments.record(
            ipnToPaymentReport(
              ipnPayloadSchema.parse({
                payment_id: `p${i}_${reference}`,
                payment_status: "finished",
                order_id: reference,
                price_amount: "10",
                price_currency: "usd",
                pay_amount: "10",
                actually_paid: "10",
                pay_currency: "usdt",
              }),
            ),
            { underpaidTolerancePercent: "1" },
          ),
        )
        .then(() => {
          stageOf(userId).commit = Date.now();
          relay.kick();
        }),
    );
  }
  await Promise.all(commits);
  // One waiter for everything (a waiter per payment would rescan every call on every call: the
  // bench itself would eat the CPU it measures).
  await emulator.waitForCalls("sendMessage", o.payments, 120_000, (c) => Number(c.params.chat_id) !== OWNER);
  const ownerNotices = o.ownerNotices
    ? await emulator.waitForCalls(
        "sendMessage",
        o.payments,
        300_000,
        (c) => Number(c.params.chat_id) === OWNER,
      )
    : [];
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  probing = false;
  await probing$;
  await probe.end({ timeout: 5 });
  // Wait for the relay to mark everything (it marks after each delivery is acked).
  for (let t = 0; t < 200; t++) {
    const [{ left }] = (await db.db.execute(
      sql`select count(*)::int as left from outbox where published_at is null`,
    )) as unknown as [{ left: number }];
    if (Number(left) === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const marks = (await db.db.execute(
    sql`select payload->>'userId' as "userId", published_at as "publishedAt" from outbox`,
  )) as unknown as Array<{ userId: string; publishedAt: Date | string }>;
  for (const m of marks) stageOf(m.userId).marked = new Date(m.publishedAt).getTime();
  for (const c of emulator.callsOf("createChatInviteLink")) {
    const userId = refToUser.get(String(c.params.name));
    if (userId && c.ok) stageOf(userId).invite ??= c.at;
  }
  for (const c of emulator.callsOf("sendMessage")) {
    if (c.ok && Number(c.params.chat_id) !== OWNER) stageOf(String(c.params.chat_id)).dm ??= c.at;
  }
  const dmCount = emulator
    .callsOf("sendMessage")
    .filter((c) => c.ok && Number(c.params.chat_id) !== OWNER).length;
  await app.stop();
  await relay.stop();
  await bus.close();
  api.sender.close();
  await emulator.stop();
  await db.close();

  const all = [...stages.values()].filter((s) => s.commit !== undefined);
  const since = (key: keyof Stages) =>
    all.map((s) => (s[key] ?? Number.NaN) - s.commit!).filter(Number.isFinite);
  const between = (a: keyof Stages, b: keyof Stages) =>
    all.map((s) => (s[b] ?? Number.NaN) - (s[a] ?? Number.NaN)).filter(Number.isFinite);
  const row = (stage: string, xs: number[]) => ({
    stage,
    n: xs.length,
    p50: pct(xs, 50),
    p99: pct(xs, 99),
    max: Math.max(...xs),
  });
  const latencies = since("dm");
  return {
    label: o.label,
    summary: {
      payments: o.payments,
      offeredRate: o.rate,
      elapsedS: elapsed.toFixed(1),
      p50Ms: pct(latencies, 50),
      p99Ms: pct(latencies, 99),
      maxMs: Math.max(...latencies),
      dms: dmCount,
      ownerNotices: ownerNotices.length,
      rejected429: emulator.stats.rejected429,
      cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100),
      loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
      select1P50Ms: pct(probeMs, 50).toFixed(1),
      select1P99Ms: pct(probeMs, 99).toFixed(1),
      loadAvg1m: loadavg()[0]!.toFixed(1),
    },
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    stages: [
      row("commit → publish (relay claim)", since("publish")),
      row("publish → handler start", between("publish", "handlerStart")),
      row("handler start → invite link", between("handlerStart", "invite")),
      row("invite link → DM", between("invite", "dm")),
      row("commit → DM (end to end)", latencies),
      row("DM → handler ack", between("dm", "handlerEnd")),
      row("handler ack → row marked", between("handlerEnd", "marked")),
    ],
  };
}

/**
 * Sender throughput against the emulator enforcing Telegram's real limits, through a link with
 * `oneWayMs` ± `jitterMs` each way (0: straight to the emulator on localhost). Messages go to
 * distinct chats, so the global 30/s is the only limit that binds; rate = 30 calls per the mean
 * time between the emulator receiving call k and call k + 30 (what a sliding window allows).
 */
async function senderThroughput(oneWayMs: number, jitterMs: number) {
  const limits = { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 };
  const N = Number(process.env.BENCH_SENDER_MESSAGES ?? 390);
  const emulator = await startBotApiEmulator({ enforceLimits: limits });
  const link = oneWayMs > 0 ? await startLink(emulator.apiRoot, oneWayMs, jitterMs) : undefined;
  const api = createTelegramApi({ token: emulator.token, apiRoot: link?.url ?? emulator.apiRoot, limits });
  const WARM_UP = 10;
  const ids = Array.from({ length: N + WARM_UP }, (_, i) => 1000 + i);
  for (const id of ids) {
    emulator.addUser({ id, first_name: `U${id}` });
    emulator.addChat({ id, type: "private" });
  }
  // A process that has been running has sent calls one at a time: the limiter learns the link's
  // round trip from those (rate-limiter.ts). Then their slots age out of the window.
  for (const id of ids.slice(0, WARM_UP)) await api.sendMessage(id, "warm-up");
  await new Promise((r) => setTimeout(r, 1100));
  emulator.clearCalls();
  const t0 = performance.now();
  await Promise.all(ids.slice(WARM_UP).map((id) => api.sendMessage(id, "hi")));
  const seconds = (performance.now() - t0) / 1000;
  const sends = emulator
    .callsOf("sendMessage")
    .filter((c) => c.ok)
    .map((c) => c.at)
    .sort((a, b) => a - b);
  // Steady rate: a window's worth of calls per (mean time from call k to call k + limit).
  const L = limits.globalPerSecond;
  const gaps = sends.slice(L).map((t, k) => t - sends[k]!);
  const achieved = (L * 1000) / (gaps.reduce((a, b) => a + b, 0) / gaps.length);
  api.sender.close();
  await link?.stop();
  await emulator.stop();
  return {
    link: oneWayMs > 0 ? `${oneWayMs}±${jitterMs} ms each way` : "localhost",
    messages: sends.length,
    seconds: seconds.toFixed(1),
    allowedPerS: limits.globalPerSecond,
    achievedPerS: achieved.toFixed(2),
    ratio: (achieved / limits.globalPerSecond).toFixed(3),
    rejected429: emulator.stats.rejected429,
    senderRetries429: api.sender.stats().rateLimited,
  };
}

/** One chat, 10 messages at once: the per-chat limit (1/s) holds and is used fully. */
async function oneChatRate() {
  const limits = { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 };
  const emulator = await startBotApiEmulator({ enforceLimits: limits });
  const api = createTelegramApi({ token: emulator.token, apiRoot: emulator.apiRoot, limits });
  emulator.addUser({ id: 99, first_name: "One" });
  emulator.addChat({ id: 99, type: "private" });
  await Promise.all(Array.from({ length: 10 }, (_, i) => api.sendMessage(99, `m${i}`)));
  const at = emulator
    .callsOf("sendMessage")
    .filter((c) => c.ok)
    .map((c) => c.at);
  const rate = (at.length - 1) / ((at.at(-1)! - at[0]!) / 1000);
  api.sender.close();
  await emulator.stop();
  return { messages: at.length, perS: rate.toFixed(3), rejected429: emulator.stats.rejected429 };
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
  const payments = Number(process.env.BENCH_E2E_PAYMENTS ?? 500);
  for (const run of [
    // The same pipeline with no queueing: what one payment costs on this machine right now.
    { label: "baseline at 5/s, owner notices off", payments: 50, rate: 5, ownerNotices: false },
    { label: "owner notices off", payments, rate: 50, ownerNotices: false },
    { label: "owner notices on", payments: Math.min(payments, 200), rate: 50, ownerNotices: true },
  ].filter(
    (r) => !process.env.BENCH_E2E_OWNER || process.env.BENCH_E2E_OWNER === (r.ownerNotices ? "on" : "off"),
  )) {
    console.log(`\n(a) payment committed → invite DM, in-process, ${run.rate} payments/s, ${run.label}`);
    const r = await endToEnd(run);
    console.table([r.summary]);
    console.table(r.stages);
    const suffix = run.ownerNotices ? ", owner notices on" : "";
    reportFigure({ figure: `IPN→invite DM p50 at ${run.rate}/s${suffix}`, value: r.p50, unit: "ms" });
    reportFigure({
      figure: `IPN→invite DM p99 at ${run.rate}/s${suffix}`,
      value: r.p99,
      unit: "ms",
      ...(run.rate === 50 ? { target: "< 500 ms", met: r.p99 < 500 } : {}),
    });
    reportFigure({
      figure: `select 1 p99 during the ${run.rate}/s run${suffix}`,
      value: Number(r.summary.select1P99Ms),
      unit: "ms",
    });
  }
}
if (!only || only === "sender") {
  console.log("\n(b) sender throughput, emulator enforcing 30/s global and 1/s per chat");
  const runs = [await senderThroughput(0, 0), await senderThroughput(50, 10)];
  console.table(runs);
  for (const r of runs) {
    const where = r.link === "localhost" ? "" : `, ${r.link}`;
    const ratio = Number(r.ratio);
    reportFigure({
      figure: `sender achieved/allowed rate${where}`,
      value: ratio,
      unit: "ratio",
      target: "≥ 0.95",
      met: ratio >= 0.95,
    });
    reportFigure({
      figure: `sender 429s${where}`,
      value: r.rejected429,
      unit: "count",
      target: "0",
      met: r.rejected429 === 0,
    });
  }
  const one = await oneChatRate();
  console.log("one chat, 10 messages (limit 1/s):");
  console.table([one]);
}
if (!only || only === "sweep") {
  console.log("\n(c) sweep claim, 1,000,000 subscriptions, ~10,000 due, batches of 1,000");
  const r = await sweepClaim();
  const ms = r.perBatchMs.map(Number);
  console.table([
    {
      loadS: r.loadS,
      rows: r.rows,
      due: r.due,
      batches: r.batches,
      minMs: Math.min(...ms),
      medianMs: pct(ms, 50),
      maxMs: Math.max(...ms),
    },
  ]);
  console.log("per batch (ms):", r.perBatchMs.join(" "));
  console.log(`EXPLAIN of the claim statement:\n${r.plan}`);
  const usesIndex =
    /Index (Only )?Scan|Bitmap Index Scan/.test(r.plan) && !/Seq Scan on subscriptions/.test(r.plan);
  reportFigure({
    figure: "sweep batch claim max (1M rows, batch 1,000)",
    value: Math.max(...ms),
    unit: "ms",
  });
  reportFigure({ figure: "sweep batch claim median (1M rows, batch 1,000)", value: pct(ms, 50), unit: "ms" });
  reportFigure({
    figure: "sweep claim uses an index (EXPLAIN)",
    value: usesIndex ? "yes" : "no",
    unit: "",
    target: "yes",
    met: usesIndex,
  });
}
