import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectEmbedded, EmbeddedBusyError, embeddedPaths, openEmbedded, readLock } from "./embedded.ts";
import { users } from "./schema/users.ts";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "telepay-embedded-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("openEmbedded / connectEmbedded", () => {
  it("serves the data folder to a second client and removes the lock on close", async () => {
    const served = await openEmbedded({ dataDir, serve: true });
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
    const served = await openEmbedded({ dataDir, serve: true });
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
    const served = await openEmbedded({ dataDir, serve: true });
    try {
      await served.database.migrate();
      const postgres = (await import("postgres")).default;
      const sql = postgres(`postgres://postgres@127.0.0.1:${served.port}/postgres`, {
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
});
