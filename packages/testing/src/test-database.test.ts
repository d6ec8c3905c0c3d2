import { channels } from "@telepay/db";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "./test-database.ts";

describe("createTestDatabase", () => {
  it("gives a fresh migrated database and cleans it up on close", async () => {
    const serverUrl = process.env.TEST_DATABASE_URL;
    const db = await createTestDatabase(serverUrl);
    try {
      expect(db.kind).toBe(serverUrl ? "postgres" : "pglite");
      expect(await db.health()).toBe(true);
      // The schema is there: a table from the data model can be queried.
      expect(await db.db.select().from(channels)).toEqual([]);
    } finally {
      await db.close();
    }
    if (serverUrl) {
      const name = new URL(db.url!).pathname.slice(1);
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        const left = await admin`select 1 from pg_database where datname = ${name}`;
        expect(left).toHaveLength(0);
      } finally {
        await admin.end({ timeout: 5 });
      }
    }
    // PGlite boot plus migrations can take seconds on a loaded machine.
  }, 30_000);
});
