import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import {
  type BotApiEmulator,
  type NowPaymentsEmulator,
  startBotApiEmulator,
  startNowPaymentsEmulator,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildApp, freePort, REPO_ROOT, startApp } from "../demo/processes.ts";
import { findIn, MINIMUM_NODE, machineEnv, NPM_DIR, OLD_NODE, PNPM_DIR, run } from "./toolchain-helpers.ts";

// The README's first command line, as a newcomer types it: `./telepay start` in a fresh copy of the
// repository on a machine whose PATH has only its own (old) Node and npm — no pnpm, no
// node_modules. It must install what is missing and answer GET /health. The tokens point at the
// emulators (TelePay calls getMe before it is healthy). Toolchain downloads come from the cache
// .ci/setup-node.sh fills (TELEPAY_TOOLS_DIR, default ~/.cache/telepay-tools), so this runs
// offline once CI has set up; the download path itself is tested in setup-node.test.ts.

const minimum = MINIMUM_NODE.join(".");
const unique = (dirs: (string | undefined)[]) => [...new Set(dirs.filter((d): d is string => !!d))];
/** The machine's Node (an old one when there is one) and npm, plus the system tools; never pnpm. */
const machinePath = unique([
  dirname(OLD_NODE ?? process.execPath),
  NPM_DIR,
  "/usr/local/bin",
  "/usr/bin",
  "/bin",
]);
const toolsDir: Record<string, string> = process.env.TELEPAY_TOOLS_DIR
  ? { TELEPAY_TOOLS_DIR: process.env.TELEPAY_TOOLS_DIR }
  : {};

/** The files a clone would have: tracked plus new ones not ignored (so uncommitted work is tested too). */
function copyCheckout(to: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(from, join(to, file), { preserveTimestamps: true });
  }
}

describe("the README's quick start on a fresh copy", () => {
  let tg: BotApiEmulator;
  let np: NowPaymentsEmulator;
  let workDir: string;
  let app: ChildApp | undefined;
  const npKeys = { apiKey: "np-quick-start-key", ipnSecret: "np-quick-start-ipn-secret" };

  beforeAll(async () => {
    tg = await startBotApiEmulator();
    np = await startNowPaymentsEmulator(npKeys);
    workDir = mkdtempSync(join(tmpdir(), "telepay-fresh-"));
    copyCheckout(workDir);
  });

  afterAll(async () => {
    app?.kill();
    await tg?.stop();
    await np?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("`./telepay start` with only the machine's Node and npm installs everything and answers GET /health", async () => {
    expect(existsSync(join(workDir, "node_modules")), "the copy starts without node_modules").toBe(false);
    expect(findIn(machinePath, "pnpm"), "PATH must not offer pnpm: ./telepay brings its own").toBeUndefined();

    const port = await freePort();
    app = startApp({
      name: "./telepay start",
      command: ["./telepay", "start"],
      cwd: workDir,
      port,
      env: {
        ...machineEnv(),
        ...toolsDir,
        PATH: machinePath.join(delimiter),
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        NOWPAYMENTS_API_KEY: npKeys.apiKey,
        NOWPAYMENTS_IPN_SECRET: npKeys.ipnSecret,
        NOWPAYMENTS_API_BASE: np.apiBase,
      },
    });
    // pnpm install (hard links from the store) + PGlite's first boot and migrations.
    await app.waitHealthy(150_000);
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "healthy", service: "standalone" });
    expect(app.logTail(400)).toMatch(/installing dependencies/);
    await app.stop();
    // Embedded defaults: the data is in ./.data of the folder it was started in.
    expect(existsSync(join(workDir, ".data", "pgdata"))).toBe(true);

    // The second command finds everything in place: no install, and stdout is the command's alone.
    const list = await run("./telepay", ["channel", "list", "--json"], {
      cwd: workDir,
      env: { ...machineEnv(), ...toolsDir, PATH: machinePath.join(delimiter) },
    });
    expect(list.stderr).not.toMatch(/installing dependencies/);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 240_000);
});

describe("a configuration error", () => {
  const env = () => ({
    ...machineEnv(),
    PATH: unique([dirname(process.execPath), PNPM_DIR, ...machinePath]).join(delimiter),
    DATA_DIR: "memory://",
  });
  const problems = /Invalid configuration \(3 problems\):\n( {2}- .*\n){3}/;

  it("is the last thing `./telepay start` prints, with exit status 1", async () => {
    const result = await run("./telepay", ["start"], { cwd: REPO_ROOT, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(problems);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toMatch(/^ {2}- NOWPAYMENTS_IPN_SECRET: is required/);
  });

  it("is not followed by pnpm's recursive-run noise under `pnpm start`", async () => {
    const result = await run("pnpm", ["start"], { cwd: REPO_ROOT, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(problems);
    expect(result.stdout + result.stderr).not.toMatch(/ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|recursive run/);
  });
});

describe.skipIf(!OLD_NODE || !PNPM_DIR)(`pnpm under a Node older than ${minimum}`, () => {
  // The reported path: `npm install -g pnpm@12` on a Node 20 machine, then `pnpm start`.
  const env = () => ({
    ...machineEnv(),
    PATH: unique([PNPM_DIR, dirname(OLD_NODE!), ...machinePath]).join(delimiter),
  });

  it.each(["start", "telepay --help"])(
    "`pnpm %s` says in one sentence what to do instead of ERR_UNKNOWN_FILE_EXTENSION",
    async (command) => {
      const result = await run("pnpm", command.split(" "), { cwd: REPO_ROOT, env: env() });
      const output = result.stdout + result.stderr;
      expect(result.code).toBe(1);
      expect(output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION/);
      const sentence = output.split("\n").find((line) => line.startsWith("telepay: "));
      expect(sentence).toMatch(
        new RegExp(
          `this is Node \\d+\\.\\d+\\.\\d+ and TelePay needs Node ${minimum.replace(".", "\\.")} or newer`,
        ),
      );
      expect(sentence).toMatch(/run `\.\/telepay start` instead/);
    },
  );
});
