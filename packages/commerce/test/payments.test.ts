import { accessGrants, notices, orders, outbox, paymentEvents, payments, users } from "@telepay/db";
import { ipnPayloadSchema, ipnToPaymentReport, type PaymentReport } from "@telepay/payments";
import { createTestDatabase, seedChannel, type TestDatabase } from "@telepay/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmedEventId, createCommerce } from "../src/index.ts";

const POLICY = { underpaidTolerancePercent: "1" };
const CLOCK = new Date("2026-11-30T12:00:00.000Z");

let database: TestDatabase;
let channelId: number;
let tierId: number;
let seq = 0;
let kicks = 0;
let commerce: ReturnType<typeof createCommerce>;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const db = database.db;
  await db.insert(users).values({ telegramId: 900n, firstName: "Payer" });
  const { channel, tier } = await seedChannel(db, { ownerTelegramId: 42n });
  channelId = channel.id;
  tierId = tier.id;
  commerce = createCommerce({ db, now: () => CLOCK, onEnqueued: () => void kicks++ });
});
afterAll(async () => {
  await database?.close();
});

async function order(kind: "subscription" | "donation" = "subscription") {
  const reference = `core_${++seq}_${Date.now().toString(36)}`;
  const [row] = await database.db
    .insert(orders)
    .values({
      reference,
      kind,
      userId: 900n,
      channelId,
      tierId: kind === "subscription" ? tierId : null,
      durationDays: kind === "subscription" ? 30 : null,
      amount: "4.99",
      currency: "USD",
      status: "waiting",
    })
    .returning();
  return row!;
}

/** A NOWPayments report about `reference`'s payment `paymentId`. */
function report(
  reference: string | null,
  paymentId: string,
  status: string,
  extra: object = {},
): PaymentReport {
  return ipnToPaymentReport(
    ipnPayloadSchema.parse({
      payment_id: paymentId,
      payment_status: status,
      order_id: reference,
      price_amount: "4.99",
      price_currency: "usd",
      pay_amount: "5.04",
      actually_paid: status === "finished" ? "5.04" : "0",
      pay_currency: "usdttrc20",
      ...extra,
    }),
  );
}

const rowsOf = async (orderId: number, reference: string, paymentId: string) => ({
  order: (await database.db.select().from(orders).where(eq(orders.id, orderId)))[0]!,
  payment: (await database.db.select().from(payments).where(eq(payments.paymentId, paymentId)))[0],
  events: await database.db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(asc(paymentEvents.id)),
  grants: await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, orderId)),
  notices: await database.db
    .select()
    .from(notices)
    .where(eq(notices.orderId, orderId))
    .orderBy(asc(notices.id)),
  outbox: await database.db
    .select()
    .from(outbox)
    .where(eq(outbox.orderingKey, reference))
    .orderBy(asc(outbox.id)),
});

describe("commerce.payments.record", () => {
  it("a paid subscription: payment, its event, the order paid at the core's clock, grant owed, owner notice, payment.confirmed, one kick", async () => {
    const o = await order();
    const before = kicks;
    const result = await commerce.payments.record(report(o.reference, `pc_${o.id}`, "finished"), POLICY);
    expect(result).toMatchObject({
      outcome: "confirmed",
      orderId: o.id,
      orderStatus: "finished",
      previousOrderStatus: "waiting",
      reviewReason: null,
      enqueued: 1,
      eventIds: [confirmedEventId(o.reference)],
    });
    expect(kicks - before).toBe(1);
    const rows = await rowsOf(o.id, o.reference, `pc_${o.id}`);
    expect(rows.order).toMatchObject({ status: "finished", paidAt: CLOCK, updatedAt: CLOCK });
    expect(rows.payment).toMatchObject({
      orderId: o.id,
      status: "finished",
      payAmount: "5.04",
      actuallyPaid: "5.04",
      needsReview: false,
      createdAt: CLOCK,
    });
    expect(rows.events.map((e) => [e.status, e.outcome, e.receivedAt])).toEqual([
      ["finished", "confirmed", CLOCK],
    ]);
    expect(rows.grants.map((g) => g.state)).toEqual(["owed"]);
    expect(rows.notices.map((n) => [n.key, n.kind, n.paymentId])).toEqual([
      [`order:${o.id}:owner_paid`, "owner_paid", `pc_${o.id}`],
    ]);
    expect(rows.notices[0]!.details).toEqual({
      payAmount: "5.04",
      actuallyPaid: "5.04",
      payCurrency: "usdttrc20",
    });
    expect(rows.outbox).toHaveLength(1);
    expect(rows.outbox[0]).toMatchObject({
      eventId: confirmedEventId(o.reference),
      topic: "payment.confirmed",
      payload: { orderId: o.id, tierId, durationDays: 30, paidAt: CLOCK.toISOString(), amount: "4.99" },
    });
  });

  it("a paid donation: a thank-you and the owner's notice, no access grant", async () => {
    const o = await order("donation");
    await commerce.payments.record(report(o.reference, `pd_${o.id}`, "finished"), POLICY);
    const rows = await rowsOf(o.id, o.reference, `pd_${o.id}`);
    expect(rows.grants).toEqual([]);
    // One statement: the order its CTEs run in is Postgres' choice.
    expect(rows.notices.map((n) => n.kind).sort()).toEqual(["donation_thanks", "owner_paid"]);
    expect(rows.outbox.map((x) => x.topic)).toEqual(["payment.confirmed"]);
  });

  it("a repeated report only adds to the payment's history; nothing is enqueued or kicked", async () => {
    const o = await order();
    const r = report(o.reference, `pr_${o.id}`, "finished");
    await commerce.payments.record(r, POLICY);
    const before = kicks;
    expect(await commerce.payments.record(r, POLICY)).toMatchObject({
      outcome: "duplicate",
      enqueued: 0,
      eventIds: [],
    });
    expect(kicks).toBe(before);
    const rows = await rowsOf(o.id, o.reference, `pr_${o.id}`);
    expect(rows.events.map((e) => e.outcome)).toEqual(["confirmed", "duplicate"]);
    expect(rows.grants).toHaveLength(1);
    expect(rows.notices).toHaveLength(1);
    expect(rows.outbox).toHaveLength(1);
  });

  it("a payment update the payer hears about: payment.updated and its payment_update notice", async () => {
    const o = await order();
    const result = await commerce.payments.record(
      report(o.reference, `pu_${o.id}`, "partially_paid"),
      POLICY,
    );
    expect(result).toMatchObject({ outcome: "applied", orderStatus: "partially_paid", enqueued: 1 });
    const rows = await rowsOf(o.id, o.reference, `pu_${o.id}`);
    expect(rows.outbox.map((x) => [x.topic, (x.payload as { status: string }).status])).toEqual([
      ["payment.updated", "partially_paid"],
    ]);
    // The payer is told; the owner is asked to review the part payment (grant anyway or dismiss).
    // (CTEs of one statement insert in no set order: compared sorted.)
    expect(rows.notices.map((n) => [n.key, n.kind]).sort()).toEqual([
      [`payment:pu_${o.id}:partially_paid`, "payment_update"],
      [`payment:pu_${o.id}:review:partially_paid`, "owner_review"],
    ]);
    expect(rows.grants).toEqual([]);
  });

  it("a report for an unknown order is stored for review and changes nothing else", async () => {
    const before = await database.db.select().from(outbox);
    const result = await commerce.payments.record(report("no_such_order", "px_unknown", "finished"), POLICY);
    expect(result).toMatchObject({ outcome: "unknown_order", orderId: null, enqueued: 0 });
    const [payment] = await database.db.select().from(payments).where(eq(payments.paymentId, "px_unknown"));
    expect(payment).toMatchObject({ orderId: null, needsReview: true, reviewReason: "unknown_order" });
    expect(await database.db.select().from(outbox)).toHaveLength(before.length);
  });

  it("nulls stay SQL NULL (no 'null' json, no empty numbers)", async () => {
    const r = {
      ...report(null, "px_nulls", "waiting"),
      payAmount: null,
      actuallyPaid: null,
      providerUpdatedAt: null,
    };
    await commerce.payments.record(r, POLICY);
    const [payment] = await database.db.select().from(payments).where(eq(payments.paymentId, "px_nulls"));
    expect(payment).toMatchObject({
      orderReference: null,
      payAmount: null,
      actuallyPaid: null,
      remoteUpdatedAt: null,
    });
  });
});
