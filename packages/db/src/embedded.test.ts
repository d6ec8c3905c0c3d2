import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { sql as drizzleSql, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  connectEmbedded,
  EmbeddedBusyError,
  embeddedPaths,
  embeddedSocketUrl,
  openEmbedded,
  readLock,
} from "./embedded.ts";
import { defaultSeedCacheDir } from "./embedded-seed.ts";
import { users } from "./schema/users.ts";

// These tests are about the lock and the socket: a new folder a test migrates at once starts from
// the migrated seed, as the apps' folders do (embedded-seed.ts), instead of paying initdb each time.
const SEEDS = defaultSeedCacheDir(process.env);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "telepay-embedded-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("openEmbedded / connectEmbedded", () => {
  it("serves the data folder to a second client and removes the lock on close", async () => {
    const served = await openEmbedded({ dataDir, serve: true, seedCacheDir: SEEDS });
    try {
      await served.database.migrate();
      const lock = await readLock(embeddedPaths(dataDir).lockFile);
      expect(lock).toMatchObject({ pid: process.pid, mode: "serve", port: served.port });

      const client = await connectEmbedded(dataDir);
      expect(client.via).toBe("socket");
      await client.database.db.insert(users).values({ telegramId: 42n, firstName: "via socket" });
      await client.close();
      const rows = await served.database.db.select().from(users);
      expect(rows.map((r) => r.firstName)).toEqual(["via socket"]);
    } finally {
      await served.close();
    }
    expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();

    // Data survives: reopen directly.
    const direct = await connectEmbedded(dataDir);
    expect(direct.via).toBe("direct");
    expect(await direct.database.db.select().from(users)).toHaveLength(1);
    await direct.close();
  });

  it("never runs the serving process's statements inside a client's transaction", async () => {
    const served = await openEmbedded({ dataDir, serve: true, seedCacheDir: SEEDS });
    const client = await connectEmbedded(dataDir);
    try {
      await served.database.migrate();
      let inside!: () => void;
      const clientInTx = new Promise<void>((r) => {
        inside = r;
      });
      let finish!: () => void;
      const finishTx = new Promise<void>((r) => {
        finish = r;
      });
      // The client opens a transaction, writes, and rolls back after the server wrote too.
      const clientWork = client.database.db
        .transaction(async (tx) => {
          await tx.insert(users).values({ telegramId: 1n, firstName: "rolled back" });
          inside();
          await finishTx;
          throw new Error("roll back");
        })
        .catch((e: Error) => e.message);
      await clientInTx;
      // With a per-message queue this insert would join the client's transaction and vanish with it.
      const serverWrite = served.database.db.insert(users).values({ telegramId: 2n, firstName: "kept" });
      finish();
      expect(await clientWork).toBe("roll back");
      await serverWrite;
      const rows = await served.database.db.select().from(users);
      expect(rows.map((r) => r.firstName)).toEqual(["kept"]);
      // And the other way round: a server transaction hides its writes from the client until commit.
      await served.database.db.transaction(async (tx) => {
        await tx.insert(users).values({ telegramId: 3n, firstName: "server tx" });
        const seen = client.database.db.select().from(users).where(eq(users.telegramId, 3n));
        // The client's query waits for the commit instead of running inside the server's transaction.
        const raced = await Promise.race([
          seen.then(() => "ran"),
          new Promise((r) => setTimeout(r, 50, "waited")),
        ]);
        expect(raced).toBe("waited");
      });
      expect(await client.database.db.select().from(users).where(eq(users.telegramId, 3n))).toHaveLength(1);
    } finally {
      await client.close();
      await served.close();
    }
  });

  it("a client that disconnects mid-transaction is rolled back and does not block the server", async () => {
    const served = await openEmbedded({ dataDir, serve: true, seedCacheDir: SEEDS });
    try {
      await served.database.migrate();
      const sql = postgres((await embeddedSocketUrl(dataDir))!, {
        max: 1,
        onnotice: () => {},
      });
      const reserved = await sql.reserve();
      await reserved`begin`;
      await reserved`insert into users (telegram_id, first_name) values (7, 'abandoned')`;
      // Kill the connection without COMMIT.
      await sql.end({ timeout: 0 });
      await served.database.db.insert(users).values({ telegramId: 8n, firstName: "after" });
      const rows = await served.database.db.select().from(users);
      expect(rows.map((r) => r.firstName)).toEqual(["after"]);
    } finally {
      await served.close();
    }
  });

  it("a direct holder keeps the server out with a clear error, and vice versa", async () => {
    const cli = await connectEmbedded(dataDir);
    expect(cli.via).toBe("direct");
    const lock = await readLock(embeddedPaths(dataDir).lockFile);
    expect(lock).toMatchObject({ pid: process.pid, mode: "direct" });
    const refused = await openEmbedded({ dataDir, serve: true, waitMs: 0 }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(EmbeddedBusyError);
    expect((refused as Error).message).toMatch(/in use by a telepay CLI command \(pid \d+/);
    await cli.close();
    const served = await openEmbedded({ dataDir, serve: true, waitMs: 0 });
    await served.close();
  });

  it("takes over a lock left by a process that died", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    await writeFile(
      embeddedPaths(dataDir).lockFile,
      JSON.stringify({
        pid: dead,
        host: hostname(),
        mode: "serve",
        port: 1,
        startedAt: "2020-01-01T00:00:00Z",
      }),
    );
    const client = await connectEmbedded(dataDir, { waitMs: 0 });
    expect(client.via).toBe("direct");
    await client.close();
  });

  it("a second server on the same data is refused at once, naming the serving pid and port", async () => {
    const first = await openEmbedded({ dataDir, serve: true, service: "standalone" });
    try {
      const started = Date.now();
      // The default wait (15 s) is for a short CLI command to finish; a server never lets go.
      const second = await openEmbedded({ dataDir, serve: true, service: "standalone" }).catch(
        (e: Error) => e,
      );
      const elapsed = Date.now() - started;
      expect(second).toBeInstanceOf(EmbeddedBusyError);
      expect((second as Error).message).toContain(
        `is already served by standalone (pid ${process.pid} on ${hostname()}) on 127.0.0.1:${first.port}`,
      );
      expect(elapsed).toBeLessThan(10_000); // loose: well before the 15 s wait
      // The refused opener left the running server's lock alone.
      expect(await readLock(embeddedPaths(dataDir).lockFile)).toMatchObject({
        pid: process.pid,
        port: first.port,
      });
    } finally {
      await first.close();
    }
  });
});

/** A v3 StartupMessage for user postgres. */
function startupMessage(): Buffer {
  const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
  const msg = Buffer.alloc(8 + params.length);
  msg.writeInt32BE(msg.length, 0);
  msg.writeInt32BE(196_608, 4);
  params.copy(msg, 8);
  return msg;
}

/** A simple-query ('Q') message. */
function queryMessage(text: string): Buffer {
  const body = Buffer.from(`${text}\0`);
  const msg = Buffer.alloc(5 + body.length);
  msg.write("Q", 0, "latin1");
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return msg;
}

/** Writes `bytes` on a fresh connection and returns everything the server sent until it hung up. */
function rawExchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", () => {});
    // A server that keeps answering never hangs up: give it time to, then stop listening.
    const cap = setTimeout(() => socket.destroy(), 10_000);
    socket.on("close", () => {
      clearTimeout(cap);
      resolve(Buffer.concat(chunks));
    });
  });
}

describe("the local socket is the data folder owner's alone", () => {
  it("a client without the socket password can neither read nor write", async () => {
    const served = await openEmbedded({ dataDir, serve: true, seedCacheDir: SEEDS });
    try {
      await served.database.migrate();
      await served.database.db.insert(users).values({ telegramId: 1n, firstName: "private-name" });

      // A local user who skips authentication and just talks Postgres.
      const reply = await rawExchange(
        served.port!,
        Buffer.concat([
          startupMessage(),
          queryMessage("insert into users (telegram_id, first_name) values (2, 'intruder')"),
          queryMessage("select first_name from users"),
          queryMessage("create table pwned (x int)"),
        ]),
      );
      expect(reply.toString("latin1")).not.toContain("private-name");
      expect(reply.toString("latin1")).not.toContain("INSERT");

      // A real client that guesses the password.
      const guesser = postgres(`postgres://postgres:guess@127.0.0.1:${served.port}/postgres`, {
        max: 1,
        onnotice: () => {},
      });
      const refused = await guesser`insert into users (telegram_id, first_name) values (3, 'guesser')`.catch(
        (e: Error & { code?: string }) => e,
      );
      await guesser.end({ timeout: 0 });
      expect(refused).toMatchObject({ code: "28P01" });

      // Nothing changed, and the owner's client still works.
      const rows = await served.database.db.select().from(users);
      expect(rows.map((r) => r.firstName)).toEqual(["private-name"]);
      const pwned = await served.database.db.execute(drizzleSql`select to_regclass('pwned') as t`);
      expect((pwned as unknown as { rows: { t: unknown }[] }).rows[0]!.t).toBeNull();
      const owner = await connectEmbedded(dataDir);
      expect(owner.via).toBe("socket");
      expect(await owner.database.db.select().from(users)).toHaveLength(1);
      await owner.close();
    } finally {
      await served.close();
    }
  });

  it("keeps the socket password and the data where only the owner can read them", async () => {
    await chmod(dataDir, 0o777); // as a careless umask or a shared parent would leave it
    const { lockFile, passwordFile } = embeddedPaths(dataDir);
    const served = await openEmbedded({ dataDir, serve: true });
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
      expect((await stat(lockFile)).mode & 0o777).toBe(0o600);
    } finally {
      await served.close();
    }
    // The password of a stopped server is of no use to anyone: it goes with it.
    expect(existsSync(passwordFile)).toBe(false);
  });
});
