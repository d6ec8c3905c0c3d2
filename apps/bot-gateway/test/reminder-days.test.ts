import { channels, subscriptions } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, type Harness, seedChannel, startHarness, uniqueId } from "./harness.ts";

const DAY = 86_400_000;

// REMINDER_DAYS is the operator's choice of when subscribers are reminded; the bot starts trials,
// and the core sets their first reminder from it. The bot used the default (3, 1) whatever was set.
describe("REMINDER_DAYS reaches what the bot starts", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { reminderDays: [5] } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a 7-day trial started in the bot is first checked 5 days before it ends", async () => {
    const { channel } = await seedChannel(h);
    await h.db.db.update(channels).set({ trialDays: 7 }).where(eq(channels.id, channel.id));
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Rita" });
    await h.say(user, `/start c${channel.id}`);
    const menu = h.last(user);
    await h.press(user, menu.message_id, buttonData(menu, "🎁 Start 7-day free trial"));
    const [sub] = await h.db.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.channelId, channel.id), eq(subscriptions.userId, BigInt(user))));
    expect(sub?.trial).toBe(true);
    expect(sub!.expiresAt.getTime() - sub!.nextCheckAt!.getTime()).toBe(5 * DAY);
  });
});
