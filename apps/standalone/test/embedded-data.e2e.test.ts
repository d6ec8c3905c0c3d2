import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedPaths, readLock } from "@telepay/db";
import { type BotApiEmulator, freePort, sourceNodeFlags, startBotApiEmulator } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Every app finds the embedded database the same way, whatever folder it is started from: the real
// `pnpm start` (pnpm runs it in apps/standalone) and the CLI from the repository root, from an app
// folder and from outside the checkout all use one DATA_DIR; a second server on it is refused at
// once; and bot-gateway, notifier and webhook-ingress open embedded data exactly like standalone.

const REPO = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
const app = (name: string) => join(REPO, "apps", name, "src", "main.ts");
const OWNER = 710_001;

let scratch: string;
let tg: BotApiEmulator;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "telepay-embedded-data-"));
  tg = await startBotApiEmulator();
  tg.addUser({ id: OWNER, first_name: "Olga" });
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    // `pnpm start` runs in its own process group (pnpm → pnpm → node): end all of it.
    if (child.spawnargs[0] === "pnpm") process.kill(-child.pid!, "SIGKILL");
    else child.kill("SIGKILL");
  }
  await tg?.stop();
  await rm(scratch, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[], cwd: string, env: Record<string, string>): Running {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: command === "pnpm",
  });
  children.add(child);
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, run?: Running) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (run && run.child.exitCode !== null) {
      throw new Error(`exited ${run.child.exitCode} while waiting for ${what}:\n${run.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run?.output() ?? ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = (run: Running, port: number) =>
  until(
    `/health on ${port}`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    run,
  );

/** The real CLI entry point, started in `cwd`. */
function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...sourceNodeFlags("telepay"), app("cli"), ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

const CHANNEL_ADD = [
  "channel",
  "add",
  "--owner",
  String(OWNER),
  "--open",
  "-1002710000001",
  "--closed",
  "-1002710000002",
  "--tier",
  "5:30",
  "--wallet",
  "TXYZabcdefgh12345",
  "--currency",
  "usdttrc20",
  "--json",
];

function standaloneEnv(port: number): Record<string, string> {
  return {
    PORT: String(port),
    LOG_LEVEL: "info",
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    NOWPAYMENTS_API_KEY: "np-key",
    NOWPAYMENTS_IPN_SECRET: "np-ipn-secret",
    NOWPAYMENTS_API_BASE: "http://127.0.0.1:9/v1",
  };
}

/** Starts standalone on data someone else serves; it must refuse at once, naming who serves it. */
async function expectRefused(dataDirValue: string, cwd: string) {
  const second = start(process.execPath, [...sourceNodeFlags("start"), app("standalone")], cwd, {
    ...standaloneEnv(await freePort()),
    DATA_DIR: dataDirValue,
  });
  const code = await second.exited;
  return { code, output: second.output() };
}

describe("one embedded database, whatever the working directory", () => {
  it("`pnpm start` and the CLI started anywhere share DATA_DIR; a second start is refused naming pid and port", async () => {
    // A relative DATA_DIR takes the same path as the default ./.data; this one is ours alone.
    const relative = `.data/e2e-${randomBytes(4).toString("hex")}`;
    const dataDir = join(REPO, relative);
    const hadDotData = existsSync(join(REPO, ".data"));
    const port = await freePort();
    const env = { ...standaloneEnv(port), DATA_DIR: relative };
    const served = start("pnpm", ["start"], REPO, env);
    try {
      await healthy(served, port);
      const lock = (await readLock(embeddedPaths(dataDir).lockFile))!;
      expect(lock).toMatchObject({ mode: "serve", service: "standalone" });
      // The start-up log names the absolute folder.
      expect(served.output()).toContain(`"dataDir":"${dataDir}"`);

      // `pnpm telepay` at the root adds a channel through the running process…
      const add = await new Promise<{ failed: boolean; stdout: string; stderr: string }>((resolve) =>
        execFile(
          "pnpm",
          ["-s", "telepay", ...CHANNEL_ADD],
          {
            cwd: REPO,
            env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATA_DIR: relative },
          },
          (error, stdout, stderr) => resolve({ failed: error !== null, stdout, stderr }),
        ),
      );
      // (pnpm echoes the command it runs on stderr; the CLI's own errors would follow it.)
      expect(add.stderr).not.toContain("telepay: error");
      expect(add.failed).toBe(false);
      const channelId = (JSON.parse(add.stdout) as { id: number }).id;

      // …and the CLI lists it from an app folder and from outside the checkout.
      for (const cwd of [join(REPO, "apps", "standalone"), scratch]) {
        const list = await cli(["channel", "list", "--json"], cwd, { DATA_DIR: relative });
        expect([list.code, list.stderr]).toEqual([0, ""]);
        expect((JSON.parse(list.stdout) as { id: number }[]).map((c) => c.id)).toEqual([channelId]);
      }
      // Standalone itself lists it to its owner.
      tg.sendUserMessage({ from: OWNER, text: "/mychannels" });
      await until("the bot's channel list", () =>
        tg.messages(OWNER).some((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"mc:o:${channelId}"`))
          ? true
          : undefined,
      );

      // A second standalone, started elsewhere, finds the same data and is refused.
      const refused = await expectRefused(relative, scratch);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(
        `is already served by standalone (pid ${lock.pid} on ${lock.host}) on 127.0.0.1:${lock.port}`,
      );
      expect(served.child.exitCode).toBeNull();

      // Ctrl-C: the whole `pnpm start` group; standalone lets go of DATA_DIR.
      process.kill(-served.child.pid!, "SIGINT");
      await until("DATA_DIR released", async () =>
        (await readLock(embeddedPaths(dataDir).lockFile)) ? undefined : true,
      );
      // Nothing was created beside the one folder.
      expect(existsSync(join(REPO, "apps", "standalone", relative))).toBe(false);
      expect(existsSync(join(scratch, relative))).toBe(false);
      expect(existsSync(embeddedPaths(dataDir).pgdata)).toBe(true);
    } finally {
      if (served.child.exitCode === null) process.kill(-served.child.pid!, "SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
      if (!hadDotData && (await readdir(join(REPO, ".data")).catch(() => ["?"])).length === 0) {
        await rmdir(join(REPO, ".data"));
      }
    }
  });
});

describe.each([
  {
    name: "bot-gateway",
    env: (port: number) => ({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_MODE: "polling",
      TELEGRAM_BOT_USERNAME: "telepay_test_bot",
      NOWPAYMENTS_API_KEY: "np-key",
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    }),
  },
  {
    name: "notifier",
    env: () => ({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_BOT_USERNAME: "telepay_test_bot",
      WEBHOOK_SIGNING_SECRET: "signing-secret-for-tests-0123456789",
    }),
  },
  { name: "webhook-ingress", env: () => ({ NOWPAYMENTS_IPN_SECRET: "np-ipn-secret" }) },
])("$name on embedded data", ({ name, env }) => {
  it("opens DATA_DIR exactly like standalone: pgdata under the lock, migrated, served to the CLI", async () => {
    const dataDir = join(scratch, `${name}-data`);
    const port = await freePort();
    const service = start(process.execPath, [...sourceNodeFlags("start"), app(name)], scratch, {
      ...env(port),
      PORT: String(port),
      LOG_LEVEL: "info",
      DATA_DIR: dataDir,
    });
    try {
      await healthy(service, port);
      expect(await readLock(embeddedPaths(dataDir).lockFile)).toMatchObject({
        mode: "serve",
        service: name,
        pid: service.child.pid,
      });
      expect(existsSync(embeddedPaths(dataDir).pgdata)).toBe(true);
      expect(service.output()).toContain(`"dataDir":"${dataDir}"`);
      // Migrated by the service, and reachable while it runs: the CLI reads the tables through it.
      const list = await cli(["channel", "list", "--json"], REPO, { DATA_DIR: dataDir });
      expect([list.code, list.stderr, list.stdout.trim()]).toEqual([0, "", "[]"]);
      // Standalone on the same data is refused at once, told who serves it.
      const lock = (await readLock(embeddedPaths(dataDir).lockFile))!;
      const refused = await expectRefused(dataDir, scratch);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(
        `is already served by ${name} (pid ${service.child.pid} on ${lock.host}) on 127.0.0.1:${lock.port}`,
      );

      service.child.kill("SIGTERM");
      expect(await service.exited).toBe(0);
      expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();
    } finally {
      if (service.child.exitCode === null) service.child.kill("SIGKILL");
    }
  });
});
