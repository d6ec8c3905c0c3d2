import { channels } from "@telepay/db";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "./test-database.ts";

const channel = {
  ownerTelegramId: 1n,
  openChatId: -1001n,
  closedChatId: -1002n,
  payoutWallet: "w",
  payoutCurrency: "usdt",
};

describe("createTestDatabase", () => {
  it("gives a fresh migrated database and cleans it up on close", async () => {
    const serverUrl = process.env.TEST_DATABASE_URL;
    const db = await createTestDatabase(serverUrl);
    try {
      expect(db.kind).toBe(serverUrl ? "postgres" : "pglite");
      expect(await db.health()).toBe(true);
      // The schema is there: a table from the data model can be queried.
      expect(await db.db.select().from(channels)).toEqual([]);
      // Already migrated (template or snapshot): migrating again applies nothing and still works.
      await db.migrate();
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
  }, 60_000);

  it("copies of the migrated template or snapshot never share rows, also when made at once", async () => {
    const serverUrl = process.env.TEST_DATABASE_URL;
    const [a, b] = await Promise.all([createTestDatabase(serverUrl), createTestDatabase(serverUrl)]);
    try {
      await a!.db.insert(channels).values(channel);
      expect(await a!.db.select().from(channels)).toHaveLength(1);
      expect(await b!.db.select().from(channels)).toEqual([]);
      const c = await createTestDatabase(serverUrl);
      try {
        expect(await c.db.select().from(channels)).toEqual([]);
      } finally {
        await c.close();
      }
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  }, 60_000);
});
