import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../../testing/src/test-database.ts";
import {
  accessGrants,
  isUniqueViolation,
  orders,
  payments,
  processedEvents,
  subscriptions,
  tiers,
  users,
} from "../src/index.ts";
import { rejectionOf, seedChannel } from "./targets.ts";

const EXPECTED_TABLES = [
  "access_grants",
  "audit_log",
  "bot_sessions",
  "broadcast_deliveries",
  "broadcasts",
  "channel_posts",
  "channels",
  "orders",
  "outbox",
  "payment_events",
  "payments",
  "processed_events",
  "processed_updates",
  "replay_guard",
  "subscriptions",
  "tiers",
  "users",
];

export function constraintsSuite(database: () => TestDatabase): void {
  describe("schema constraints", () => {
    let userSeq = 500_000_000_000n;

    async function newUser() {
      const telegramId = userSeq++;
      await database().db.insert(users).values({ telegramId, firstName: "U" });
      return telegramId;
    }

    async function newOrder(reference = `ord_${randomUUID().slice(0, 12)}`) {
      const {
        channel,
        tiers: [tier],
      } = await seedChannel(database().db);
      const userId = await newUser();
      const [order] = await database()
        .db.insert(orders)
        .values({
          reference,
          kind: "subscription",
          userId,
          channelId: channel.id,
          tierId: tier!.id,
          amount: "9.99",
          currency: "USD",
          durationDays: 30,
        })
        .returning();
      return { order: order!, channel, userId };
    }

    it("applies the committed migrations, and applying them again changes nothing", async () => {
      const rows = await database().db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      const names = (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string }[] }).rows).map(
        (r) => r.table_name,
      );
      expect(names).toEqual(expect.arrayContaining(EXPECTED_TABLES));
      await database().migrate();
      expect(await database().health()).toBe(true);
    });

    it("keeps bigint Telegram ids and NUMERIC money exact", async () => {
      const { order } = await newOrder();
      const big = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a JS number
      await database().db.insert(users).values({ telegramId: big, firstName: "Big" });
      const [user] = await database().db.select().from(users).where(sql`${users.telegramId} = ${big}`);
      expect(user?.telegramId).toBe(big);
      expect(order.amount).toBe("9.99");
    });

    it("refuses a second row for the same NOWPayments payment id", async () => {
      const row = { paymentId: `pay-${randomUUID()}`, status: "waiting", raw: {} };
      await database().db.insert(payments).values(row);
      const err = await rejectionOf(
        database()
          .db.insert(payments)
          .values({ ...row, status: "finished" }),
      );
      expect(isUniqueViolation(err)).toBe(true);
    });

    it("refuses a second subscription row for the same user and channel", async () => {
      const { channel } = await seedChannel(database().db);
      const userId = await newUser();
      const now = new Date();
      const row = { userId, channelId: channel.id, startsAt: now, expiresAt: now, nextCheckAt: now };
      await database().db.insert(subscriptions).values(row);
      const err = await rejectionOf(
        database()
          .db.insert(subscriptions)
          .values({ ...row, status: "expired" as const }),
      );
      expect(isUniqueViolation(err, "subscriptions_user_channel_uq")).toBe(true);
    });

    it("refuses a duplicate order reference", async () => {
      const { order } = await newOrder();
      const err = await rejectionOf(newOrder(order.reference));
      expect(isUniqueViolation(err)).toBe(true);
      expect(isUniqueViolation(err, "subscriptions_user_channel_uq")).toBe(false);
    });

    it("refuses to process the same event twice for one consumer, but allows another consumer", async () => {
      const eventId = randomUUID();
      await database().db.insert(processedEvents).values({ consumer: "notifier.grant", eventId });
      const err = await rejectionOf(
        database().db.insert(processedEvents).values({ consumer: "notifier.grant", eventId }),
      );
      expect(isUniqueViolation(err)).toBe(true);
      await database().db.insert(processedEvents).values({ consumer: "notifier.owner", eventId });
    });

    it("refuses a second access grant for one order (no double invite)", async () => {
      const { order, channel, userId } = await newOrder();
      const now = new Date();
      const [sub] = await database()
        .db.insert(subscriptions)
        .values({ userId, channelId: channel.id, startsAt: now, expiresAt: now, nextCheckAt: now })
        .returning();
      const grant = { orderId: order.id, subscriptionId: sub!.id, expiresAt: now };
      await database().db.insert(accessGrants).values(grant);
      const err = await rejectionOf(database().db.insert(accessGrants).values(grant));
      expect(isUniqueViolation(err)).toBe(true);
    });

    it("allows one active tier per slot, while retired tiers may share it", async () => {
      const {
        channel,
        tiers: [tier],
      } = await seedChannel(database().db);
      const clash = { channelId: channel.id, position: tier!.position, price: "19.99", durationDays: 60 };
      const err = await rejectionOf(database().db.insert(tiers).values(clash));
      expect(isUniqueViolation(err, "tiers_channel_position_active_uq")).toBe(true);
      await database()
        .db.insert(tiers)
        .values({ ...clash, active: false });
      await database()
        .db.insert(tiers)
        .values({ ...clash, active: false });
    });

    it("rejects a non-positive price, and a subscription order without a tier", async () => {
      const { channel } = await seedChannel(database().db);
      await expect(
        database()
          .db.insert(tiers)
          .values({ channelId: channel.id, position: 9, price: "0", durationDays: 30 }),
      ).rejects.toThrow();
      const userId = await newUser();
      await expect(
        database()
          .db.insert(orders)
          .values({
            reference: `ord_${randomUUID().slice(0, 12)}`,
            kind: "subscription",
            userId,
            channelId: channel.id,
            amount: "5",
            currency: "USD",
          }),
      ).rejects.toThrow();
    });
  });
}
