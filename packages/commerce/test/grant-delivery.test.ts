import { randomUUID } from "node:crypto";
import { accessGrants, orders, subscriptions } from "@telepay/db";
import {
  createTestDatabase,
  payOrder,
  type SeededChannel,
  seedChannel,
  seedOrder,
  type TestDatabase,
} from "@telepay/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommerce, LeaseLostError } from "../src/index.ts";

// The database half of delivering access, as two workers (or a killed one and its successor) see
// it: one holder at a time, the order's days added once, and a worker whose lease was taken over
// can change nothing.
const LEASE_MS = 60_000;
// Lease tokens of the workers in these stories.
const WORKER_A = randomUUID();
const WORKER_B = randomUUID();
const DEAD_WORKER = randomUUID();
const SUCCESSOR = randomUUID();
const W = randomUUID();
const KEEP = randomUUID();
const OTHER = randomUUID();

let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let tier: SeededChannel["tier"];

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  ({ tier } = await seedChannel(database));
  commerce = createCommerce({ db: database.db });
});
afterAll(async () => {
  await database?.close();
});

/** A paid 30-day order of a new payer, with its grant `owed`. */
async function paidOrder() {
  const order = await seedOrder(database, tier);
  await payOrder(database, { reference: order.reference, amount: order.amount });
  return { order, userId: order.userId };
}

const lapse = (orderId: number) =>
  database.db
    .update(accessGrants)
    .set({ leaseUntil: sql`now() - interval '1 second'` })
    .where(eq(accessGrants.orderId, orderId));

describe("grant delivery (commerce grant-delivery.ts)", () => {
  it("one holder at a time: a second worker cannot claim a held grant, and sees it busy", async () => {
    const { order } = await paidOrder();
    const delivery = commerce.grantDelivery;
    const held = await delivery.claim(order.id, WORKER_A, LEASE_MS);
    expect(held?.state).toBe("delivering");
    expect(held?.attempts).toBe(1);
    expect(await delivery.claim(order.id, WORKER_B, LEASE_MS)).toBeUndefined();
    expect(await delivery.standing(order.id)).toBe("busy");
    expect(await delivery.due(100, [order.id])).toEqual([]);
  });

  it("a killed worker's grant is claimable once its lease lapses, and the old worker can no longer write", async () => {
    const { order } = await paidOrder();
    const delivery = commerce.grantDelivery;
    const first = await delivery.claim(order.id, DEAD_WORKER, LEASE_MS);
    await lapse(order.id);
    expect(await delivery.due(100, [order.id])).toEqual([order.id]);
    const second = await delivery.claim(order.id, SUCCESSOR, LEASE_MS);
    expect(second?.attempts).toBe(2);
    await expect(
      delivery.progress(first!.id, DEAD_WORKER, { inviteLink: "https://t.me/+stale" }),
    ).rejects.toThrow(LeaseLostError);
    await expect(delivery.apply(first!, DEAD_WORKER)).rejects.toThrow(LeaseLostError);
    const [row] = await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id));
    expect(row?.inviteLink).toBeNull();
    expect(row?.subscriptionId).toBeNull();
  });

  it("adds the order's days exactly once, however often apply runs", async () => {
    const { order, userId } = await paidOrder();
    const delivery = commerce.grantDelivery;
    const grant = await delivery.claim(order.id, W, LEASE_MS);
    const once = await delivery.apply(grant!, W);
    const twice = await delivery.apply(grant!, W);
    if (!("grant" in once) || !("grant" in twice)) throw new Error("expected the grant to apply");
    expect(twice.grant.expiresAt).toEqual(once.grant.expiresAt);
    const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
    expect(sub?.expiresAt).toEqual(once.grant.expiresAt);
    const days = (sub!.expiresAt.getTime() - sub!.startsAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    await delivery.finish(grant!.id, W, "dm_sent");
    expect(await delivery.standing(order.id)).toBe("done");
  });

  it("an order no longer paid when its grant is applied gets nothing: the grant is voided", async () => {
    const { order, userId } = await paidOrder();
    await database.db.update(orders).set({ status: "refunded" }).where(eq(orders.id, order.id));
    const delivery = commerce.grantDelivery;
    const grant = await delivery.claim(order.id, W, LEASE_MS);
    expect(await delivery.apply(grant!, W)).toEqual({ voided: "order is refunded, not paid" });
    expect(await delivery.standing(order.id)).toBe("done");
    const subs = await database.db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
    expect(subs).toEqual([]);
  });

  it("renewing and releasing leases move lease_until of the held grants only", async () => {
    const a = await paidOrder();
    const b = await paidOrder();
    const delivery = commerce.grantDelivery;
    await delivery.claim(a.order.id, KEEP, 1_000);
    await delivery.claim(b.order.id, OTHER, 1_000);
    await delivery.renewLeases([KEEP], 3_600_000);
    const until = async (orderId: number) =>
      (await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, orderId)))[0]!
        .leaseUntil!;
    expect((await until(a.order.id)).getTime() - Date.now()).toBeGreaterThan(3_000_000);
    expect((await until(b.order.id)).getTime() - Date.now()).toBeLessThan(2_000);
    await delivery.releaseAllLeases();
    expect(await delivery.due(100, [a.order.id, b.order.id])).toEqual(
      expect.arrayContaining([a.order.id, b.order.id]),
    );
  });
});
