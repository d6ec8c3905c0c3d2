import type { DbConfig } from "@telepay/db";

/** The parsed `databaseEnv` fields toDbConfig reads. */
export interface DatabaseEnvValues {
  DATABASE_URL?: string | undefined;
  CLOUD_SQL_CONNECTION_NAME?: string | undefined;
  DB_USER?: string | undefined;
  DB_PASSWORD?: string | undefined;
  DB_NAME?: string | undefined;
  DB_IAM_AUTH: boolean;
  DB_IP_TYPE: "PUBLIC" | "PRIVATE" | "PSC";
  DB_POOL_SIZE: number;
  DB_MAX_OVERFLOW: number;
  DB_POOL_TIMEOUT: number;
  DB_POOL_RECYCLE: number;
  DATA_DIR: string;
}

/** Maps validated `databaseEnv` values to @telepay/db's DbConfig (pass it to createDb). */
export function toDbConfig(env: DatabaseEnvValues): DbConfig {
  const pool = {
    size: env.DB_POOL_SIZE,
    maxOverflow: env.DB_MAX_OVERFLOW,
    timeoutSeconds: env.DB_POOL_TIMEOUT,
    recycleSeconds: env.DB_POOL_RECYCLE,
  };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, pool };
  if (env.CLOUD_SQL_CONNECTION_NAME) {
    return {
      cloudSql: {
        connectionName: env.CLOUD_SQL_CONNECTION_NAME,
        // checkDatabaseTarget guarantees these; "" only if a caller skipped it, and then connect fails loudly.
        user: env.DB_USER ?? "",
        password: env.DB_IAM_AUTH ? undefined : env.DB_PASSWORD,
        database: env.DB_NAME ?? "",
        iamAuth: env.DB_IAM_AUTH,
        ipType: env.DB_IP_TYPE,
      },
      pool,
    };
  }
  return { dataDir: env.DATA_DIR, pool };
}
