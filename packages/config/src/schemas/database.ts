import { z } from "zod";
import { flag, integer, postgresUrl, secret, text } from "../fields.ts";
import type { EnvRule } from "../rules.ts";

/**
 * Where the data lives: DATABASE_URL (postgres.js), CLOUD_SQL_CONNECTION_NAME (+ DB_* credentials,
 * through the Cloud SQL connector), or neither (embedded PGlite in DATA_DIR). Compose with
 * `checkDatabaseTarget`; turn the result into a DbConfig with `toDbConfig`.
 */
export const databaseEnv = {
  DATABASE_URL: postgresUrl().optional(),
  CLOUD_SQL_CONNECTION_NAME: text()
    .regex(/^[a-z0-9.:-]+:[a-z0-9-]+:[a-z0-9-]+$/, "must be project:region:instance")
    .optional(),
  DB_USER: text().optional(),
  DB_PASSWORD: secret().optional(),
  DB_NAME: text().optional(),
  /** IAM database authentication (the service account is the user); no password then. */
  DB_IAM_AUTH: flag(false),
  DB_IP_TYPE: z
    .enum(["PUBLIC", "PRIVATE", "PSC"], { error: "must be PUBLIC, PRIVATE or PSC" })
    .default("PUBLIC"),
  DB_POOL_SIZE: integer(5, 1, 100),
  DB_MAX_OVERFLOW: integer(10, 0, 100),
  /** Seconds to wait for a connection. */
  DB_POOL_TIMEOUT: integer(30, 1, 600),
  /** Seconds before a connection is replaced. */
  DB_POOL_RECYCLE: integer(1800, 60, 86_400),
  /** Embedded PGlite folder ("memory://" keeps it in memory). */
  DATA_DIR: text().default("./.data"),
};

/** One database target, with the credentials the Cloud SQL connector needs. */
export const checkDatabaseTarget: EnvRule = (env, ctx) => {
  if (!env.CLOUD_SQL_CONNECTION_NAME) return;
  if (env.DATABASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["CLOUD_SQL_CONNECTION_NAME"],
      message: "set either DATABASE_URL or CLOUD_SQL_CONNECTION_NAME, not both",
    });
  }
  for (const name of ["DB_USER", "DB_NAME"] as const) {
    if (!env[name]) {
      ctx.addIssue({ code: "custom", path: [name], message: "is required with CLOUD_SQL_CONNECTION_NAME" });
    }
  }
  if (env.DB_IAM_AUTH !== true && !env.DB_PASSWORD) {
    ctx.addIssue({
      code: "custom",
      path: ["DB_PASSWORD"],
      message: "is required with CLOUD_SQL_CONNECTION_NAME unless DB_IAM_AUTH=true",
    });
  }
};
