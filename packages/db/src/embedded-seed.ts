import { createHash, randomBytes } from "node:crypto";
import { constants, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readdir, realpath, rename, rm, rmdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { wrapPglite } from "./client.ts";
import { hashMigrations } from "./migrate.ts";
import { pgliteOptions } from "./pglite-settings.ts";

/**
 * A brand-new embedded data folder starts as a copy of a migrated one instead of running Postgres'
 * initdb and every migration: ~0.2 s instead of 4–6 s (and 10–20 s on a busy 2-core machine) for
 * each new DATA_DIR — the first `pnpm start`, every `pnpm sandbox`, `pnpm demo` and test.
 *
 * The migrated folder ("seed") is made once per PGlite build and migrations version, by the same
 * code that would otherwise run in DATA_DIR (PGlite initdb, then `migrate()`), and kept in the
 * user's own cache folder. Why it is safe, and what it is not: docs/embedded-data.md.
 */

/**
 * `$XDG_CACHE_HOME/telepay/pglite-seeds`, else `~/.cache/telepay/pglite-seeds`. The environment is
 * the caller's (an app's main.ts passes process.env): packages never read it themselves.
 */
export function defaultSeedCacheDir(env: { readonly XDG_CACHE_HOME?: string | undefined }): string {
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "telepay", "pglite-seeds");
}

/**
 * Hash of the PGlite build in use — its location and its package.json version: a pnpm store path
 * names the version, but the packaged apps' flat node_modules/@electric-sql/pglite does not, and an
 * upgrade in place must not hand out a seed the older PGlite made — and of the migrations.
 */
export function pgliteMigrationsKey(
  pgliteEntry: string = import.meta.resolve("@electric-sql/pglite"),
): string {
  const hash = createHash("sha256")
    .update(pgliteEntry)
    .update(`\0${packageVersion(pgliteEntry)}`);
  return hashMigrations(hash).digest("hex").slice(0, 20);
}

/** The version in the package.json of the package whose file `entry` (a file: URL) is. */
function packageVersion(entry: string): string {
  let dir = dirname(fileURLToPath(entry));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "@electric-sql/pglite") return manifest.version ?? "";
    } catch {
      // no (readable) package.json here: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return "";
    dir = parent;
  }
}

/**
 * Fills `pgdata` — which must be missing or an empty folder — with a copy of the migrated seed in
 * `cacheDir`, making the seed first if there is none. Returns false, changing nothing, when it
 * cannot (a cache folder that is not ours alone, a full disk, …): the caller then lets PGlite run
 * initdb in `pgdata` as before. Call it with the data folder's lock held.
 */
export async function seedDataFolder(pgdata: string, cacheDir: string): Promise<boolean> {
  if (!(await isEmptyOrMissing(pgdata))) return false;
  let seed: string | undefined;
  try {
    seed = await migratedSeed(cacheDir);
  } catch {
    return false;
  }
  // Copied under a private name and renamed: a crash mid-copy never leaves a half folder named
  // pgdata (the leftover is removed on the next open, see removeSeedLeftovers).
  const partial = `${pgdata}.seed-${randomBytes(4).toString("hex")}`;
  try {
    copyTree(seed, partial);
    await rmdir(pgdata).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
    await rename(partial, pgdata);
    return true;
  } catch {
    rmSync(partial, { recursive: true, force: true });
    return false;
  }
}

/** Removes `pgdata.seed-*` folders a crash during seedDataFolder left beside `pgdata`. */
export async function removeSeedLeftovers(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    if (name.startsWith("pgdata.seed-")) await rm(join(dataDir, name), { recursive: true, force: true });
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** The seed folder for this PGlite and these migrations, made if missing. */
async function migratedSeed(given: string): Promise<string> {
  const cacheDir = await privateFolder(given);
  await removeDeadBuilds(cacheDir);
  const seed = join(cacheDir, pgliteMigrationsKey());
  if (await isSeed(seed)) return seed;
  // Built under a private name and renamed when whole: a seed that exists is complete. Two
  // processes building at once both finish; the second rename fails and its copy is dropped.
  const building = `${seed}.build-${process.pid}-${randomBytes(3).toString("hex")}`;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const database = await wrapPglite(await PGlite.create(building, pgliteOptions(PGlite)));
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    await rename(building, seed).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await isSeed(seed))) throw err;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return seed;
}

/**
 * Removes `<key>.build-<pid>-*` folders of builds whose process is gone (killed mid-build: the
 * `finally` below never ran). They are never used, only tens of MB each.
 */
async function removeDeadBuilds(cacheDir: string): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    const pid = Number(/\.build-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await rm(join(cacheDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

async function isSeed(dir: string): Promise<boolean> {
  return stat(join(dir, "PG_VERSION")).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The cache folder, made owner-only; returns its real path (no symbolic links), which the caller
 * uses from then on. Anyone who could write into it could plant a data folder every new DATA_DIR
 * would start from, so one that another user owns or may write is refused — and so is one inside a
 * folder another user owns or may write (not sticky): they could rename ours away and put theirs
 * in its place between this check and the copy.
 */
async function privateFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const real = await realpath(dir);
  const uid = process.getuid?.();
  const s = await stat(real);
  if ((uid !== undefined && s.uid !== uid) || (s.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not private to this user: not used for PGlite seeds`);
  }
  for (let parent = dirname(real); ; parent = dirname(parent)) {
    const p = await stat(parent);
    const othersMayRename = (p.mode & 0o022) !== 0 && (p.mode & 0o1000) === 0;
    if ((uid !== undefined && p.uid !== uid && p.uid !== 0) || othersMayRename) {
      throw new Error(`${parent} is not safe from other users: not used for PGlite seeds`);
    }
    if (dirname(parent) === parent) return real;
  }
}

/**
 * A plain recursive copy (files cloned where the filesystem can). Synchronous on purpose: Node's
 * fs.cp took ~1.3 s for the seed's ~1,000 files on the 2-core machine, this loop ~0.2 s.
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o700 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (entry.isFile()) copyFileSync(source, target, constants.COPYFILE_FICLONE);
  }
}
