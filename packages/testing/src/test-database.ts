import { randomBytes } from "node:crypto";
import { createDb, type Database } from "@telepay/db";
import postgres from "postgres";

export interface TestDatabase extends Database {
  /** The URL of the fresh Postgres database, or undefined for in-memory PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test (file): a new Postgres database created on the server
 * named by `serverUrl` (dropped on close), or in-memory PGlite when `serverUrl` is undefined.
 * Tests pass `process.env.TEST_DATABASE_URL`, so CI runs them on Postgres and a laptop on PGlite.
 */
export async function createTestDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  if (!serverUrl) {
    const db = await createDb({ dataDir: "memory://" });
    await db.migrate();
    return Object.assign(db, { url: undefined });
  }
  const name = `telepay_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ url: url.toString(), pool: { size: 5, maxOverflow: 5 } });
  await db.migrate();
  const close = db.close.bind(db);
  return Object.assign(db, {
    url: url.toString(),
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
