import { orders, outbox } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  buttonUrl,
  type Harness,
  seedChannel,
  seedSubscription,
  startHarness,
  uniqueId,
} from "./harness.ts";

const _silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The whole purchase across services: the bot makes the invoice, the NOWPayments emulator sends
 * signed IPNs to the real webhook-ingress (on a real port, as ipn_callback_url), and the status
 * page the invoice's success_url opens shows the result.
 */
describe("subscriber purchase end to end", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ ingress: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function buy(user: number, channelId: number, tierId: number) {
    await h.say(user, `/start c${channelId}`);
    await h.press(user, h.last(user).message_id, `tier:${channelId}:${tierId}`);
    const invoiceMessage = h.last(user);
    const payUrl = buttonUrl(invoiceMessage, /^💳 Pay/);
    const invoice = h.np.invoices.find((i) => i.invoice_url === payUrl)!;
    return { invoiceMessage, invoice };
  }

  it("tap → invoice → IPNs → the status page shows paid, and payment.confirmed is queued", async () => {
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Carol" });
    const { channel, tiers } = await seedChannel(h);
    const { invoiceMessage, invoice } = await buy(user, channel.id, tiers[0]!.id);

    // While unpaid, Check status says so.
    await h.press(user, invoiceMessage.message_id, buttonData(invoiceMessage, "🔄 Check status"));
    expect(h.last(user).plainText).toContain("Waiting for payment");

    const results = await h.np.payInvoice(invoice.id, ["waiting", "confirming", "finished"]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);

    // The customer comes back through success_url: /start o<reference>.
    const payload = new URL(invoice.success_url!).searchParams.get("start")!;
    await h.say(user, `/start ${payload}`);
    const status = h.last(user);
    expect(status.plainText).toContain("✅ Paid");
    expect(status.plainText).toContain("Premium Signals — Monthly (30 days)");
    expect(status.plainText).toContain("$9.99");

    const [order] = await h.db.db.select().from(orders).where(eq(orders.channelId, channel.id));
    expect(order!.status).toBe("finished");
    const events = await h.db.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.topic, "payment.confirmed"), eq(outbox.orderingKey, order!.reference)));
    expect(events).toHaveLength(1);
  });

  it("renewal: the renew button offers the plans and a new order is paid separately", async () => {
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Dan" });
    const { channel, tiers } = await seedChannel(h);
    const first = await buy(user, channel.id, tiers[1]!.id);
    await h.np.payInvoice(first.invoice.id, ["finished"]);
    // The notifier turns payment.confirmed into a subscription; do what it does for this test.
    await seedSubscription(h, { userId: user, channelId: channel.id, tierId: tiers[1]!.id, days: 90 });

    await h.say(user, "/subscriptions");
    const list = h.last(user);
    await h.press(user, list.message_id, buttonData(list, /^🔁 Renew/));
    const menu = h.last(user);
    expect(menu.plainText).toContain("Renewing adds the new time");
    await h.press(user, menu.message_id, `tier:${channel.id}:${tiers[0]!.id}`);
    const renewal = h.np.invoices.find((i) => i.invoice_url === buttonUrl(h.last(user), /^💳 Pay/))!;
    expect(renewal.id).not.toBe(first.invoice.id);
    expect(String(renewal.price_amount)).toBe("9.99");
    await h.np.payInvoice(renewal.id, ["finished"]);

    const rows = await h.db.db.select().from(orders).where(eq(orders.channelId, channel.id));
    expect(rows.map((o) => [o.amount, o.status]).sort()).toEqual([
      ["24.99", "finished"],
      ["9.99", "finished"],
    ]);
  });
});
