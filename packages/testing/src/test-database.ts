import { createHash, randomBytes } from "node:crypto";
import { createDb, type Database, hashMigrations, openMigratedMemory } from "@telepay/db";
import postgres from "postgres";

export interface TestDatabase extends Database {
  /** The URL of the fresh Postgres database, or undefined for in-memory PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test (file): a new Postgres database created on the server
 * named by `serverUrl` (dropped on close), or in-memory PGlite when `serverUrl` is undefined.
 * Tests pass `process.env.TEST_DATABASE_URL`, so CI runs them on Postgres and a laptop on PGlite.
 *
 * Neither pays for the migrations each time: PGlite starts from a migrated snapshot
 * (openMigratedMemory), and a Postgres database is a copy of a migrated template database on that
 * server (`telepay_tpl_<hash of the migrations and role>`, made once by whichever test needs it
 * first).
 * Every database is still its own: tests never share rows.
 */
export async function createTestDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  if (!serverUrl) {
    const db = await openMigratedMemory();
    return Object.assign(db, { url: undefined });
  }
  const name = `telepay_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const template = await migratedTemplate(admin, serverUrl);
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(serverUrl, name);
  const db = await createDb({ url, pool: { size: 5, maxOverflow: 5 } });
  const close = db.close.bind(db);
  return Object.assign(db, {
    url,
    async close() {
      await close();
      const drop = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await drop.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await drop.end({ timeout: 5 });
      }
    },
  });
}

/** pg_advisory_lock key under which one process at a time makes a template (any constant). */
const TEMPLATE_LOCK_ID = 7_301_244_002;
const TEMPLATE_PREFIX = "telepay_tpl_";

/**
 * The name of a database on the server holding every committed migration and nothing else, made
 * if missing. It is built under another name and renamed when complete, so a template that exists
 * is always whole; nobody connects to it afterwards, which CREATE DATABASE … TEMPLATE requires.
 * It stays on the server (a few MB), also when newer migrations get their own: runs on other
 * branches may still copy it. `.ci/run` drops it with its role; on a laptop, drop
 * `telepay_tpl_*` databases whenever you like (the next test makes the one it needs).
 */
async function migratedTemplate(admin: postgres.Sql, serverUrl: string): Promise<string> {
  // Per role as well: only its owner (or a superuser) may copy a database, and CI's throw-away role
  // must never depend on a template someone else made.
  const [row] = await admin<{ role: string }[]>`select current_user as role`;
  const template = `${TEMPLATE_PREFIX}${migrationsHash(row!.role)}`;
  const exists = async () => (await admin`select 1 from pg_database where datname = ${template}`).length > 0;
  if (await exists()) return template;
  await admin`select pg_advisory_lock(${TEMPLATE_LOCK_ID})`;
  try {
    if (await exists()) return template;
    const building = `${template}_${randomBytes(3).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE "${building}"`);
    try {
      const db = await createDb({
        url: withDatabase(serverUrl, building),
        pool: { size: 1, maxOverflow: 0 },
      });
      try {
        await db.migrate();
      } finally {
        await db.close();
      }
      await admin.unsafe(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } catch (err) {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => {});
      throw err;
    }
    return template;
  } finally {
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_ID})`;
  }
}

/** Hash of the committed migrations (SQL files and journal) and the role: a new migration, a new template. */
function migrationsHash(role: string): string {
  return hashMigrations(createHash("sha256").update(role)).digest("hex").slice(0, 16);
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
