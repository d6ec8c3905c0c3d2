import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedPaths, openEmbedded } from "./embedded.ts";
import { pgliteMigrationsKey } from "./embedded-seed.ts";
import { users } from "./schema/users.ts";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "telepay-seed-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** How many migrations a database records, opened without anyone calling migrate(). */
async function appliedMigrations(dataDir: string, seedCacheDir: string | undefined): Promise<number> {
  const opened = await openEmbedded({ dataDir, ...(seedCacheDir ? { seedCacheDir } : {}) });
  try {
    // An embedded database is PGlite: drizzle's execute() gives { rows }.
    const first = async <T>(query: ReturnType<typeof sql>) =>
      ((await opened.database.db.execute(query)) as unknown as { rows: T[] }).rows[0]!;
    const table = await first<{ t: string | null }>(
      sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
    );
    if (!table.t) return 0; // initdb only
    return (await first<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).n;
  } finally {
    await opened.close();
  }
}

describe("a new data folder starts from the migrated seed", () => {
  it("is migrated before anyone migrates it, from a seed made once and kept in the cache", async () => {
    const cache = join(work, "cache");
    const first = join(work, "first");
    expect(await appliedMigrations(first, cache)).toBeGreaterThan(0);
    const seeds = (await readdir(cache)).filter((n) => !n.includes(".build-"));
    expect(seeds).toEqual([pgliteMigrationsKey()]);
    expect((await stat(cache)).mode & 0o777).toBe(0o700);

    // The second folder copies the same seed (no new build) and is its own database.
    const built = (await stat(join(cache, seeds[0]!))).mtimeMs;
    const second = join(work, "second");
    const opened = await openEmbedded({ dataDir: second, seedCacheDir: cache });
    try {
      await opened.database.migrate(); // nothing to apply, and harmless
      await opened.database.db.insert(users).values({ telegramId: 7n, firstName: "only in second" });
    } finally {
      await opened.close();
    }
    expect((await stat(join(cache, seeds[0]!))).mtimeMs).toBe(built);
    expect(await readdir(cache)).toEqual(seeds);
    const again = await openEmbedded({ dataDir: first, seedCacheDir: cache });
    try {
      expect(await again.database.db.select().from(users)).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it("is not used unless the opener asks (the CLI does not: a mistyped DATA_DIR stays unmigrated)", async () => {
    expect(await appliedMigrations(join(work, "cli-typo"), undefined)).toBe(0);
  });

  it("never touches a folder that already holds data", async () => {
    const cache = join(work, "cache");
    const dataDir = join(work, "kept");
    const opened = await openEmbedded({ dataDir, seedCacheDir: cache });
    await opened.database.db.insert(users).values({ telegramId: 8n, firstName: "kept" });
    await opened.close();
    const reopened = await openEmbedded({ dataDir, seedCacheDir: cache });
    try {
      expect((await reopened.database.db.select().from(users)).map((u) => u.firstName)).toEqual(["kept"]);
    } finally {
      await reopened.close();
    }
  });

  it("removes what a crash in the middle of a copy left, and the half copy is never the data", async () => {
    const dataDir = join(work, "crashed");
    const { pgdata } = embeddedPaths(dataDir);
    await mkdir(`${pgdata}.seed-deadbeef/base`, { recursive: true });
    await writeFile(`${pgdata}.seed-deadbeef/PG_VERSION`, "17\n");
    expect(await appliedMigrations(dataDir, join(work, "cache"))).toBeGreaterThan(0);
    expect(existsSync(`${pgdata}.seed-deadbeef`)).toBe(false);
  });

  it("refuses a cache folder others may write (it could plant the data every new folder starts from)", async () => {
    const cache = join(work, "shared-cache");
    await mkdir(cache, { recursive: true });
    await chmod(cache, 0o777);
    const dataDir = join(work, "unseeded");
    // initdb ran instead: a working, empty, unmigrated database, and nothing was built in the cache.
    expect(await appliedMigrations(dataDir, cache)).toBe(0);
    expect(await readdir(cache)).toEqual([]);
    const opened = await openEmbedded({ dataDir, seedCacheDir: cache });
    try {
      await opened.database.migrate();
      expect(await opened.database.db.select().from(users)).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("refuses a private cache folder inside one others may write (they could swap it between check and copy)", async () => {
    // e.g. XDG_CACHE_HOME=/srv/shared/cache: our telepay/pglite-seeds is 0700, but whoever may write
    // its parent can rename it away and put their own in its place after the check.
    const shared = join(work, "shared-parent");
    await mkdir(shared, { recursive: true });
    await chmod(shared, 0o777);
    const cache = join(shared, "telepay", "pglite-seeds");
    expect(await appliedMigrations(join(work, "unseeded-parent"), cache)).toBe(0);
  });

  it("removes what a crash while building the seed left in the cache (tens of MB each, never used)", async () => {
    const cache = join(work, "cache");
    const dead = join(cache, `${pgliteMigrationsKey()}.build-2147483646-abcdef`);
    await mkdir(join(dead, "base"), { recursive: true });
    await writeFile(join(dead, "PG_VERSION"), "17\n");
    const live = join(cache, `${pgliteMigrationsKey()}.build-${process.pid}-abcdef`);
    await mkdir(live, { recursive: true });
    expect(await appliedMigrations(join(work, "after-build-crash"), cache)).toBeGreaterThan(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true); // a build still running is left alone
    await rm(live, { recursive: true });
  });
});
