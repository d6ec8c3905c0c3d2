import { orders, users } from "@telepay/db";
import { ipnPayloadSchema, ipnToPaymentReport } from "@telepay/payments";
import { createTestDatabase, seedChannel, type TestDatabase } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommerce } from "../src/index.ts";

// A refund takes back what the refunded payment bought. An order paid by payment A may see other
// payments on its invoice (a second attempt, a partial deposit the provider sends back): their
// refunds return their own money and must leave the subscriber A paid for alone.
const POLICY = { underpaidTolerancePercent: "1" };
const CLOCK = new Date("2026-11-30T12:00:00.000Z");

let database: TestDatabase;
let commerce: ReturnType<typeof createCommerce>;
let channelId: number;
let tierId: number;
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  await database.db.insert(users).values({ telegramId: 910n, firstName: "Payer" });
  const { channel, tier } = await seedChannel(database.db, { ownerTelegramId: 43n });
  channelId = channel.id;
  tierId = tier.id;
  commerce = createCommerce({ db: database.db, now: () => CLOCK });
});
afterAll(async () => {
  await database?.close();
});

async function paidOrder() {
  const reference = `rop_${++seq}_${Date.now().toString(36)}`;
  const [row] = await database.db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: 910n,
      channelId,
      tierId,
      durationDays: 30,
      amount: "4.99",
      currency: "USD",
      status: "waiting",
    })
    .returning();
  await commerce.payments.record(ipn(reference, `${reference}_A`, "finished"), POLICY);
  return row!;
}

const ipn = (reference: string, paymentId: string, status: string, actuallyPaid?: string) =>
  ipnToPaymentReport(
    ipnPayloadSchema.parse({
      payment_id: paymentId,
      payment_status: status,
      order_id: reference,
      price_amount: "4.99",
      price_currency: "usd",
      pay_amount: "5.04",
      actually_paid: actuallyPaid ?? (status === "finished" ? "5.04" : "0"),
      pay_currency: "usdttrc20",
    }),
  );

const statusOf = async (id: number) => (await database.db.select().from(orders).where(eq(orders.id, id)))[0]!;

describe("a refund of another payment on a paid order's invoice", () => {
  it("a refunded partial deposit (payment B) leaves the order A paid for paid; nothing is reversed", async () => {
    const o = await paidOrder();
    await commerce.payments.record(ipn(o.reference, `${o.reference}_B`, "partially_paid", "1.00"), POLICY);
    await commerce.payments.record(ipn(o.reference, `${o.reference}_B`, "refunded", "1.00"), POLICY);
    expect((await statusOf(o.id)).status).toBe("finished");
    expect(await commerce.reversals.resume({ orderIds: [o.id] })).toEqual([]);
    expect((await statusOf(o.id)).reversedAt).toBeNull();
    // The operator's `payments refund` of B is refused the same way: B did not pay the order.
    await expect(commerce.reversals.refundPayment(`${o.reference}_B`, { kind: "cli" })).rejects.toMatchObject(
      { code: "CONFLICT" },
    );
    expect((await statusOf(o.id)).reversedAt).toBeNull();
  });

  it("a payment first seen as refunded, or refunded after waiting, does not reverse the order", async () => {
    const o = await paidOrder();
    await commerce.payments.record(ipn(o.reference, `${o.reference}_C`, "refunded"), POLICY);
    await commerce.payments.record(ipn(o.reference, `${o.reference}_D`, "waiting"), POLICY);
    await commerce.payments.record(ipn(o.reference, `${o.reference}_D`, "refunded"), POLICY);
    expect((await statusOf(o.id)).status).toBe("finished");
    expect(await commerce.reversals.resume({ orderIds: [o.id] })).toEqual([]);
  });

  it("the refund of payment A, which paid the order, still reverses it", async () => {
    const o = await paidOrder();
    await commerce.payments.record(ipn(o.reference, `${o.reference}_A`, "refunded", "5.04"), POLICY);
    expect((await statusOf(o.id)).status).toBe("refunded");
    const [r] = await commerce.reversals.resume({ orderIds: [o.id] });
    expect(r).toMatchObject({ orderId: o.id, alreadyReversed: false });
  });

  it("a refund that finds the order reversed meanwhile (a racing press or the Stars reconciliation) says so in its details", async () => {
    const o = await paidOrder();
    const owner = { kind: "owner" as const, telegramId: 43n };
    await commerce.refunds.refund({ orderId: o.id }, owner);
    // The racing press got past the preview before the first reversal committed: the reversal
    // itself finds the order reversed.
    const late = await commerce.reversals.refundPayment(`${o.reference}_A`, owner, "owner_refund").then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(late).toMatchObject({ code: "CONFLICT", details: { alreadyReversed: true } });
  });
});
