import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../../testing/src/test-database.ts";
import {
  findChannelByChatId,
  findOrderByReference,
  getChannelWithTiers,
  listChannelsByOwner,
  orders,
  tiers,
  upsertUser,
  users,
} from "../src/index.ts";
import { seedChannel } from "./targets.ts";

export function repositoriesSuite(database: () => TestDatabase): void {
  describe("repositories", () => {
    it("upsertUser records a user and keeps their latest names, clearing a block", async () => {
      const telegramId = 5_000_000_001n;
      const first = await upsertUser(database().db, {
        telegramId,
        username: "alice",
        firstName: "Alice",
        languageCode: "en",
      });
      expect(first).toMatchObject({ telegramId, username: "alice", firstName: "Alice", languageCode: "en" });
      await database()
        .db.update(users)
        .set({ botBlockedAt: new Date() })
        .where(eq(users.telegramId, telegramId));
      const second = await upsertUser(database().db, { telegramId, username: null, firstName: "Alicia" });
      expect(second).toMatchObject({ telegramId, username: null, firstName: "Alicia", botBlockedAt: null });
      expect(second.createdAt).toEqual(first.createdAt);
      expect(await database().db.select().from(users).where(eq(users.telegramId, telegramId))).toHaveLength(
        1,
      );
    });

    it("finds a channel by either of its chats, and nothing for an unknown chat", async () => {
      const { channel } = await seedChannel(database().db);
      expect((await findChannelByChatId(database().db, channel.openChatId))?.id).toBe(channel.id);
      expect((await findChannelByChatId(database().db, channel.closedChatId))?.id).toBe(channel.id);
      expect(await findChannelByChatId(database().db, -1n)).toBeUndefined();
    });

    it("returns a channel's active tiers in position order, or all of them on request", async () => {
      const { channel, tiers: seeded } = await seedChannel(database().db, ["30", "10", "20"]);
      await database().db.update(tiers).set({ active: false }).where(eq(tiers.id, seeded[1]!.id));
      const active = await getChannelWithTiers(database().db, channel.id);
      expect(active?.channel.id).toBe(channel.id);
      expect(active?.tiers.map((t) => [t.position, t.price])).toEqual([
        [1, "30"],
        [3, "20"],
      ]);
      const all = await getChannelWithTiers(database().db, channel.id, { includeInactive: true });
      expect(all?.tiers.map((t) => t.position)).toEqual([1, 2, 3]);
      expect(await getChannelWithTiers(database().db, 987_654)).toBeUndefined();
    });

    it("lists an owner's channels only", async () => {
      const a = await seedChannel(database().db);
      await seedChannel(database().db);
      const mine = await listChannelsByOwner(database().db, a.owner);
      expect(mine.map((c) => c.id)).toEqual([a.channel.id]);
    });

    it("finds an order by its reference, exactly", async () => {
      const {
        channel,
        tiers: [tier],
      } = await seedChannel(database().db);
      const user = await upsertUser(database().db, { telegramId: 5_000_000_002n, firstName: "Bob" });
      const reference = `o_${randomUUID().slice(0, 10)}`;
      await database().db.insert(orders).values({
        reference,
        kind: "subscription",
        userId: user.telegramId,
        channelId: channel.id,
        tierId: tier!.id,
        amount: "9.99",
        currency: "USD",
        durationDays: 30,
      });
      expect((await findOrderByReference(database().db, reference))?.amount).toBe("9.99");
      expect(await findOrderByReference(database().db, reference.toUpperCase())).toBeUndefined();
    });
  });
}
