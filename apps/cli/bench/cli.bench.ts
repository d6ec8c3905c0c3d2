/**
 * `pnpm --filter @telepay/cli bench`: wall-clock latency of one CLI command (process start to exit)
 * against each database target — Postgres, the embedded database served by a running `pnpm start`
 * (socket), and the embedded database opened directly — plus `payments export` throughput.
 * Prints a table and one BENCH_RESULT line per figure (tooling/bench/figure.ts format).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { channels, openEmbedded, orders, payments, users } from "@telepay/db";
import { createTestDatabase } from "@telepay/testing";
import { runTelepay } from "../test/helpers.ts";

const RUNS = 7;
const EXPORT_ROWS = 20_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const r = await runTelepay(args, env);
  if (r.code !== 0) throw new Error(`telepay ${args.join(" ")} failed: ${r.stderr}`);
  return performance.now() - started;
}

async function latency(env: Record<string, string>): Promise<number> {
  await time(["channel", "list"], env); // warm the OS file cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await time(["channel", "list"], env));
  return median(samples);
}

function report(figure: string, value: number, unit: string, target?: string, met?: boolean) {
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({ figure, value: Math.round(value), unit, ...(target ? { target, met } : {}) })}\n`,
  );
}

const rows: [string, string][] = [];

const pg = await createTestDatabase(
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
);
try {
  const ms = await latency({ DATABASE_URL: pg.url! });
  rows.push(["channel list (Postgres)", `${ms.toFixed(0)} ms`]);
  report("CLI command latency, Postgres (median)", ms, "ms", "< 1500 ms", ms < 1500);

  // payments export: EXPORT_ROWS payments, CSV to a pipe.
  await pg.db.insert(users).values({ telegramId: 1n });
  const [channel] = await pg.db
    .insert(channels)
    .values({
      ownerTelegramId: 1n,
      openChatId: -1001n,
      closedChatId: -1002n,
      payoutWallet: "w",
      payoutCurrency: "btc",
    })
    .returning();
  const chId = channel!.id;
  for (let start = 0; start < EXPORT_ROWS; start += 1000) {
    const made = await pg.db
      .insert(orders)
      .values(
        Array.from({ length: 1000 }, (_, i) => ({
          reference: `b${start + i}`,
          kind: "donation" as const,
          userId: 1n,
          channelId: chId,
          amount: "5.00",
          currency: "USD",
        })),
      )
      .returning({ id: orders.id, reference: orders.reference });
    await pg.db.insert(payments).values(
      made.map((o, i) => ({
        paymentId: `bp${start + i}`,
        orderId: o.id,
        orderReference: o.reference,
        status: "finished",
        priceAmount: "5.00",
        actuallyPaid: "0.0001234",
        raw: {},
      })),
    );
  }
  const exportMs = await time(["payments", "export"], { DATABASE_URL: pg.url! });
  const perSecond = EXPORT_ROWS / (exportMs / 1000);
  rows.push([
    `payments export ${EXPORT_ROWS} rows (Postgres)`,
    `${exportMs.toFixed(0)} ms, ${perSecond.toFixed(0)} rows/s`,
  ]);
  report("payments export throughput, Postgres", perSecond, "rows/s");
} finally {
  await pg.close();
}

const dataDir = await mkdtemp(join(tmpdir(), "telepay-cli-bench-"));
try {
  const served = await openEmbedded({ dataDir, serve: true });
  await served.database.migrate();
  const socketMs = await latency({ DATA_DIR: dataDir });
  await served.close();
  rows.push(["channel list (embedded, via running pnpm start)", `${socketMs.toFixed(0)} ms`]);
  report("CLI command latency, embedded via socket (median)", socketMs, "ms", "< 1500 ms", socketMs < 1500);

  const directMs = await latency({ DATA_DIR: dataDir });
  rows.push(["channel list (embedded, opened directly)", `${directMs.toFixed(0)} ms`]);
  report("CLI command latency, embedded direct (median)", directMs, "ms", "< 3000 ms", directMs < 3000);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

process.stdout.write(`\nCLI benchmarks (median of ${RUNS})\n`);
for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(52)} ${value}\n`);
