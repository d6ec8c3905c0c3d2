// `pnpm test` (and .ci/run): every package's vitest, a few jobs at a time, slowest first. A job is a
// package, or one of the long files .ci/test-split.ts gives a job of its own (its package's job then
// excludes it).
//
//   node .ci/run-tests.ts [--checks] [--report <file name>] [--concurrency <n>] [package name...]
//
// Packages run in parallel because nothing they use is shared between them: every test file makes
// its own database (createTestDatabase), its own emulators and servers on free ports, and its own
// Pub/Sub topics under a random prefix on the one emulator CI starts. Inside a package vitest keeps
// the package's own settings (fileParallelism), so a package that runs its files one by one still
// does. The longest jobs start first (JOB_SECONDS, measured) so the run ends on short ones instead of
// waiting for one long job started last.
//
// --checks also runs `pnpm lint` and `pnpm typecheck` alongside (what .ci/run does): they need no
// services, and the machine has idle time while the test processes wait on Postgres and servers.
// --report <name>: each package's vitest also writes a JSON report of that name in its folder
// (.ci/test-summary.ts adds them up). Each job's output is printed in one piece when it ends, so
// parallel logs never interleave; a job that fails makes the exit status 1.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { JOB_SECONDS, OWN_JOB_FILES, recordJobExit, reportFileName } from "./test-split.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Options {
  checks: boolean;
  report: string | undefined;
  concurrency: number;
  only: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    checks: false,
    report: undefined,
    // Four on two cores: many jobs mostly wait (paced bot conversations, outages, long polls), and
    // with three the CPU sat idle ~15% of the run; four took the test phase from 450 s to 389 s.
    concurrency: Number(process.env.TELEPAY_TEST_CONCURRENCY ?? 4),
    only: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "--checks") options.checks = true;
    else if (arg === "--report") options.report = argv[++i];
    else if (arg === "--concurrency") options.concurrency = Number(argv[++i]);
    else if (arg.startsWith("-")) throw new Error(`run-tests: unknown option ${arg}`);
    else options.only.push(arg);
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new Error("run-tests: --concurrency (or TELEPAY_TEST_CONCURRENCY) must be a whole number ≥ 1");
  }
  return options;
}

export interface TestPackage {
  name: string;
  dir: string;
}

/** Workspace packages with a `test` script, in folder order. */
export function testPackages(root: string = ROOT): TestPackage[] {
  const found: TestPackage[] = [];
  for (const group of ["apps", "packages", "tooling"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifest = join(base, entry.name, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        scripts?: Record<string, string>;
      };
      if (pkg.name && pkg.scripts?.test) found.push({ name: pkg.name, dir: join(base, entry.name) });
    }
  }
  return found;
}

interface Job {
  label: string;
  command: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Its vitest JSON report, relative to cwd (--report). */
  report?: string;
}

/** tooling/run/resolve-hooks.cjs: what `pnpm start` and `pnpm telepay` preload. */
export const RESOLVE_HOOKS = join(ROOT, "tooling", "run", "resolve-hooks.cjs");

/**
 * The environment of a package's test job: ours, with the resolve hook (and through it Node's
 * compile cache) preloaded into every node process of the job that inherits it — vitest and its
 * workers above all. On Node 24 each test file's worker otherwise re-parses drizzle-orm's 179 KB
 * package.json for each of its ~110 files and compiles the same modules afresh: measured ~35% of
 * a package's test CPU on the 2-core machine. Children a test starts with an environment of its
 * own do not inherit it; they get pnpm's flags explicitly (@telepay/testing sourceNodeFlags).
 */
export function testEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const preload = `--require=${/\s/.test(RESOLVE_HOOKS) ? JSON.stringify(RESOLVE_HOOKS) : RESOLVE_HOOKS}`;
  const options = env.NODE_OPTIONS ?? "";
  return options.includes(preload) ? { ...env } : { ...env, NODE_OPTIONS: `${options} ${preload}`.trim() };
}

interface Outcome {
  label: string;
  ok: boolean;
  seconds: number;
}

const children = new Set<ChildProcess>();
/** Set by SIGINT/SIGTERM: no job starts after it. */
let stopping = false;

/** Runs `job` to the end; its output (stdout and stderr) is printed in one piece afterwards. */
function run(job: Job): Promise<Outcome> {
  const started = Date.now();
  console.error(`run-tests: ${job.label} started`);
  return new Promise((resolve) => {
    const [command, ...args] = job.command;
    // Its own process group, so an interrupted run can stop everything the job started.
    const child = spawn(command!, args, {
      cwd: job.cwd,
      env: job.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.add(child);
    const output: Buffer[] = [];
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk));
    const finish = (ok: boolean, note = "") => {
      children.delete(child);
      const seconds = Math.round((Date.now() - started) / 1000);
      const rule = "─".repeat(8);
      process.stdout.write(`\n${rule} ${job.label} (${relative(ROOT, job.cwd) || "."}) ${rule}\n`);
      process.stdout.write(Buffer.concat(output));
      if (job.report) recordJobExit(join(job.cwd, job.report), ok);
      console.error(`run-tests: ${job.label} ${ok ? "passed" : `FAILED${note}`} in ${seconds} s`);
      resolve({ label: job.label, ok, seconds });
    };
    child.once("error", (err) => finish(false, ` (${err.message})`));
    child.once("close", (code, signal) => finish(code === 0, signal ? ` (${signal})` : ` (exit ${code})`));
  });
}

/** Runs `jobs` with at most `limit` at once, in order. */
async function pool(jobs: Job[], limit: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !stopping) {
      const job = jobs[next++]!;
      outcomes.push(await run(job));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return outcomes;
}

function stopAll(signal: NodeJS.Signals) {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let packages = testPackages();
  if (options.only.length > 0) {
    const unknown = options.only.filter((name) => !packages.some((p) => p.name === name));
    if (unknown.length > 0)
      throw new Error(`run-tests: no package with a test script named ${unknown.join(", ")}`);
    packages = packages.filter((p) => options.only.includes(p.name));
  }
  const reporterArgs = (file?: string) =>
    options.report
      ? ["--reporter=default", "--reporter=json", `--outputFile.json=${reportFileName(options.report, file)}`]
      : [];
  // A package's listed files first, each as its own job (.ci/test-split.ts), then the rest of it.
  const testJobs: Job[] = packages.flatMap((p) => {
    const own = OWN_JOB_FILES[p.name] ?? [];
    const job = (label: string, args: string[], file?: string): Job => ({
      label,
      ...(options.report ? { report: reportFileName(options.report, file) } : {}),
      command: ["pnpm", "run", "--silent", "test", ...args],
      cwd: p.dir,
      env: testEnv(),
    });
    return [
      ...own.map((file) => job(`${p.name} ${file}`, [...reporterArgs(file), file], file)),
      job(own.length > 0 ? `${p.name} (the rest)` : p.name, [
        ...reporterArgs(),
        ...own.flatMap((file) => ["--exclude", `**/${file}`]),
      ]),
    ];
  });
  // Longest first (measured, .ci/test-split.ts JOB_SECONDS); the rest after them, in folder order.
  const seconds = (job: Job) => JOB_SECONDS[job.label] ?? -1;
  testJobs.sort((a, b) => seconds(b) - seconds(a));

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopping = true;
      stopAll("SIGTERM");
      setTimeout(() => stopAll("SIGKILL"), 5_000).unref();
      process.exitCode = 130;
    });
  }

  const started = Date.now();
  console.error(
    `run-tests: ${packages.length} packages in ${testJobs.length} jobs, ${options.concurrency} at a time${options.checks ? ", with pnpm lint and pnpm typecheck alongside" : ""}`,
  );
  const checks = options.checks
    ? pool(
        [
          { label: "pnpm lint", command: ["pnpm", "run", "--silent", "lint"], cwd: ROOT },
          { label: "pnpm typecheck", command: ["pnpm", "run", "--silent", "typecheck"], cwd: ROOT },
        ],
        1,
      )
    : Promise.resolve([]);
  const outcomes = [...(await pool(testJobs, options.concurrency)), ...(await checks)];

  const failed = outcomes.filter((o) => !o.ok);
  console.error(
    `run-tests: done in ${Math.round((Date.now() - started) / 1000)} s; ${outcomes
      .sort((a, b) => b.seconds - a.seconds)
      .map((o) => `${o.label} ${o.seconds} s${o.ok ? "" : " FAILED"}`)
      .join(", ")}`,
  );
  if (failed.length > 0) {
    console.error(`run-tests: failed: ${failed.map((o) => o.label).join(", ")}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
