/**
 * How to reach the database. Exactly one of `url`, `cloudSql`, or embedded (`dataDir` / memory)
 * is used, in that order of precedence; apps build this from their env schema.
 */
export interface DbConfig {
  /** postgres://… (postgres.js pool) */
  url?: string | undefined;
  cloudSql?:
    | {
        /** project:region:instance */
        connectionName: string;
        user: string;
        password?: string | undefined;
        database: string;
        /** Use IAM database authentication instead of a password. */
        iamAuth?: boolean | undefined;
        ipType?: "PUBLIC" | "PRIVATE" | "PSC" | undefined;
      }
    | undefined;
  /**
   * Embedded PGlite data folder, opened like openEmbedded does (DATA_DIR/pgdata, under its lock);
   * `"memory://"` (or undefined with no url) keeps it in memory.
   */
  dataDir?: string | undefined;
  pool?: {
    /** DB_POOL_SIZE (default 5) */
    size?: number | undefined;
    /** DB_MAX_OVERFLOW (default 10): postgres.js has one `max`, so max = size + overflow. */
    maxOverflow?: number | undefined;
    /** DB_POOL_TIMEOUT seconds (default 30): connect timeout. */
    timeoutSeconds?: number | undefined;
    /** DB_POOL_RECYCLE seconds (default 1800): max connection lifetime. */
    recycleSeconds?: number | undefined;
  };
  /** postgres.js notices and PGlite debug go nowhere unless a logger is given. */
  onNotice?: ((message: string) => void) | undefined;
}
