import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { MigrateResult } from "./migrate.ts";
import type * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/** A drizzle database over either postgres.js or PGlite: code never cares which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle; functions that write accept `Db | Tx` so callers choose the transaction. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DbOrTx = Db | Tx;

export type DbKind = "postgres" | "cloudsql" | "pglite";

/** What createDb returns: the drizzle handle plus lifecycle. */
export interface Database {
  readonly db: Db;
  readonly kind: DbKind;
  /** Runs `select 1` with a short timeout; false when the database cannot answer. */
  health(): Promise<boolean>;
  /** Closes pools, connectors and the embedded database. Idempotent. */
  close(): Promise<void>;
  /** Applies pending migrations (serialised by an advisory lock on Postgres); says which it applied. */
  migrate(): Promise<MigrateResult>;
}
