import { createTestDatabase, seedChannel, type TestDatabase } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommerceError, createCommerce } from "../src/index.ts";

// Callback data and deep links carry ids a person can edit: `rf:a:999999999999`,
// `trial:99999999999`, `p99999999999_CODE`. Beyond Postgres' integer such an id is not "someone's
// order" but a query error; the core answers it like any id that names nothing.
const HUGE = 999_999_999_999;

let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  await seedChannel(database.db, { ownerTelegramId: 77n });
  commerce = createCommerce({ db: database.db });
});
afterAll(async () => {
  await database?.close();
});

const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CommerceError);
  return { code: (err as CommerceError).code, reason: (err as CommerceError).details.reason };
};

describe("ids out of range from forged callback data and links", () => {
  it("a refund of an order id beyond integer range is NOT_FOUND, for the preview and the refund", async () => {
    const owner = { kind: "owner" as const, telegramId: 77n };
    expect(await codeOf(commerce.refunds.preview({ orderId: HUGE }, owner))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await codeOf(commerce.refunds.refund({ orderId: HUGE }, owner))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("a trial of a channel id beyond integer range is NOT_FOUND, like a channel that does not exist", async () => {
    expect(await codeOf(commerce.access.startTrial({ channelId: HUGE, userId: 5n }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("a promo code of a channel id beyond integer range is unknown", async () => {
    expect(
      await codeOf(commerce.promos.check({ channelId: HUGE, code: "SAVE10", userId: 1n })),
    ).toMatchObject({
      code: "INVALID",
      reason: "unknown",
    });
  });
});
