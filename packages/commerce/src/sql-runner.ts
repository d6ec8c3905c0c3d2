import type { Db } from "@telepay/db";

export type SqlRow = Record<string, unknown>;

/** Runs one parameterised statement and returns its rows. */
export type RunSql = (text: string, params: readonly unknown[]) => Promise<SqlRow[]>;

interface PostgresJsClient {
  unsafe(text: string, params: readonly unknown[], options: { prepare: boolean }): Promise<SqlRow[]>;
}
interface PgliteClient {
  query(text: string, params: readonly unknown[]): Promise<{ rows: SqlRow[] }>;
}

/**
 * A statement runner over the driver behind a drizzle Db (`$client`). The payment writer's hot path
 * is two statements built with drizzle's `sql`; on postgres.js they run as named prepared statements
 * (parsed and planned once per connection and statement shape, which drizzle's unnamed queries are
 * not). PGlite's `query` takes the same mutex its transactions do, so the embedded database's
 * session gate still applies.
 */
export function sqlRunner(db: Db): RunSql {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client && typeof (client as PostgresJsClient).unsafe === "function") {
    const pg = client as PostgresJsClient;
    return (text, params) => pg.unsafe(text, params, { prepare: true });
  }
  if (client && typeof (client as PgliteClient).query === "function") {
    const lite = client as PgliteClient;
    return async (text, params) => (await lite.query(text, params)).rows;
  }
  throw new TypeError("sqlRunner: the database handle exposes no postgres.js or PGlite client");
}
