import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectEmbedded, embeddedPaths, migrationJournal, readLock } from "@telepay/db";
import { sourceNodeFlags } from "@telepay/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pool, runTelepay, runTelepayInProcess } from "./helpers.ts";

const SERVE = fileURLToPath(new URL("./fixtures/serve-embedded.ts", import.meta.url));
let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "telepay-cli-embedded-"));
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the stand-in for `pnpm start` and resolves with its output lines as they come. */
function startServing(waitMs = 15_000) {
  const proc = spawn(process.execPath, [...sourceNodeFlags("start"), SERVE, dataDir, String(waitMs)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d) => {
    out += d;
  });
  proc.stderr!.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<number>((resolve) => proc.on("exit", (code) => resolve(code ?? -1)));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout!.on("data", () => out.includes("ready") && resolve());
    exited.then((code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return { proc, ready, exited, output: () => out, errors: () => err };
}

const env = () => ({ DATA_DIR: dataDir });

describe("CLI on the embedded database", () => {
  // Spawns throughout: CLI processes reaching the DATA_DIR through the socket of another serving
  // process, several at once, then a process opening it directly once the server is gone.
  it("works while `pnpm start` holds it, concurrently with the app's own transactions, and data persists", async () => {
    const server = startServing();
    await server.ready;
    const add = await runTelepay(
      [
        "channel",
        "add",
        "--owner",
        "1",
        "--open",
        "-1002000000001",
        "--closed",
        "-1002000000002",
        "--tier",
        "5:30",
        "--wallet",
        "TXYZabcdefgh12345",
        "--currency",
        "usdttrc20",
        "--json",
      ],
      env(),
    );
    expect(add.stderr).toBe("");
    const channelId = JSON.parse(add.stdout).id;
    // Several CLI commands at once, each its own process and socket session.
    const users = ["101", "102", "103", "104"];
    const grants = await pool(users, 4, (user) =>
      runTelepay(
        [
          "subscription",
          "grant",
          "--channel",
          String(channelId),
          "--user",
          user,
          "--days",
          "30",
          "--no-wait",
          "--json",
        ],
        env(),
      ),
    );
    expect(grants.map((g) => [g.code, g.stderr])).toEqual(users.map(() => [0, ""]));
    const list = await runTelepay(["subscription", "list", "--json"], env());
    expect(
      JSON.parse(list.stdout)
        .map((s: { userId: string }) => s.userId)
        .sort(),
    ).toEqual(users);

    server.proc.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const writes = Number(/writes (\d+)/.exec(server.output())![1]);
    expect(writes).toBeGreaterThan(0);
    expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();

    // Now nobody serves it: the CLI opens the folder directly and sees everything committed.
    const direct = await connectEmbedded(dataDir);
    try {
      expect(direct.via).toBe("direct");
      const rows = await direct.database.db.query.users.findMany();
      const appRows = rows.filter((u) => u.firstName === "app");
      expect(appRows).toHaveLength(writes);
      // Every app transaction committed whole (its second statement never lost to a client's session).
      expect(appRows.every((u) => u.username === "app")).toBe(true);
    } finally {
      await direct.close();
    }
    const after = await runTelepay(["subscription", "list", "--status", "active", "--json"], env());
    expect(JSON.parse(after.stdout)).toHaveLength(4);
  }, 120_000);

  it("a live CLI holding the folder keeps `pnpm start` out with a clear message", async () => {
    const cli = await connectEmbedded(dataDir); // what a running CLI command holds
    try {
      expect(cli.via).toBe("direct");
      const server = startServing(300);
      await expect(server.ready).rejects.toThrow(/in use by a telepay CLI command \(pid \d+/);
      expect(await server.exited).toBe(3);
    } finally {
      await cli.close();
    }
    const server = startServing();
    await server.ready;
    server.proc.kill("SIGTERM");
    expect([await server.exited, server.errors()]).toEqual([0, ""]);
  }, 60_000);

  it("without a server the CLI migrates and uses the folder directly, then lets go", async () => {
    const migrate = await runTelepayInProcess(["db", "migrate", "--json"], env());
    // It says what it applied: on a fresh folder, every migration of the journal, in order.
    expect(JSON.parse(migrate.stdout)).toMatchObject({
      status: "migrated",
      target: `embedded ${dataDir}`,
      applied: (await migrationJournal()).map((e) => e.tag),
    });
    const again = await runTelepayInProcess(["db", "migrate"], env());
    expect(again.stdout).toMatch(/^Database is up to date: nothing to apply/);
    const list = await runTelepayInProcess(["channel", "list", "--json"], env());
    expect(list.stderr).toBe("");
    expect(JSON.parse(list.stdout)).toEqual([]);
    // In this process: the lock is gone because the command closed the folder, not because a process exited.
    expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();
    const unmigrated = await mkdtemp(join(tmpdir(), "telepay-cli-empty-"));
    try {
      const r = await runTelepayInProcess(["channel", "list"], { DATA_DIR: unmigrated });
      expect(r).toMatchObject({
        code: 1,
        stderr: "telepay: error: the database has no TelePay tables yet: run `telepay db migrate` first\n",
      });
    } finally {
      await rm(unmigrated, { recursive: true, force: true });
    }
  }, 300_000);
});
