import { describe, expect, it } from "vitest";
import { isIpOrCidr, toDbConfig } from "../src/index.ts";

describe("isIpOrCidr", () => {
  it.each(["127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "::1", "2001:db8::/32", "::/0", "fe80::1/128"])(
    "accepts %s",
    (entry) => {
      expect(isIpOrCidr(entry)).toBe(true);
    },
  );

  it.each([
    "",
    "10.0.0/8",
    "10.0.0.0/33",
    "256.0.0.1",
    "2001:db8::/129",
    "10.0.0.0/8/8",
    "10.0.0.0/",
    "10.0.0.0/-1",
    "example.com",
  ])("rejects %j", (entry) => {
    expect(isIpOrCidr(entry)).toBe(false);
  });
});

describe("toDbConfig", () => {
  const base = {
    DB_IAM_AUTH: false,
    DB_IP_TYPE: "PUBLIC" as const,
    DB_POOL_SIZE: 5,
    DB_MAX_OVERFLOW: 10,
    DB_POOL_TIMEOUT: 30,
    DB_POOL_RECYCLE: 1800,
    DATA_DIR: "./.data",
  };
  const pool = { size: 5, maxOverflow: 10, timeoutSeconds: 30, recycleSeconds: 1800 };

  it("uses DATABASE_URL first", () => {
    expect(toDbConfig({ ...base, DATABASE_URL: "postgres://h/db" })).toEqual({
      url: "postgres://h/db",
      pool,
    });
  });

  it("maps Cloud SQL with a password, or IAM without one", () => {
    const env = {
      ...base,
      CLOUD_SQL_CONNECTION_NAME: "p:r:i",
      DB_USER: "u",
      DB_PASSWORD: "pw",
      DB_NAME: "telepay",
    };
    expect(toDbConfig(env)).toEqual({
      cloudSql: {
        connectionName: "p:r:i",
        user: "u",
        password: "pw",
        database: "telepay",
        iamAuth: false,
        ipType: "PUBLIC",
      },
      pool,
    });
    expect(toDbConfig({ ...env, DB_IAM_AUTH: true, DB_IP_TYPE: "PRIVATE" }).cloudSql).toMatchObject({
      password: undefined,
      iamAuth: true,
      ipType: "PRIVATE",
    });
  });

  it("falls back to embedded PGlite in DATA_DIR", () => {
    expect(toDbConfig({ ...base, DATA_DIR: "/var/lib/telepay" })).toEqual({
      dataDir: "/var/lib/telepay",
      pool,
    });
  });
});
