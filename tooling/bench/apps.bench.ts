/**
 * Cold start of each app to its first healthy /health, and its memory at idle and under load.
 * Each app runs as its own process from its Cloud Run entrypoint (src/main.ts), against a fresh
 * Postgres database, a private Pub/Sub emulator and the Bot API / NOWPayments emulators.
 * Run: pnpm --filter @telepay/bench bench:apps (part of `pnpm bench`). Not a test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { channels, orders, tiers, users } from "@telepay/db";
import {
  createTestDatabase,
  signIpnBody,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  startPubSubEmulator,
} from "@telepay/testing";
import { type Figure, reportFigure } from "./figure.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const IPN_SECRET = "bench-ipn-secret";
const API_KEY = "bench-api-key";
const SIGNING_SECRET = randomBytes(32).toString("hex");
const LOAD_IPNS = Number(process.env.BENCH_APPS_IPNS ?? 2000);
const LOAD_USERS = Number(process.env.BENCH_APPS_USERS ?? 300);

type AppName = "webhook-ingress" | "bot-gateway" | "notifier" | "standalone";

function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function waitHealthy(
  port: number,
  child: ChildProcess,
  started: number,
  timeoutMs = 60_000,
): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before becoming healthy`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error("not healthy in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 12_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

let nextPort = 20_000 + Math.floor(Math.random() * 20_000);

async function main() {
  const pubsub = await startPubSubEmulator();
  const tg = await startBotApiEmulator();
  const np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
  const results: Array<{ app: AppName; coldMs: number; idle: number; load: number; loadNote: string }> = [];
  try {
    const only = process.env.BENCH_APPS?.split(",");
    const apps = (["webhook-ingress", "bot-gateway", "notifier", "standalone"] as const).filter(
      (a) => !only || only.includes(a),
    );
    for (const app of apps) {
      const db = app === "standalone" ? undefined : await createTestDatabase(SERVER_URL);
      const dataDir = mkdtempSync(join(tmpdir(), "telepay-bench-"));
      const port = nextPort++;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        LOG_LEVEL: "warn",
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_MODE: "polling",
        NOWPAYMENTS_API_KEY: API_KEY,
        NOWPAYMENTS_IPN_SECRET: IPN_SECRET,
        NOWPAYMENTS_API_BASE: np.apiBase,
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        WEBHOOK_SIGNING_SECRET: SIGNING_SECRET,
        PUBSUB_EMULATOR_HOST: pubsub.host,
        GOOGLE_CLOUD_PROJECT: "telepay-bench",
        PUBSUB_TOPIC_PREFIX: `bench-${app}-`,
        PUSH_VERIFY_OIDC: "false",
        NOTIFIER_CONSUME: "subscribe",
        DATA_DIR: dataDir,
        ...(db?.url ? { DATABASE_URL: db.url } : {}),
      };
      if (app === "standalone") {
        delete env.PUBSUB_EMULATOR_HOST;
        delete env.GOOGLE_CLOUD_PROJECT;
      }
      const started = performance.now();
      const child = spawn(process.execPath, ["--no-warnings", join(ROOT, "apps", app, "src", "main.ts")], {
        env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.on("data", (c: Buffer) => {
        stderr = (stderr + c.toString()).slice(-4000);
      });
      try {
        const coldMs = await waitHealthy(port, child, started).catch((err: Error) => {
          throw new Error(`${app}: ${err.message}\n${stderr}`);
        });
        await new Promise((r) => setTimeout(r, 2_000));
        const idle = memoryMiB(child.pid!).rss;
        const loadNote = await applyLoad(app, port, db?.url ?? undefined, dataDir);
        const load = memoryMiB(child.pid!).peak;
        results.push({ app, coldMs, idle, load, loadNote });
        console.log(
          `${app}: cold start ${coldMs.toFixed(0)} ms, idle ${idle.toFixed(0)} MiB, peak under load ${load.toFixed(0)} MiB (${loadNote})`,
        );
      } finally {
        await stop(child);
        await db?.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await tg.stop();
    await np.stop();
    await pubsub.stop({ hard: true });
  }

  console.log("\n| app | cold start → first healthy | RSS idle | peak RSS under load | load |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.app} | ${r.coldMs.toFixed(0)} ms | ${r.idle.toFixed(0)} MiB | ${r.load.toFixed(0)} MiB | ${r.loadNote} |`,
    );
  }
  for (const r of results) {
    const figures: Figure[] = [
      {
        figure: `${r.app}: cold start to first healthy /health`,
        value: Math.round(r.coldMs),
        unit: "ms",
        target: "< 10,000 ms (Cloud Run start-up probe)",
        met: r.coldMs < 10_000,
      },
      // Cloud Run services get 512 MiB instances (infra/); standalone runs on a laptop and carries
      // the embedded Postgres (PGlite's WebAssembly heap), so it has no instance limit to meet.
      ...(r.app === "standalone"
        ? [
            {
              figure: "standalone: RSS at idle (includes embedded PGlite)",
              value: Math.round(r.idle),
              unit: "MiB",
            },
            {
              figure: `standalone: peak RSS under load (${r.loadNote})`,
              value: Math.round(r.load),
              unit: "MiB",
            },
          ]
        : [
            {
              figure: `${r.app}: RSS at idle`,
              value: Math.round(r.idle),
              unit: "MiB",
              target: "< 512 MiB (Cloud Run instance)",
              met: r.idle < 512,
            },
            {
              figure: `${r.app}: peak RSS under load (${r.loadNote})`,
              value: Math.round(r.load),
              unit: "MiB",
              target: "< 512 MiB",
              met: r.load < 512,
            },
          ]),
    ];
    for (const f of figures) reportFigure(f);
  }

  /** Drives the kind of traffic each app serves in production and waits until it was handled. */
  async function applyLoad(
    app: AppName,
    port: number,
    dbUrl: string | undefined,
    dataDir: string,
  ): Promise<string> {
    if (app === "webhook-ingress" || app === "standalone") {
      const sent = await ipnLoad(port, dbUrl, dataDir, app === "standalone");
      if (app === "webhook-ingress") return `${sent} IPNs`;
      const users = await startLoad();
      return `${sent} IPNs + ${users} /start`;
    }
    if (app === "bot-gateway") return `${await startLoad()} /start`;
    // notifier: its load arrives as signed job calls (sweep) plus pushed events; the sweep over an
    // empty table and 200 job calls exercise the HTTP + HMAC + db path.
    const { signInternalRequest } = await import("@telepay/security");
    for (let i = 0; i < 200; i++) {
      // A distinct body per call: an identical signature within the window is a replay (401).
      const body = JSON.stringify({ dryRun: true, batchSize: i + 1 });
      const res = await fetch(`http://127.0.0.1:${port}/jobs/sweep`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-signature": signInternalRequest({ method: "POST", path: "/jobs/sweep", body }, SIGNING_SECRET),
        },
        body,
      });
      if (res.status !== 200) throw new Error(`notifier /jobs/sweep answered ${res.status}`);
    }
    return "200 signed sweep jobs";
  }

  async function startLoad(): Promise<number> {
    tg.clearCalls();
    for (let i = 0; i < LOAD_USERS; i++) {
      tg.addUser({ id: 900_000 + i, first_name: `User ${i}` });
      tg.sendUserMessage({ from: 900_000 + i, text: "/help" });
    }
    await tg.waitForCalls("sendMessage", LOAD_USERS, 120_000);
    return LOAD_USERS;
  }

  async function ipnLoad(
    port: number,
    dbUrl: string | undefined,
    _dataDir: string,
    embedded: boolean,
  ): Promise<number> {
    // Orders must exist for IPNs to be processed normally; in standalone the database is private
    // to the process, so IPNs there are for unknown orders (stored for review — same write path).
    const refs: string[] = [];
    if (dbUrl && !embedded) {
      const { createDb } = await import("@telepay/db");
      const d = await createDb({ url: dbUrl });
      const [ch] = await d.db
        .insert(channels)
        .values({
          ownerTelegramId: 1n,
          openChatId: -1001n,
          closedChatId: -1002n,
          payoutWallet: "w",
          payoutCurrency: "usdt",
        })
        .returning();
      const [tier] = await d.db
        .insert(tiers)
        .values({ channelId: ch!.id, position: 1, price: "10", durationDays: 30 })
        .returning();
      await d.db.insert(users).values({ telegramId: 5n });
      const rows = Array.from({ length: LOAD_IPNS }, (_, i) => ({
        reference: `bench${i.toString().padStart(8, "0")}`,
        kind: "subscription" as const,
        userId: 5n,
        channelId: ch!.id,
        tierId: tier!.id,
        amount: "10",
        currency: "usd",
        durationDays: 30,
        status: "waiting" as const,
      }));
      for (let i = 0; i < rows.length; i += 500) await d.db.insert(orders).values(rows.slice(i, i + 500));
      refs.push(...rows.map((r) => r.reference));
      await d.close();
    } else {
      for (let i = 0; i < LOAD_IPNS; i++) refs.push(`unknown${i}`);
    }
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const i = next++;
        const body = {
          payment_id: 5_000_000 + i,
          invoice_id: 6_000_000 + i,
          payment_status: "finished",
          pay_address: "addr",
          price_amount: 10,
          price_currency: "usd",
          pay_amount: 0.0001,
          actually_paid: 0.0001,
          pay_currency: "btc",
          order_id: refs[i],
          order_description: "bench",
          purchase_id: String(7_000_000 + i),
          outcome_amount: 9.9,
          outcome_currency: "usdttrc20",
          parent_payment_id: null,
          fee: { currency: "usd", depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
          updated_at: Date.now(),
        };
        const res = await fetch(`http://127.0.0.1:${port}/webhooks/nowpayments`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-nowpayments-sig": signIpnBody(body, IPN_SECRET) },
          body: JSON.stringify(body),
        });
        if (res.status !== 200) throw new Error(`IPN answered ${res.status}: ${await res.text()}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return refs.length;
  }
}

await main();
