import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createDb, embeddedPaths, migrationJournal, readLock, users } from "../src/index.ts";
import { serverUrl } from "./targets.ts";

describe("createDb", () => {
  it("reports unhealthy, without throwing, when the server is unreachable", async () => {
    // Port 1 on loopback refuses connections immediately.
    const database = await createDb({
      url: "postgres://postgres@127.0.0.1:1/none",
      pool: { timeoutSeconds: 1 },
    });
    try {
      expect(database.kind).toBe("postgres");
      expect(await database.health()).toBe(false);
    } finally {
      await database.close();
    }
  });

  it("keeps embedded PGlite data in DATA_DIR across close and reopen", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "telepay-db-"));
    try {
      const first = await createDb({ dataDir });
      expect(first.kind).toBe("pglite");
      // The one embedded layout (openEmbedded's): DATA_DIR/pgdata, held under the lock while open.
      expect(existsSync(join(embeddedPaths(dataDir).pgdata, "PG_VERSION"))).toBe(true);
      expect(await readLock(embeddedPaths(dataDir).lockFile)).toMatchObject({
        pid: process.pid,
        mode: "direct",
      });
      // A fresh folder gets every committed migration, and says so by tag.
      const tags = (await migrationJournal()).map((e) => e.tag);
      expect((await first.migrate()).applied).toEqual(tags);
      await first.db.insert(users).values({ telegramId: 42n, firstName: "Persisted" });
      await first.close();
      await first.close(); // idempotent
      expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();

      const second = await createDb({ dataDir });
      expect(await second.migrate()).toEqual({ applied: [] }); // already applied: a no-op
      const rows = await second.db.select().from(users);
      expect(rows.map((u) => [u.telegramId, u.firstName])).toEqual([[42n, "Persisted"]]);
      expect(await second.health()).toBe(true);
      await second.close();
      expect(await second.health()).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!serverUrl)("lets several instances migrate a fresh Postgres database at once", async () => {
    const journal = JSON.parse(
      await readFile(new URL("../drizzle/meta/_journal.json", import.meta.url), "utf8"),
    ) as { entries: unknown[] };
    const name = `telepay_mig_${randomBytes(6).toString("hex")}`;
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    const instances = await Promise.all([1, 2, 3].map(() => createDb({ url: url.toString() })));
    try {
      const results = await Promise.all(instances.map((d) => d.migrate()));
      // Each migration is reported by the one instance that applied it.
      expect(results.flatMap((r) => r.applied).sort()).toEqual(
        (journal.entries as { tag: string }[]).map((e) => e.tag).sort(),
      );
      const probe = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [applied] = await probe`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await probe.end({ timeout: 5 });
      // Each committed migration exactly once, however many instances raced to apply it.
      expect(applied?.n).toBe(journal.entries.length);
      const db = instances[0]!.db;
      await db.insert(users).values({ telegramId: 1n });
      expect(await instances[2]!.health()).toBe(true);
    } finally {
      await Promise.all(instances.map((d) => d.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    }
  });
});
