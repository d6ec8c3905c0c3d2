/**
 * Benchmark of webhook-ingress against the real local Postgres (`pnpm bench:ingress`).
 *
 *   (a) a bare Hono route answering 200, served by @hono/node-server: the floor of the HTTP stack;
 *   (b) the full secured IPN route (request id, security headers, rate limiter, body limit, IP
 *       allowlist, HMAC-SHA512 signature, zod, one transaction, outbox) with valid, unique
 *       `finished` IPNs for pre-created orders: every request confirms a payment.
 *
 * Each server runs in its own child process (as in production); autocannon drives keep-alive load
 * over loopback from this process. Prints requests/s, p50/p99 at full speed, the ratio, and p99 at a
 * fixed 500 requests/s. Then checks that every 200 produced exactly one payment.confirmed.
 *
 * Env: BENCH_DATABASE_URL (or TEST_DATABASE_URL; default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 32), BENCH_POOL (database connections, default 5),
 * BENCH_CPU_PROF (a folder: write the servers' CPU profiles there).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createDb, orders, outbox } from "@telepay/db";
import { signIpn } from "@telepay/payments";
import { createTestDatabase } from "@telepay/testing";
import autocannon from "autocannon";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import pino from "pino";
import { reportFigure } from "../../../tooling/bench/figure.ts";
import { createApp } from "../src/index.ts";

const IPN_SECRET = "bench-ipn-secret-0123456789";
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- child: a server
if (process.argv[2] === "--serve") {
  const mode = process.argv[3];
  let fetch: (req: Request, env?: unknown) => Response | Promise<Response>;
  let close = async () => {};
  if (mode === "bare") {
    const app = new Hono();
    app.post("/bare", (c) => c.text("ok"));
    fetch = app.fetch;
  } else {
    const database = await createDb({
      url: process.env.BENCH_DB_URL!,
      pool: { size: Number(process.env.BENCH_POOL ?? 5), maxOverflow: 0 },
    });
    const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
    const handle = await createApp({
      db: database,
      relay: { kick() {} },
      config: {
        ipnSecret: IPN_SECRET,
        allowedIps: ["127.0.0.1", "::1"],
        trustedProxyHops: 0,
        rateLimit: { perMinute: 10, burst: 20 },
      },
      logger,
    });
    fetch = handle.app.fetch;
    close = () => database.close();
  }
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
    process.stdout.write(`listening ${info.port}\n`);
  });
  // The parent asks for this process's CPU time around a run: CPU per IPN does not depend on how
  // busy the rest of the machine is, unlike req/s and latency.
  process.on("SIGUSR2", () => {
    const cpu = process.cpuUsage();
    process.stdout.write(`cpu ${cpu.user + cpu.system}\n`);
  });
  process.on("SIGTERM", () => {
    server.close();
    void close().then(() => process.exit(0));
  });
} else {
  await main();
}

// ---------------------------------------------------------------- parent: load and report
async function startServer(
  mode: "bare" | "full",
  dbUrl?: string,
): Promise<{ port: number; child: ChildProcess; cpuMicros: () => Promise<number> }> {
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, ["--no-warnings", ...profile, SELF, "--serve", mode], {
    env: { ...process.env, ...(dbUrl ? { BENCH_DB_URL: dbUrl } : {}) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  child.stdout!.on("data", (chunk) => {
    out += String(chunk);
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        out = out.slice(m.index + m[0].length);
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const line = (re: RegExp) => new Promise<RegExpExecArray>((resolve) => waiters.push({ re, resolve }));
  const listening = line(/listening (\d+)\n/);
  const exited = once(child, "exit").then(() => {
    throw new Error(`${mode} server exited`);
  });
  const m = await Promise.race([listening, exited]);
  return {
    port: Number(m[1]),
    child,
    cpuMicros: async () => {
      const reply = line(/cpu (\d+)\n/);
      child.kill("SIGUSR2");
      return Number((await reply)[1]);
    },
  };
}

async function stopServer(child: ChildProcess) {
  child.kill("SIGTERM");
  await once(child, "exit");
}

type Result = autocannon.Result;

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  const serverUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const fixedRate = 500;
  // Enough unique orders for the warm-up, the full-speed run (generous) and the fixed-rate run.
  const orderCount = 2_000 + seconds * 6_000 + seconds * fixedRate + 1_000;

  console.log(
    `webhook-ingress benchmark: ${connections} keep-alive connections, ${seconds} s per run, Postgres ${new URL(serverUrl).host}`,
  );
  const database = await createTestDatabase(serverUrl);
  try {
    // ---- fixtures: one user, channel and tier; `orderCount` orders awaiting payment
    const t0 = Date.now();
    await database.db.execute(sql`insert into users (telegram_id, first_name) values (777000111, 'Bench')`);
    await database.db.execute(
      sql`insert into channels (owner_telegram_id, open_chat_id, closed_chat_id, payout_wallet, payout_currency)
          values (42, -1001, -1002, 'TWallet', 'usdttrc20')`,
    );
    await database.db.execute(
      sql`insert into tiers (channel_id, position, price, currency, duration_days) select id, 1, 4.99, 'USD', 30 from channels`,
    );
    await database.db.execute(sql`
      insert into orders (reference, kind, user_id, channel_id, tier_id, amount, currency, duration_days, status)
      select 'bench_' || lpad(g::text, 16, '0'), 'subscription', 777000111, c.id, t.id, 4.99, 'USD', 30, 'waiting'
      from generate_series(1, ${orderCount}) g, channels c, tiers t`);
    console.log(`fixtures: ${orderCount} orders in ${Date.now() - t0} ms`);

    // ---- pre-signed bodies, so the client spends no CPU on HMAC during the runs
    const bodies: string[] = [];
    const sigs: string[] = [];
    for (let i = 1; i <= orderCount; i++) {
      const body = {
        payment_id: 6_000_000_000 + i,
        invoice_id: 4_000_000_000 + i,
        payment_status: "finished",
        pay_address: "TNDFkiSmBQorNFacb3735q8MnT29sn8BLn",
        price_amount: 4.99,
        price_currency: "usd",
        pay_amount: 5.04,
        actually_paid: 5.04,
        pay_currency: "usdttrc20",
        order_id: `bench_${String(i).padStart(16, "0")}`,
        order_description: "30 days",
        purchase_id: String(5_800_000_000 + i),
        outcome_amount: 4.9,
        outcome_currency: "usdttrc20",
        parent_payment_id: null,
        fee: { currency: "usdttrc20", depositFee: 0, withdrawalFee: 0, serviceFee: 0.0000005 },
        updated_at: Date.now(),
      };
      bodies.push(JSON.stringify(body));
      sigs.push(signIpn(body, IPN_SECRET));
    }
    let next = 0;
    const ipnRequests = (path: string): autocannon.Request[] => [
      {
        method: "POST",
        path,
        setupRequest: (req: autocannon.Request) => {
          const i = next++;
          if (i >= bodies.length) throw new Error("ran out of pre-created orders; lower BENCH_SECONDS");
          return {
            ...req,
            body: bodies[i]!,
            headers: { "content-type": "application/json", "x-nowpayments-sig": sigs[i]! },
          };
        },
      },
    ];

    // ---- (a) bare route
    const bare = await startServer("bare");
    let bareMax: Result;
    try {
      await run({
        url: `http://127.0.0.1:${bare.port}/bare`,
        method: "POST",
        body: "{}",
        connections,
        amount: 2_000,
      });
      bareMax = await run({
        url: `http://127.0.0.1:${bare.port}/bare`,
        method: "POST",
        body: bodies[0]!,
        connections,
        duration: seconds,
      });
    } finally {
      await stopServer(bare.child);
    }

    // ---- (b) full secured route
    const full = await startServer("full", database.url!);
    let warm: Result;
    let fullMax: Result;
    let fullFixed: Result;
    let cpuPerIpnMs = Number.NaN;
    const url = `http://127.0.0.1:${full.port}`;
    try {
      warm = await run({ url, connections, amount: 2_000, requests: ipnRequests("/webhooks/nowpayments") });
      const cpuBefore = await full.cpuMicros();
      fullMax = await run({
        url,
        connections,
        duration: seconds,
        requests: ipnRequests("/webhooks/nowpayments"),
      });
      cpuPerIpnMs = ((await full.cpuMicros()) - cpuBefore) / 1000 / fullMax.requests.total;
      fullFixed = await run({
        url,
        connections,
        duration: seconds,
        overallRate: fixedRate,
        requests: ipnRequests("/webhooks/nowpayments"),
      });
    } finally {
      await stopServer(full.child);
    }

    // ---- correctness after the storm: every paid order has exactly one payment.confirmed, every 200
    // has its event (requests still in flight when a timed run ends are processed but not counted)
    const [confirmed] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(eq(outbox.topic, "payment.confirmed"));
    const [finished] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.status, "finished"));
    const accepted = warm["2xx"] + fullMax["2xx"] + fullFixed["2xx"];
    const consistent =
      confirmed!.n === Number(finished!.n) && confirmed!.n >= accepted && confirmed!.n <= next;

    const rps = (r: Result) => r.requests.total / (r.duration || seconds);
    const row = (name: string, r: Result) =>
      `| ${name.padEnd(34)} | ${rps(r).toFixed(0).padStart(7)} | ${String(r.latency.p50).padStart(7)} | ${String(r.latency.p99).padStart(7)} | ${String(r.non2xx + r.errors + r.timeouts).padStart(6)} |`;
    console.log("");
    console.log(
      "| run                                |   req/s | p50 ms | p99 ms | errors |"
        .replace("p50 ms", " p50 ms")
        .replace("p99 ms", " p99 ms"),
    );
    console.log("|------------------------------------|---------|---------|---------|--------|");
    console.log(row("(a) bare Hono route, max", bareMax));
    console.log(row("(b) secured IPN route, max", fullMax));
    console.log(row(`(b) secured IPN route, ${fixedRate}/s fixed`, fullFixed));
    console.log("");
    console.log(`ratio bare/secured throughput: ${(rps(bareMax) / rps(fullMax)).toFixed(1)}×`);
    console.log(
      `targets: ≥ 2000 valid IPNs/s → ${rps(fullMax).toFixed(0)}/s ${rps(fullMax) >= 2000 ? "met" : "NOT met"}; ` +
        `p99 < 50 ms at ${fixedRate}/s → ${fullFixed.latency.p99} ms ${fullFixed.latency.p99 < 50 ? "met" : "NOT met"}`,
    );
    console.log(
      `check: ${accepted} IPNs answered 200 (${next} sent), ${finished!.n} orders paid, ` +
        `${confirmed!.n} payment.confirmed rows: ${consistent ? "one per paid order" : "INCONSISTENT"}`,
    );
    console.log(
      `ingress server CPU per valid IPN: ${cpuPerIpnMs.toFixed(3)} ms (the Node process alone; Postgres and the load generator share the same cores)`,
    );
    console.log(
      `machine load average during the run: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")} (1/5/15 min, ${os.cpus().length} cores)`,
    );
    // For `pnpm bench`: tooling/bench/figure.ts collects these lines into the report.
    const figure = reportFigure;
    figure({ figure: "ingress: bare Hono route", value: Math.round(rps(bareMax)), unit: "req/s" });
    figure({
      figure: "ingress: server CPU per valid IPN (Node)",
      value: Number(cpuPerIpnMs.toFixed(3)),
      unit: "ms",
    });
    figure({
      figure: "ingress: valid IPNs processed (full secured route)",
      value: Math.round(rps(fullMax)),
      unit: "req/s",
      target: "≥ 2,000",
      met: rps(fullMax) >= 2000,
    });
    figure({ figure: "ingress: p50 at full speed (full route)", value: fullMax.latency.p50, unit: "ms" });
    figure({ figure: "ingress: p99 at full speed (full route)", value: fullMax.latency.p99, unit: "ms" });
    figure({
      figure: "ingress: bare / secured throughput",
      value: Number((rps(bareMax) / rps(fullMax)).toFixed(1)),
      unit: "×",
    });
    figure({
      figure: `ingress: p99 at ${fixedRate} IPNs/s`,
      value: fullFixed.latency.p99,
      unit: "ms",
      target: "< 50",
      met: fullFixed.latency.p99 < 50,
    });
    figure({
      figure: "ingress: one payment.confirmed per paid order",
      value: `${confirmed!.n} / ${finished!.n}`,
      unit: "events / orders",
      met: consistent,
    });
    if (!consistent) process.exitCode = 1;
  } finally {
    await database.close();
  }
}
