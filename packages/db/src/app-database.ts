import { createDb } from "./client.ts";
import type { DbConfig } from "./config.ts";
import { EmbeddedBusyError, openEmbedded } from "./embedded.ts";
import type { Database } from "./types.ts";

export interface AppDatabaseOptions {
  /** The app's name ("standalone", "bot-gateway", …): written to the lock, named to a second opener. */
  service: string;
  /** Also migrate a Postgres / Cloud SQL database at start-up (standalone). Embedded data always is. */
  migrateServer?: boolean;
  /**
   * A new embedded data folder starts as a copy of the migrated seed kept here
   * (defaultSeedCacheDir(process.env) in each app's main.ts); unset, it runs initdb. See
   * docs/embedded-data.md.
   */
  seedCacheDir?: string;
}

export interface AppDatabase {
  database: Database;
  /** The absolute embedded data folder ("memory://" in memory); undefined on Postgres / Cloud SQL. */
  dataDir: string | undefined;
  /** 127.0.0.1 port the CLI reaches the embedded folder through; null otherwise. */
  socketPort: number | null;
  close(): Promise<void>;
}

/**
 * How every long-running app (standalone, bot-gateway, notifier, webhook-ingress) opens its
 * database, so they all agree on the embedded layout. Postgres / Cloud SQL: a pool (migrations are
 * the migrate job's unless `migrateServer`). Embedded folder: openEmbedded — DATA_DIR/pgdata under
 * the lock, served on the password-protected local socket so `pnpm telepay` works while the app
 * runs — and migrated, since no one else can migrate a folder this process holds. `memory://`: an
 * in-process PGlite, migrated. Throws EmbeddedBusyError when another process has the folder.
 */
export async function openAppDatabase(config: DbConfig, options: AppDatabaseOptions): Promise<AppDatabase> {
  if (config.url || config.cloudSql) {
    const database = await createDb(config);
    if (options.migrateServer) await migrateOrClose(database, () => database.close());
    return { database, dataDir: undefined, socketPort: null, close: () => database.close() };
  }
  if (!config.dataDir || config.dataDir === "memory://") {
    const database = await createDb({ ...config, dataDir: "memory://" });
    await migrateOrClose(database, () => database.close());
    return { database, dataDir: "memory://", socketPort: null, close: () => database.close() };
  }
  const embedded = await openEmbedded({
    dataDir: config.dataDir,
    serve: true,
    service: options.service,
    ...(options.seedCacheDir ? { seedCacheDir: options.seedCacheDir } : {}),
  });
  await migrateOrClose(embedded.database, () => embedded.close());
  return {
    database: embedded.database,
    dataDir: embedded.dataDir,
    socketPort: embedded.port,
    close: () => embedded.close(),
  };
}

async function migrateOrClose(database: Database, close: () => Promise<void>): Promise<void> {
  try {
    await database.migrate();
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/**
 * For an app's main.ts: `openAppDatabase(...).catch(exitOnEmbeddedBusy)`. The data folder being
 * held elsewhere is an operator's situation, not a crash: one line on stderr, exit 1.
 */
export function exitOnEmbeddedBusy(
  err: unknown,
  io: { stderr: { write(text: string): unknown }; exit(code: number): never } = process,
): never {
  if (err instanceof EmbeddedBusyError) {
    io.stderr.write(`telepay: ${err.message}\n`);
    return io.exit(1);
  }
  throw err;
}
