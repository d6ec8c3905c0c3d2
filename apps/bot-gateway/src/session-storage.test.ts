import { botSessions } from "@telepay/db";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSessionStorage } from "./session-storage.ts";

describe("session storage in bot_sessions", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(process.env.TEST_DATABASE_URL);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("round-trips, overwrites, deletes, and stores an empty session as no row", async () => {
    const storage = createSessionStorage<{ step?: string; n?: number }>(db.db);
    expect(await storage.read("u1")).toBeUndefined();
    await storage.write("u1", { step: "tiers", n: 1 });
    await storage.write("u1", { step: "wallet", n: 2 });
    expect(await storage.read("u1")).toEqual({ step: "wallet", n: 2 });
    // A second adapter (another instance) sees the same state.
    expect(await createSessionStorage(db.db).read("u1")).toEqual({ step: "wallet", n: 2 });
    await storage.write("u1", {});
    expect(await storage.read("u1")).toBeUndefined();
    expect(await db.db.select().from(botSessions)).toHaveLength(0);
    await storage.write("u2", { n: 3 });
    await storage.delete("u2");
    expect(await storage.read("u2")).toBeUndefined();
  });

  it("treats rows past their time to live as gone", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const storage = createSessionStorage<{ n: number }>(db.db, { ttlMs: 60_000, now: () => now });
    await storage.write("u3", { n: 1 });
    now = new Date("2026-01-01T00:00:59Z");
    expect(await storage.read("u3")).toEqual({ n: 1 });
    now = new Date("2026-01-01T00:01:01Z");
    expect(await storage.read("u3")).toBeUndefined();
  });
});
