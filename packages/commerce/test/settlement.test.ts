import { orders, payouts, users } from "@telepay/db";
import { createTestDatabase, payOrder, seedChannel, type TestDatabase } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommerceError, createSettlement } from "../src/index.ts";

// The settlement ledger's core on the test database (PGlite, or Postgres with TEST_DATABASE_URL);
// the CLI's payouts tests cover the rules of what counts through the real binary.

let database: TestDatabase;
let channelId: number;
const OWNER = 5_700_001n;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const { db } = database;
  await db.insert(users).values({ telegramId: OWNER });
  const { channel } = await seedChannel(db, {
    ownerTelegramId: OWNER,
    values: { payoutWallet: "TQ9xAbCdEfGhIjKl" },
  });
  channelId = channel.id;
  await db.insert(orders).values({
    reference: "settle_ref_1",
    kind: "donation",
    userId: OWNER,
    channelId,
    amount: "10",
    currency: "USD",
    status: "waiting",
  });
  await payOrder(database, { reference: "settle_ref_1", amount: "10" }, { outcomeAmount: "9.50" });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("settlement", () => {
  it("reads balances by owner, records payouts and refuses more than is due", async () => {
    const s = createSettlement({ db: database.db });
    expect(await s.balances({ ownerTelegramId: OWNER })).toMatchObject([
      {
        channelId,
        currency: "usdttrc20",
        earned: "9.5",
        paid: "0",
        due: "9.5",
        payments: 1,
        lastPayout: null,
      },
    ]);
    expect(await s.balances({ ownerTelegramId: OWNER + 1n })).toEqual([]);
    expect(await s.markPaid({ channelId, amount: "4", note: " tx1 ", actor: { kind: "cli" } })).toMatchObject(
      {
        amount: "4",
        currency: "usdttrc20",
        dueBefore: "9.5",
        dueAfter: "5.5",
        forced: false,
      },
    );
    const over = s.markPaid({ channelId, amount: "6", actor: { kind: "cli" } });
    await expect(over).rejects.toBeInstanceOf(CommerceError);
    await expect(over).rejects.toMatchObject({ code: "CONFLICT" });
    for (const amount of ["0", "-1", "1e2", "0.000000001", " "]) {
      await expect(s.markPaid({ channelId, amount, actor: { kind: "cli" } })).rejects.toMatchObject({
        code: "INVALID",
      });
    }
    await expect(
      s.markPaid({ channelId: 999_999, amount: "1", actor: { kind: "cli" } }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await s.balances({ channelId })).toMatchObject([
      { due: "5.5", paid: "4", lastPayout: { amount: "4", note: "tx1" } },
    ]);
    expect(await database.db.select().from(payouts)).toHaveLength(1);
  });
});
