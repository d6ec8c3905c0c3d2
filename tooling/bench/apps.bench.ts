/**
 * Cold start of each app to its first healthy /health, its memory at idle and under load — as it
 * runs in production:
 * - bot-gateway, webhook-ingress, notifier: packaged exactly as the image (`pnpm package:<app>`,
 *   tooling/package/package.ts) and run from that folder with the image's V8 flags (NODE_FLAGS), each
 *   started BENCH_APPS_STARTS times with Pub/Sub configured (the emulator; the notifier consumes by
 *   push with OIDC verification on, as on Cloud Run) and as often without (the Google clients are
 *   then never loaded), against a fresh Postgres database;
 * - standalone: from source with `pnpm start`'s node command line (without the pnpm wrapper, so the
 *   process measured is TelePay's), first on an empty DATA_DIR with an empty seed cache (a new machine),
 *   then on a second empty DATA_DIR (a copy of the migrated seed), then
 *   BENCH_APPS_STARTS warm starts on that DATA_DIR.
 * Figures are medians over the starts (this machine is shared: single starts vary by 2×). After the
 * last start each app gets its production kind of load. Needs Postgres; starts its own emulators.
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
  freePort,
  signIpnBody,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  startPubSubEmulator,
} from "@telepay/testing";
import { NODE_FLAGS, packageApp } from "../package/package.ts";
import { type Figure, reportFigure } from "./figure.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const IPN_SECRET = "bench-ipn-secret";
const API_KEY = "bench-api-key";
const SIGNING_SECRET = randomBytes(32).toString("hex");
const LOAD_IPNS = Number(process.env.BENCH_APPS_IPNS ?? 2000);
const LOAD_USERS = Number(process.env.BENCH_APPS_USERS ?? 300);
const STARTS = Number(process.env.BENCH_APPS_STARTS ?? 5);
/** How long after its first healthy /health a process counts as idle. */
const IDLE_MS = 2_000;
/** Targets of the Cloud Run services (512 MiB instances) and of standalone on a laptop. */
const SERVICE_HEALTHY_MS = 1_000;
const SERVICE_IDLE_MIB = 120;
const STANDALONE_HEALTHY_MS = 2_000;
const STANDALONE_IDLE_MIB = 350;

type ServiceName = "webhook-ingress" | "bot-gateway" | "notifier";
type AppName = ServiceName | "standalone";

function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/**
 * CPU the process has used so far (user + system, /proc/<pid>/stat, 100 ticks a second), in ms: on a
 * shared machine the wall time to healthy mostly measures the neighbours, this measures TelePay.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

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

/** `pnpm start`'s command line from package.json, run with node directly (no pnpm process). */
function standaloneCommand(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start;
  const [node, ...args] = script.split(/\s+/);
  if (node !== "node") throw new Error(`package.json start does not run node: ${script}`);
  return args;
}

interface Started {
  child: ChildProcess;
  port: number;
  healthyMs: number;
  /** CPU time (user + system) the process used until it was healthy. */
  healthyCpuMs: number;
  idleMiB: number;
}

async function main() {
  const pubsub = await startPubSubEmulator();
  const tg = await startBotApiEmulator();
  const np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
  const work = mkdtempSync(join(tmpdir(), "telepay-bench-apps-"));
  const figures: Figure[] = [];
  const table: string[] = [];
  try {
    const only = process.env.BENCH_APPS?.split(",");
    const wanted = (app: AppName) => !only || only.includes(app);

    const baseEnv = (port: number, prefix: string): Record<string, string> => ({
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
      PUBSUB_TOPIC_PREFIX: prefix,
      NOTIFIER_CONSUME: "subscribe",
    });

    /** One start: spawn, time to 200 on /health, RSS after IDLE_MS. The caller stops it. */
    async function startOnce(label: string, args: string[], cwd: string, env: Record<string, string>) {
      const port = Number(env.PORT);
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr?.on("data", (c: Buffer) => {
        stderr = (stderr + c.toString()).slice(-4000);
      });
      try {
        const healthyMs = await waitHealthy(port, child, started).catch((err: Error) => {
          throw new Error(`${label}: ${err.message}\n${stderr}`);
        });
        const healthyCpuMs = cpuMs(child.pid!);
        await new Promise((r) => setTimeout(r, IDLE_MS));
        return { child, port, healthyMs, healthyCpuMs, idleMiB: memoryMiB(child.pid!).rss } satisfies Started;
      } catch (error) {
        await stop(child);
        throw error;
      }
    }

    /** STARTS starts; all but the last are stopped. Prints each, returns the medians and the last. */
    async function starts(label: string, run: () => Promise<Started>) {
      const runs: Started[] = [];
      for (let i = 0; i < STARTS; i++) {
        const r = await run();
        console.log(
          `${label} #${i + 1}: healthy after ${r.healthyMs.toFixed(0)} ms (${r.healthyCpuMs} ms of CPU), idle ${r.idleMiB.toFixed(0)} MiB`,
        );
        runs.push(r);
        if (i < STARTS - 1) await stop(r.child);
      }
      return {
        healthyMs: median(runs.map((r) => r.healthyMs)),
        healthyCpuMs: median(runs.map((r) => r.healthyCpuMs)),
        idleMiB: median(runs.map((r) => r.idleMiB)),
        last: runs.at(-1)!,
      };
    }

    for (const app of (["webhook-ingress", "bot-gateway", "notifier"] as const).filter(wanted)) {
      const packaged = await packageApp(app, join(work, app));
      const args = [...NODE_FLAGS, "dist/main.js"];
      for (const withPubSub of [false, true]) {
        const db = await createTestDatabase(SERVER_URL);
        const config = withPubSub ? "Pub/Sub configured" : "Pub/Sub not configured";
        let last: Started | undefined;
        try {
          const result = await starts(`${app} (packaged, ${config})`, async () => {
            // A port nobody holds now (the machine is shared: a counter collided with other runs).
            const port = await freePort();
            const env: Record<string, string> = {
              ...baseEnv(port, `bench-${app}-${randomBytes(3).toString("hex")}-`),
              DATABASE_URL: db.url!,
            };
            if (!withPubSub) {
              delete env.PUBSUB_EMULATOR_HOST;
              delete env.GOOGLE_CLOUD_PROJECT;
            } else if (app === "notifier") {
              // As on Cloud Run (infra/cloudrun/notifier.yaml): Pub/Sub pushes, tokens are verified.
              Object.assign(env, {
                NOTIFIER_CONSUME: "push",
                PUSH_VERIFY_OIDC: "true",
                PUSH_AUDIENCE: `http://127.0.0.1:${port}/pubsub/push`,
                PUSH_SERVICE_ACCOUNT_EMAIL: "pubsub-push@telepay-bench.iam.gserviceaccount.com",
              });
            }
            return startOnce(app, args, packaged.outDir, env);
          });
          last = result.last;
          figures.push(
            {
              figure: `${app} (packaged, ${config}): healthy after start, median of ${STARTS}`,
              value: Math.round(result.healthyMs),
              unit: "ms",
              target: `< ${SERVICE_HEALTHY_MS.toLocaleString("en-US")} ms`,
              met: result.healthyMs < SERVICE_HEALTHY_MS,
            },
            {
              figure: `${app} (packaged, ${config}): CPU used until healthy, median of ${STARTS}`,
              value: Math.round(result.healthyCpuMs),
              unit: "ms",
            },
            {
              figure: `${app} (packaged, ${config}): RSS at idle, median of ${STARTS}`,
              value: Math.round(result.idleMiB),
              unit: "MiB",
              target: `< ${SERVICE_IDLE_MIB} MiB`,
              met: result.idleMiB < SERVICE_IDLE_MIB,
            },
          );
          table.push(
            `| ${app} | packaged, ${config} | ${result.healthyMs.toFixed(0)} ms | ${result.idleMiB.toFixed(0)} MiB |`,
          );
          if (withPubSub) {
            // Production's configuration gets production's kind of traffic.
            const loadStarted = performance.now();
            const loadNote = await applyLoad(app, last.port, db.url);
            const peak = memoryMiB(last.child.pid!).peak;
            const loadSeconds = (performance.now() - loadStarted) / 1000;
            console.log(
              `${app}: peak RSS under load ${peak.toFixed(0)} MiB (${loadNote} in ${loadSeconds.toFixed(1)} s)`,
            );
            figures.push({
              figure: `${app} (packaged): peak RSS under load (${loadNote})`,
              value: Math.round(peak),
              unit: "MiB",
              target: "< 512 MiB (Cloud Run instance)",
              met: peak < 512,
            });
          }
        } finally {
          if (last) await stop(last.child);
          await db.close();
        }
      }
    }

    if (wanted("standalone")) {
      const dataDir = join(work, "standalone-data");
      const args = standaloneCommand();
      const env = async () => {
        const e: Record<string, string> = { ...baseEnv(await freePort(), ""), DATA_DIR: dataDir };
        delete e.PUBSUB_EMULATOR_HOST;
        delete e.GOOGLE_CLOUD_PROJECT;
        delete e.PUBSUB_TOPIC_PREFIX;
        delete e.WEBHOOK_SIGNING_SECRET; // kept in DATA_DIR, as on a laptop
        return e;
      };
      // The very first start on a machine builds the migrated seed (initdb + migrations) in the
      // user's cache; every later new DATA_DIR is a copy of it (packages/db/src/embedded-seed.ts).
      // An empty XDG_CACHE_HOME stands for a new machine; the second empty folder has the seed.
      const seedCache = join(work, "xdg-cache");
      const first = await startOnce("standalone", args, ROOT, {
        ...(await env()),
        XDG_CACHE_HOME: seedCache,
      });
      await stop(first.child);
      console.log(
        `standalone, empty DATA_DIR on a new machine: healthy after ${first.healthyMs.toFixed(0)} ms (initdb, migrations, the seed kept)`,
      );
      const seeded = await startOnce("standalone", args, ROOT, {
        ...(await env()),
        DATA_DIR: join(work, "standalone-data-2"),
        XDG_CACHE_HOME: seedCache,
      });
      await stop(seeded.child);
      console.log(
        `standalone, another empty DATA_DIR: healthy after ${seeded.healthyMs.toFixed(0)} ms (a copy of the seed)`,
      );
      const warm = await starts("standalone (pnpm start, existing DATA_DIR)", async () =>
        startOnce("standalone", args, ROOT, await env()),
      );
      try {
        figures.push(
          {
            figure:
              "standalone (pnpm start): healthy after start on an empty DATA_DIR on a new machine (initdb, migrations, seed kept)",
            value: Math.round(first.healthyMs),
            unit: "ms",
          },
          {
            figure:
              "standalone (pnpm start): healthy after start on another empty DATA_DIR (copy of the migrated seed)",
            value: Math.round(seeded.healthyMs),
            unit: "ms",
          },
          {
            figure: `standalone (pnpm start): healthy after start on an existing DATA_DIR, median of ${STARTS}`,
            value: Math.round(warm.healthyMs),
            unit: "ms",
            target: `< ${STANDALONE_HEALTHY_MS.toLocaleString("en-US")} ms`,
            met: warm.healthyMs < STANDALONE_HEALTHY_MS,
          },
          {
            figure: `standalone (pnpm start): CPU used until healthy on an existing DATA_DIR, median of ${STARTS}`,
            value: Math.round(warm.healthyCpuMs),
            unit: "ms",
          },
          {
            figure: `standalone (pnpm start): RSS at idle (includes embedded PGlite), median of ${STARTS}`,
            value: Math.round(warm.idleMiB),
            unit: "MiB",
            target: `< ${STANDALONE_IDLE_MIB} MiB`,
            met: warm.idleMiB < STANDALONE_IDLE_MIB,
          },
        );
        table.push(
          `| standalone | pnpm start, empty DATA_DIR, new machine | ${first.healthyMs.toFixed(0)} ms | ${first.idleMiB.toFixed(0)} MiB |`,
          `| standalone | pnpm start, another empty DATA_DIR (seed) | ${seeded.healthyMs.toFixed(0)} ms | ${seeded.idleMiB.toFixed(0)} MiB |`,
          `| standalone | pnpm start, existing DATA_DIR | ${warm.healthyMs.toFixed(0)} ms | ${warm.idleMiB.toFixed(0)} MiB |`,
        );
        const loadStarted = performance.now();
        const loadNote = await applyLoad("standalone", warm.last.port, undefined);
        const peak = memoryMiB(warm.last.child.pid!).peak;
        const loadSeconds = (performance.now() - loadStarted) / 1000;
        console.log(
          `standalone: peak RSS under load ${peak.toFixed(0)} MiB (${loadNote} in ${loadSeconds.toFixed(1)} s)`,
        );
        figures.push({
          figure: `standalone (pnpm start): peak RSS under load (${loadNote})`,
          value: Math.round(peak),
          unit: "MiB",
        });
      } finally {
        await stop(warm.last.child);
      }
    }
  } finally {
    await tg.stop();
    await np.stop();
    await pubsub.stop({ hard: true });
    rmSync(work, { recursive: true, force: true });
  }

  console.log(`\n| app | how | healthy after start (median of ${STARTS}) | RSS at idle |`);
  console.log("|---|---|---|---|");
  for (const row of table) console.log(row);
  for (const f of figures) reportFigure(f);

  /** Drives the kind of traffic each app serves in production and waits until it was handled. */
  async function applyLoad(app: AppName, port: number, dbUrl: string | undefined): Promise<string> {
    if (app === "webhook-ingress" || app === "standalone") {
      const sent = await ipnLoad(port, dbUrl, app === "standalone");
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

  async function ipnLoad(port: number, dbUrl: string | undefined, embedded: boolean): Promise<number> {
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
        // A 503 ("not recorded, retry later") is retried, as NOWPayments retries it; counted below.
        for (let attempt = 1; ; attempt++) {
          const res = await fetch(`http://127.0.0.1:${port}/webhooks/nowpayments`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-nowpayments-sig": signIpnBody(body, IPN_SECRET),
            },
            body: JSON.stringify(body),
          });
          if (res.status === 200) break;
          const text = await res.text();
          if (res.status !== 503 || attempt === 5) throw new Error(`IPN answered ${res.status}: ${text}`);
          retried++;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    };
    let retried = 0;
    await Promise.all(Array.from({ length: 16 }, worker));
    if (retried > 0) console.log(`${retried} IPNs answered 503 and were sent again`);
    figures.push({
      figure: `${embedded ? "standalone" : "webhook-ingress"}: IPNs answered 503 (retried, as NOWPayments does)`,
      value: retried,
      unit: `of ${refs.length}`,
    });
    return refs.length;
  }
}

await main();
