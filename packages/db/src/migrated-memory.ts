import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wrapPglite } from "./client.ts";
import { pgliteMigrationsKey } from "./embedded-seed.ts";
import { pgliteOptions } from "./pglite-settings.ts";
import type { Database } from "./types.ts";

/** Where snapshots are kept between processes (a test run starts one process per test file). */
const DEFAULT_CACHE_DIR = join(tmpdir(), "telepay-pglite-snapshots");

/** The snapshot of this process, once made or read: later calls skip the file too. */
let inProcess: { key: string; tarball: Blob } | undefined;

export interface MigratedMemoryOptions {
  /** Folder of snapshot files; defaults to `<os tmpdir>/telepay-pglite-snapshots`. */
  cacheDir?: string;
}

/**
 * A fresh in-memory PGlite with every committed migration applied, for tests. Creating one from
 * scratch pays Postgres' initdb and the migrations (seconds of CPU, tens of seconds on a busy
 * machine); this does that once per migrations version and keeps the migrated data folder as a
 * gzipped tarball (PGlite's dumpDataDir) in `cacheDir`, and every later instance loads that tarball
 * (PGlite's loadDataDir, which skips initdb). Each call still returns its own database: the
 * tarball is a starting point, never shared state.
 *
 * The key is a hash of the migration files and PGlite's location and version (pgliteMigrationsKey), so a
 * new migration or another PGlite makes a new snapshot. A file that cannot be read or loaded is
 * replaced. `migrate()` on the result applies nothing (already migrated) and stays callable.
 */
export async function openMigratedMemory(options: MigratedMemoryOptions = {}): Promise<Database> {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const key = pgliteMigrationsKey();
  const file = join(cacheDir, `${key}.tar.gz`);
  const { PGlite } = await import("@electric-sql/pglite");

  let tarball = inProcess?.key === key ? inProcess.tarball : readSnapshot(file);
  if (tarball) {
    try {
      const database = await wrapPglite(
        await PGlite.create({ ...pgliteOptions(PGlite), loadDataDir: tarball }),
      );
      inProcess = { key, tarball };
      return database;
    } catch {
      // A truncated or foreign file: make the snapshot again below.
      rmSync(file, { force: true });
    }
  }

  const source = await PGlite.create(pgliteOptions(PGlite));
  const database = await wrapPglite(source);
  await database.migrate();
  tarball = await source.dumpDataDir("gzip");
  inProcess = { key, tarball };
  writeSnapshot(file, Buffer.from(await tarball.arrayBuffer()));
  return database;
}

function readSnapshot(file: string): Blob | undefined {
  try {
    return new Blob([readFileSync(file)], { type: "application/x-gzip" });
  } catch {
    return undefined;
  }
}

/** Written under a private name and renamed: parallel test processes never see half a file. */
function writeSnapshot(file: string, bytes: Buffer): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } catch {
    // No writable temp folder: every call migrates from scratch, as before.
  }
}
