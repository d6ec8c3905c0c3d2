import {
  createCommerce,
  STARS_CURRENCY,
  STARS_SUBSCRIPTION_PERIOD_S,
  starsInvoiceId,
} from "@telepay/commerce";
import { channels, orders, payments, starSubscriptions, subscriptions, tiers } from "@telepay/db";
import { signInternalRequest } from "@telepay/security";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotifierApp } from "../src/index.ts";
import { type Fixture, FROM_LOOPBACK, setup, texts } from "./fixture.ts";

const SECRET = "a-signing-secret-of-some-length";
const DAY = 86_400_000;
let f: Fixture;
const started: NotifierApp[] = [];

beforeAll(async () => {
  f = await setup();
  await f.db.db.update(channels).set({ rails: "both" }).where(eq(channels.id, f.channelId));
  await f.db.db.update(tiers).set({ starsPrice: 250 }).where(eq(tiers.id, f.tierId));
}, 120_000);
afterAll(async () => {
  for (const app of started) await app.stop();
  await f?.close();
});

/** What the bot does for a Stars purchase: the order and its auto-renewing invoice link. */
async function starsInvoice(userId: number) {
  const commerce = createCommerce({ db: f.db.db });
  const [tier] = await f.db.db.select().from(tiers).where(eq(tiers.id, f.tierId));
  const order = await commerce.orders.open({
    userId: BigInt(userId),
    item: { kind: "subscription", channelId: f.channelId, tier: tier!, rail: "stars" },
    reuseMs: 0,
  });
  const link = await f.api.createInvoiceLink(
    "Monthly",
    "30 days",
    order.reference,
    "",
    STARS_CURRENCY,
    [{ label: "Monthly", amount: 250 }],
    { subscription_period: STARS_SUBSCRIPTION_PERIOD_S },
  );
  await commerce.orders.attachInvoice(order.id, { id: starsInvoiceId(order.reference), url: link });
  return { order, link };
}

const until = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const subscriptionOf = async (userId: number) =>
  (
    await f.db.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, BigInt(userId)), eq(subscriptions.channelId, f.channelId)))
  )[0];

describe("periodic Stars reconciliation in the notifier", () => {
  it("records a charge whose successful_payment was lost, on its timer, and the subscriber gets the invite", async () => {
    const user = 91_001;
    await f.addUser(user, { firstName: "Lost" });
    const { order, link } = await starsInvoice(user);
    const { chargeId } = f.emulator.payStars({ from: user, invoice: link, deliver: false });

    const app = await f.appWith({ starsReconcileIntervalMs: 100, redriveIntervalMs: 100 });
    started.push(app);
    await app.start();
    await until("the lost charge to be recorded", async () => {
      const [o] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
      return o!.status === "finished";
    });
    const [payment] = await f.db.db.select().from(payments).where(eq(payments.paymentId, chargeId));
    expect(payment).toMatchObject({ orderId: order.id, status: "finished", priceCurrency: "XTR" });
    await until("the invite", async () =>
      texts(f.emulator, user).some((t) => t.includes("Payment received")),
    );
    expect((await subscriptionOf(user))!.status).toBe("active");

    // Later passes find it known: recorded once.
    const again = await app.runStarsReconcile();
    expect(again.missing).toEqual([]);
    expect(again.known).toBeGreaterThanOrEqual(1);
    await app.stop();
  });

  it("the scheduled sweep (POST /jobs/sweep) first records a lost renewal, so the renewing subscriber is extended, not removed", async () => {
    const user = 91_002;
    await f.addUser(user, { firstName: "Renewer" });
    const { link } = await starsInvoice(user);
    const first = f.emulator.payStars({ from: user, invoice: link, deliver: false });
    const app = await f.appWith({});
    await app.runStarsReconcile();
    await app.runRedrive();
    const before = (await subscriptionOf(user))!.expiresAt;

    // The renewal's update is lost too; the scheduled sweep request finds it.
    f.emulator.renewStars({ chargeId: first.chargeId, deliver: false });
    const body = "{}";
    const res = await app.app.request(
      "/jobs/sweep",
      {
        method: "POST",
        body,
        headers: {
          "x-signature": signInternalRequest({ method: "POST", path: "/jobs/sweep", body }, SECRET),
        },
      },
      FROM_LOOPBACK,
    );
    expect(res.status).toBe(200);
    const after = (await subscriptionOf(user))!.expiresAt;
    expect(after.getTime() - before.getTime()).toBe(30 * DAY);
    const paid = await f.db.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, BigInt(user)), eq(orders.status, "finished")));
    expect(paid).toHaveLength(2);
    await app.stop();
  });

  it("a refund that died after Telegram gave the Stars back (before the reversal) is reversed by the next pass, once", async () => {
    const user = 91_003;
    await f.addUser(user, { firstName: "Refunded" });
    const { order, link } = await starsInvoice(user);
    const { chargeId } = f.emulator.payStars({ from: user, invoice: link, deliver: false });
    const app = await f.appWith({});
    await app.runStarsReconcile();
    await app.runRedrive();
    expect((await subscriptionOf(user))!.status).toBe("active");

    // The owner's Refund press reached Telegram; the process died before the core reversal.
    await f.api.refundStarPayment(user, chargeId);
    const [unreversed] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(unreversed!.reversedAt).toBeNull();

    const dry = await app.runStarsReconcile({ dryRun: true });
    expect(dry.refunded).toEqual([{ chargeId, orderReference: order.reference, reversed: false }]);
    const pass = await app.runStarsReconcile();
    expect(pass.refunded).toEqual([{ chargeId, orderReference: order.reference, reversed: true }]);
    const [o] = await f.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(o!.reversedAt).not.toBeNull();
    const sub = (await subscriptionOf(user))!;
    expect(sub.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    // Found reversed: later passes leave it alone.
    expect((await app.runStarsReconcile()).refunded).toEqual([]);
    await app.stop();
  });

  it("asks Telegram nothing while no channel sells in Stars and no Stars subscription renews", async () => {
    await f.db.db.update(channels).set({ rails: "crypto" }).where(eq(channels.id, f.channelId));
    const app = await f.appWith({});
    const before = f.emulator.callsOf("getStarTransactions").length;
    const pass = await app.runStarsReconcile();
    // Two Stars subscriptions above still renew: Telegram is asked.
    expect(pass.skipped).toBe(false);
    // Both cancelled: nothing renews any more.
    await f.db.db.update(starSubscriptions).set({ state: "canceled" });
    const quiet = await app.runStarsReconcile();
    expect(quiet).toMatchObject({ skipped: true, scanned: 0 });
    expect(f.emulator.callsOf("getStarTransactions")).toHaveLength(before + 1);
    await app.stop();
  });
});
