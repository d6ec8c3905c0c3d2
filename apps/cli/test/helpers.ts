import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, defaultSeedCacheDir, openEmbedded } from "@telepay/db";
import { createTestDatabase, sourceNodeFlags } from "@telepay/testing";
import { runCli } from "../src/cli.ts";

export const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI binary as `pnpm telepay …` does (its node flags) with only the given environment. */
export function runTelepay(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...sourceNodeFlags("telepay"), MAIN, ...args],
      {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        // Generous: on a loaded two-core machine a cold start (PGlite migrations) takes over a minute.
        timeout: 180_000,
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs one CLI invocation inside this test process: `runCli` with only the given environment (never
 * process.env) and captured stdout/stderr, returning what `runTelepay` returns for the same command.
 * For everything that is about what a command does; `runTelepay` stays for what only a real process
 * shows (its exit status and streams, a malformed environment, inter-process access and locks).
 */
export async function runTelepayInProcess(args: string[], env: Record<string, string>): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli([...args], {
    env: { ...env },
    stdout: {
      write(text: string) {
        stdout += text;
        return true;
      },
    },
    stderr: {
      write(text: string) {
        stderr += text;
        return true;
      },
    },
  });
  return { code, stdout, stderr };
}

/** Runs `tasks` with at most `limit` in flight (the machine has two cores). */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}

export interface CliBackend {
  /** "postgres" (a fresh database from TEST_DATABASE_URL) or "embedded" (DATA_DIR served by this process). */
  kind: "postgres" | "embedded";
  env: Record<string, string>;
  database: Database;
  close(): Promise<void>;
}

/**
 * A migrated database the CLI subprocess can reach: a brand-new Postgres database when
 * TEST_DATABASE_URL is set, else an embedded DATA_DIR that this test process serves the same way
 * `pnpm start` does (so each command goes through the local socket).
 */
export async function createCliBackend(): Promise<CliBackend> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const db = await createTestDatabase(serverUrl);
    return { kind: "postgres", env: { DATABASE_URL: db.url! }, database: db, close: () => db.close() };
  }
  const dataDir = await mkdtemp(join(tmpdir(), "telepay-cli-"));
  const served = await openEmbedded({ dataDir, serve: true, seedCacheDir: defaultSeedCacheDir(process.env) });
  await served.database.migrate();
  return {
    kind: "embedded",
    env: { DATA_DIR: dataDir },
    database: served.database,
    async close() {
      await served.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
