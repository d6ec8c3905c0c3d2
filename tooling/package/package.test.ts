import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BotApiEmulator,
  createTestDatabase,
  freePort,
  startBotApiEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, NODE_FLAGS, type PackageResult, packageApp } from "./package.ts";

// Packages each Cloud Run app the way the image is built and starts it from the packaged folder
// alone (cwd = that folder, only its node_modules) with the image's V8 flags: real Postgres
// (TEST_DATABASE_URL) or the embedded PGlite in a temp DATA_DIR (which proves the wasm files survive
// packaging), the Pub/Sub emulator, and the Bot API emulator standing in for Telegram. Each run lists
// the modules it loaded, so a Google client (or PGlite) loaded where it is not used is a failure.

const PUBSUB = process.env.PUBSUB_EMULATOR_HOST ?? "127.0.0.1:8085";
let work: string;
let telegram: BotApiEmulator;
let database: TestDatabase | undefined;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "telepay-package-"));
  telegram = await startBotApiEmulator();
  if (process.env.TEST_DATABASE_URL) database = await createTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await telegram?.stop();
  await database?.close();
  await rm(work, { recursive: true, force: true });
});

function envFor(app: App, port: number, dataDir: string): Record<string, string> {
  const prefix = `pkg${randomBytes(3).toString("hex")}-`;
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    PORT: String(port),
    LOG_LEVEL: "warn",
    PUBSUB_EMULATOR_HOST: PUBSUB,
    GOOGLE_CLOUD_PROJECT: "telepay-local",
    PUBSUB_TOPIC_PREFIX: prefix,
    ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir }),
  };
  const telegramEnv = {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_BOT_USERNAME: "telepay_test_bot",
  };
  switch (app) {
    case "webhook-ingress":
      return { ...common, NOWPAYMENTS_IPN_SECRET: "ipn-secret-for-tests" };
    case "bot-gateway":
      return {
        ...common,
        ...telegramEnv,
        TELEGRAM_MODE: "webhook",
        TELEGRAM_WEBHOOK_SECRET: "webhook_secret_for_tests",
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        NOWPAYMENTS_API_KEY: "test-api-key",
      };
    case "notifier":
      return {
        ...common,
        ...telegramEnv,
        WEBHOOK_SIGNING_SECRET: "signing-secret-for-tests-0123456789",
        NOTIFIER_CONSUME: "push",
        PUSH_VERIFY_OIDC: "false",
      };
    default:
      throw new Error(`no test env for ${app}`);
  }
}

/** Polls /health until 200, or fails with the process's output if it exits first. */
async function waitHealthy(child: ChildProcess, port: number, output: () => string) {
  const deadline = Date.now() + 90_000;
  let last = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before healthy:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return JSON.parse(last.slice(4));
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not healthy in time (last: ${last}):\n${output()}`);
}

/** What one packaged run saw: /health, the process's output, and every module file it loaded. */
interface PackagedRun {
  health: { status: string; service: string; components: Record<string, string> };
  output: string;
  /** URLs of the module files loaded (loaded-modules.mjs), from start to exit. */
  modules: string[];
}

/**
 * Starts `node dist/main.js` from the packaged folder alone (cwd = that folder, only its
 * node_modules), waits for 200 on /health, sends SIGTERM and expects a clean exit within Cloud
 * Run's 10 s. The process is preloaded with loaded-modules.mjs, which lists what it loaded.
 */
async function runPackaged(outDir: string, env: Record<string, string>): Promise<PackagedRun> {
  const port = Number(env.PORT);
  const modulesFile = join(work, `modules-${randomBytes(4).toString("hex")}.txt`);
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, "--import", join(import.meta.dirname, "loaded-modules.mjs"), "dist/main.js"],
    { cwd: outDir, env: { ...env, TELEPAY_LOADED_MODULES: modulesFile }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const health = await waitHealthy(child, port, () => output);
  // Cloud Run sends SIGTERM and allows 10 s.
  const stopAt = Date.now();
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(Date.now() - stopAt).toBeLessThan(10_000);
  const modules = (await readFile(modulesFile, "utf8")).split("\n").filter(Boolean);
  return { health, output, modules };
}

/** Module files of npm packages under names matching `pattern`, as "package/path" for a readable failure. */
function loadedFrom(modules: string[], pattern: RegExp): string[] {
  return modules
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url))
    .filter((m): m is RegExpExecArray => m !== null && pattern.test(m[1]!))
    .map((m) => `${m[1]}/${m[2]}`);
}

const GOOGLE_CLIENTS = /^(@google-cloud\/.+|google-auth-library|google-gax|@grpc\/grpc-js)$/;

describe.each(["webhook-ingress", "bot-gateway", "notifier"] as const)("packaged %s", (app) => {
  let outDir: string;
  let result: PackageResult;
  beforeAll(async () => {
    outDir = join(work, app);
    result = await packageApp(app, outDir);
  });

  it("runs from its folder alone: 200 on /health, clean exit on SIGTERM", async () => {
    // The image content: a bundle, migrations, the npm packages loaded at run time — no workspace TypeScript.
    expect(existsSync(join(outDir, "dist", "main.js"))).toBe(true);
    // Migrations sit at ../drizzle of the chunk holding packages/db's migrate.ts, where it reads them.
    const shipped = await readdir(outDir, { recursive: true });
    expect(shipped.filter((f) => f.endsWith(join("drizzle", "meta", "_journal.json")))).toHaveLength(1);
    // The message catalogs ship beside dist/ (createApp reads them at start, so /health proves they load).
    if (app !== "webhook-ingress") expect(existsSync(join(outDir, "locales", "pt-BR.ftl"))).toBe(true);
    expect(existsSync(join(outDir, "node_modules", "@telepay"))).toBe(false);
    expect(existsSync(join(outDir, "src"))).toBe(false);
    expect(result.externals.some((e) => e.startsWith("@telepay/"))).toBe(false);
    // Pure-JS packages are bundled; Pub/Sub stays a run-time import, loaded on first use (the
    // apps benchmark's load publishes through it from the packaged folder).
    expect(result.externals).not.toContain("postgres");
    expect(result.externals).toContain("@google-cloud/pubsub");

    const port = await freePort();
    const run = await runPackaged(outDir, envFor(app, port, join(work, `${app}-data`)));
    expect(run.health).toMatchObject({ status: "healthy", service: app });
    expect(run.health.components.database).toBe("ok");
    // Configured for Pub/Sub but with nothing to publish or consume yet (push mode, empty outbox):
    // the client loads on first use (createDeferredPubSubBus), so an idle instance never loads it.
    if (app !== "bot-gateway") expect(run.health.components.bus).toBe("ok");
    expect(run.modules.some((url) => url.endsWith("/dist/main.js"))).toBe(true);
    expect(loadedFrom(run.modules, GOOGLE_CLIENTS)).toEqual([]);
    // Logs are JSON lines Cloud Logging understands (severity field), secrets never printed.
    for (const line of run.output.trim().split("\n").filter(Boolean)) {
      if (!line.startsWith("{")) continue;
      expect(JSON.parse(line)).toHaveProperty("severity");
    }
    expect(run.output).not.toContain(telegram.token.split(":")[1]!);
    const files = await readdir(join(outDir, "dist"), { recursive: true });
    expect(files.filter((f) => f.endsWith(".ts"))).toEqual([]);
  });

  it("loads no Google client library at start-up when it is not configured to use one", async () => {
    // No GOOGLE_CLOUD_PROJECT / PUBSUB_EMULATOR_HOST, no X_SECRET, no CLOUD_SQL_CONNECTION_NAME,
    // push OIDC verification off: nothing of Google's may be loaded, and on Postgres no PGlite either.
    const port = await freePort();
    const env = envFor(app, port, join(work, `${app}-data-nopubsub`));
    delete env.PUBSUB_EMULATOR_HOST;
    delete env.GOOGLE_CLOUD_PROJECT;
    delete env.PUBSUB_TOPIC_PREFIX;
    // Without a configured username the bot asks Telegram (getMe) through grammY at start.
    if (app === "bot-gateway") delete env.TELEGRAM_BOT_USERNAME;
    if (app === "notifier") {
      // Pull from the in-process bus; OIDC verification at its default (on), with no push route.
      delete env.NOTIFIER_CONSUME;
      delete env.PUSH_VERIFY_OIDC;
    }
    const run = await runPackaged(outDir, env);
    expect(run.health).toMatchObject({ status: "healthy", service: app });
    expect(run.modules.some((url) => url.endsWith("/dist/main.js"))).toBe(true);
    expect(loadedFrom(run.modules, GOOGLE_CLIENTS)).toEqual([]);
    if (database) expect(loadedFrom(run.modules, /^@electric-sql\//)).toEqual([]);
  });
});
