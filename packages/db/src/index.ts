export {
  type AppDatabase,
  type AppDatabaseOptions,
  exitOnEmbeddedBusy,
  openAppDatabase,
} from "./app-database.ts";
export { createDb, ping, wrapPglite } from "./client.ts";
export type { DbConfig } from "./config.ts";
export {
  connectEmbedded,
  EmbeddedBusyError,
  type EmbeddedHandle,
  type EmbeddedLock,
  embeddedPaths,
  embeddedSocketUrl,
  type OpenEmbeddedOptions,
  openEmbedded,
  readLock,
} from "./embedded.ts";
export { defaultSeedCacheDir } from "./embedded-seed.ts";
export { isUniqueViolation } from "./errors.ts";
export { hashMigrations, type MigrateResult, migrationJournal, migrationsFolder } from "./migrate.ts";
export { type MigratedMemoryOptions, openMigratedMemory } from "./migrated-memory.ts";
export * from "./schema/index.ts";
export * as schema from "./schema/index.ts";
export type { Database, Db, DbKind, DbOrTx, Schema, Tx } from "./types.ts";
