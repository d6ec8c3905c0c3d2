import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { DbConfig } from "./config.ts";
import { APPLIED_MIGRATIONS_SQL, MIGRATION_LOCK_ID, migrateAndReport, migrationsFolder } from "./migrate.ts";
import { pgliteOptions } from "./pglite-settings.ts";
import * as schema from "./schema/index.ts";
import type { Database, Db } from "./types.ts";

const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Opens the database described by `config`. Nothing connects at import time; postgres.js
 * connects lazily on first query, PGlite opens its data folder here. PGlite (a 9 MB WebAssembly
 * Postgres), its drizzle driver and the migrators are imported only by the path that uses them, so
 * a Postgres-backed service never loads them.
 */
export async function createDb(config: DbConfig): Promise<Database> {
  if (config.url) return createPostgres(config, config.url);
  if (config.cloudSql) return createCloudSql(config);
  return createPglite(config);
}

function poolOptions(config: DbConfig): postgres.Options<Record<string, never>> {
  const size = config.pool?.size ?? 5;
  const overflow = config.pool?.maxOverflow ?? 10;
  return {
    max: size + overflow,
    connect_timeout: config.pool?.timeoutSeconds ?? 30,
    max_lifetime: config.pool?.recycleSeconds ?? 1800,
    idle_timeout: 60,
    onnotice: (n) => config.onNotice?.(String(n.message)),
    // Keep BIGINT/NUMERIC as strings from the driver; drizzle's column modes convert them.
    types: {},
  };
}

function wrapPostgres(
  makeClient: (max?: number) => postgres.Sql,
  kind: "postgres" | "cloudsql",
  onClose?: () => Promise<void>,
): Database {
  const client = makeClient();
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind,
    health: () =>
      withTimeout(
        client`select 1`.then(() => true),
        HEALTH_TIMEOUT_MS,
      ),
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
      await onClose?.();
    },
    async migrate() {
      // A dedicated one-connection client so the advisory lock and the migration share a session:
      // concurrent migrators (several instances, a job) wait for each other instead of racing.
      const single = makeClient(1);
      try {
        const { migrate: migratePostgres } = await import("drizzle-orm/postgres-js/migrator");
        await single`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
        // Read under the lock, so a concurrent migrator's work is not reported as ours.
        const result = await migrateAndReport(
          () => migratePostgres(drizzlePostgres({ client: single }), { migrationsFolder }),
          () => appliedTimes((text) => single.unsafe(text)),
        );
        await single`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
        return result;
      } finally {
        await single.end({ timeout: 5 });
      }
    },
  };
}

async function createPostgres(config: DbConfig, url: string): Promise<Database> {
  return wrapPostgres(
    (max) => postgres(url, { ...poolOptions(config), ...(max ? { max } : {}) }),
    "postgres",
  );
}

async function createCloudSql(config: DbConfig): Promise<Database> {
  const cloud = config.cloudSql!;
  const { Connector, AuthTypes, IpAddressTypes } = await import("@google-cloud/cloud-sql-connector");
  // One connector for the pool's lifetime: it caches the instance's certificates and refreshes them.
  const connector = new Connector();
  const clientOpts = await connector.getOptions({
    instanceConnectionName: cloud.connectionName,
    ipType: IpAddressTypes[cloud.ipType ?? "PUBLIC"],
    authType: cloud.iamAuth ? AuthTypes.IAM : AuthTypes.PASSWORD,
  });
  const makeClient = (max?: number) =>
    postgres({
      ...poolOptions(config),
      ...(max ? { max } : {}),
      // postgres.js calls `socket` for every new connection (undeclared in its types, documented in its
      // README); the connector returns a TLS socket to the instance with fresh certificates.
      ...({ socket: clientOpts.stream } as object),
      username: cloud.user,
      ...(cloud.iamAuth ? {} : { password: cloud.password ?? "" }),
      database: cloud.database,
    });
  return wrapPostgres(makeClient, "cloudsql", async () => connector.close());
}

async function createPglite(config: DbConfig): Promise<Database> {
  if (!config.dataDir || config.dataDir === "memory://") {
    const { PGlite } = await import("@electric-sql/pglite");
    return wrapPglite(await PGlite.create(pgliteOptions(PGlite)));
  }
  // A data folder is only ever opened one way: DATA_DIR/pgdata under its lock (embedded.ts).
  const { openEmbedded } = await import("./embedded.ts");
  const embedded = await openEmbedded({ dataDir: config.dataDir });
  return { ...embedded.database, close: () => embedded.close() };
}

/**
 * Wraps an already-open PGlite (standalone shares its instance with the local socket server).
 * Async: drizzle's PGlite driver imports PGlite itself, so it is loaded here rather than with the package.
 */
export async function wrapPglite(client: PGlite): Promise<Database> {
  const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: "pglite",
    health: () =>
      withTimeout(
        client.query("select 1").then(() => true),
        HEALTH_TIMEOUT_MS,
      ),
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
    async migrate() {
      // PGlite is one connection in one process: no lock needed.
      return migrateAndReport(
        () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
        () => appliedTimes(async (text) => (await client.query<Record<string, unknown>>(text)).rows),
      );
    },
  };
}

/** Times (journal `when`) of the applied migrations; none when drizzle's table does not exist yet. */
async function appliedTimes(query: (text: string) => Promise<readonly Record<string, unknown>[]>) {
  try {
    return (await query(APPLIED_MIGRATIONS_SQL)).map((r) => Number(r.created_at));
  } catch (err) {
    if ((err as { code?: string }).code === "42P01" || (err as { code?: string }).code === "3F000") return [];
    throw err;
  }
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.catch(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `select 1` through drizzle, for code that only has a Db. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
