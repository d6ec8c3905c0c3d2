/**
 * `pnpm bench`: runs every benchmark, gathers the BENCH_RESULT lines they print (figure.ts), and
 * writes one markdown report (bench-report.md at the repo root) with each figure, its target and
 * the machine it ran on; the same table replaces the block between the bench markers in README.md.
 * Benchmarks need Postgres (TEST_DATABASE_URL or 127.0.0.1:5432/test) and start their own
 * emulators; a Pub/Sub emulator is started here when PUBSUB_EMULATOR_HOST is unset.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import { startPubSubEmulator } from "@telepay/testing";
import { type Figure, parseFigures } from "./figure.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const BENCHES: Array<{ name: string; filter: string; script: string }> = [
  { name: "ingress", filter: "@telepay/webhook-ingress", script: "bench" },
  { name: "events", filter: "@telepay/events", script: "bench" },
  { name: "notifier", filter: "@telepay/notifier", script: "bench" },
  { name: "apps", filter: "@telepay/bench", script: "bench:apps" },
];

function run(
  filter: string,
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn("pnpm", ["--silent", "--filter", filter, "run", script], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const take = (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("close", (code) =>
      done({ code: code ?? 1, output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
};
const emulator = process.env.PUBSUB_EMULATOR_HOST ? undefined : await startPubSubEmulator();
if (emulator) env.PUBSUB_EMULATOR_HOST = emulator.host;

const only = process.argv.slice(2);
// The 1-minute load average at the start and the end: wall-clock figures on a shared machine say
// as much about the neighbours as about TelePay (the CPU-time figures much less).
const loadAtStart = loadavg()[0]!;
const rows: Array<Figure & { bench: string }> = [];
const failures: string[] = [];
try {
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    console.log(`\n=== bench:${bench.name} ===`);
    const result = await run(bench.filter, bench.script, env);
    const figures = parseFigures(result.output);
    if (result.code !== 0) failures.push(`${bench.name} exited ${result.code}`);
    if (figures.length === 0) failures.push(`${bench.name} printed no figures`);
    rows.push(...figures.map((f) => ({ ...f, bench: bench.name })));
    console.log(`=== bench:${bench.name}: ${figures.length} figures in ${result.seconds.toFixed(0)} s ===`);
  }
} finally {
  await emulator?.stop({ hard: true });
}

// A run of some benchmarks (`pnpm bench apps`) keeps the other benchmarks' rows of the last report,
// saying which run they come from, so the report always lists every figure.
const reportPath = resolve(ROOT, "bench-report.md");
const previous = (() => {
  try {
    return readFileSync(reportPath, "utf8");
  } catch {
    return "";
  }
})();
const ran = new Set(rows.map((r) => r.bench));
const keptLines = new Map<string, string[]>();
for (const line of previous.split("\n")) {
  const bench = /^\| ([\w-]+) \|/.exec(line)?.[1];
  if (bench && bench !== "benchmark" && !ran.has(bench) && BENCHES.some((b) => b.name === bench))
    keptLines.set(bench, [...(keptLines.get(bench) ?? []), line]);
}
const previousMachine = /^Machine: (.*?)\.?$/m.exec(previous)?.[1];

const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
const load = `load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`;
const machine = `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${load}`;
const fmt = (v: number | string) =>
  typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 2 }) : v;
const rowLine = (r: Figure & { bench: string }) =>
  `| ${r.bench} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.target ?? "—"} | ${r.met === undefined ? "—" : r.met ? "yes" : "**no**"} |`;
const kept = [...keptLines.keys()];
const table = [
  `Machine: ${machine}.`,
  ...(kept.length > 0 && previousMachine
    ? ["", `Rows of ${kept.join(", ")}: from the previous report (${previousMachine}).`]
    : []),
  "",
  "| benchmark | figure | value | target | met |",
  "|---|---|---|---|---|",
  ...BENCHES.flatMap((b) =>
    ran.has(b.name) ? rows.filter((r) => r.bench === b.name).map(rowLine) : (keptLines.get(b.name) ?? []),
  ),
  ...(failures.length ? ["", `Incomplete: ${failures.join("; ")}.`] : []),
].join("\n");

writeFileSync(reportPath, `# TelePay benchmark report\n\n${table}\n`);
const readmePath = resolve(ROOT, "README.md");
const readme = readFileSync(readmePath, "utf8");
const start = "<!-- bench:start -->";
const end = "<!-- bench:end -->";
if (readme.includes(start) && readme.includes(end)) {
  const updated = readme.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${table}\n${end}`);
  writeFileSync(readmePath, updated);
}
// Biome formats Markdown tables (aligned columns): format what was written, so `pnpm lint` stays clean.
const formatted = spawnSync("pnpm", ["exec", "biome", "format", "--write", reportPath, readmePath], {
  cwd: ROOT,
  stdio: "ignore",
});
if (formatted.status !== 0) console.log("(biome format of the report failed: run pnpm format)");
console.log(`\n${table}\n\nWrote bench-report.md${readme.includes(start) ? " and the README table" : ""}.`);
process.exit(failures.length ? 1 : 0);
