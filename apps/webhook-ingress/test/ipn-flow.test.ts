import { TOPICS } from "@telepay/events";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import {
  type App,
  baseConfig,
  counts,
  ipnBody,
  memoryLogger,
  nextPaymentId,
  orderRow,
  outboxFor,
  paymentRow,
  postIpn,
  seedOrder,
} from "./helpers.ts";

let database: TestDatabase;
let app: App;
let kicks = 0;
const log = memoryLogger();

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const handle = await createApp({
    db: database,
    relay: { kick: () => void kicks++ },
    config: baseConfig,
    logger: log.logger,
  });
  app = handle.app;
});
afterAll(async () => {
  await database?.close();
});

/** Sends `statuses` for one payment of a fresh order, in order; returns the order and responses. */
async function runSequence(statuses: string[], orderOptions: Parameters<typeof seedOrder>[1] = {}) {
  const order = await seedOrder(database, orderOptions);
  const paymentId = nextPaymentId();
  const results: { status: number; outcome: string }[] = [];
  let t = Date.now();
  for (const status of statuses) {
    const res = await postIpn(app, ipnBody(order, status, { payment_id: paymentId, updated_at: t++ }));
    results.push({ status: res.status, outcome: ((await res.json()) as { outcome: string }).outcome });
  }
  return { order, paymentId, results };
}

describe("POST /webhooks/nowpayments — status sequences", () => {
  it("the normal path: every step recorded, the payer told, exactly one payment.confirmed", async () => {
    const kicksBefore = kicks;
    const { order, paymentId, results } = await runSequence(
      ["waiting", "confirming", "confirmed", "sending", "finished"],
      { status: "created" },
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.at(-1)!.outcome).toBe("confirmed");
    const row = await orderRow(database, order.id);
    expect(row.status).toBe("finished");
    expect(row.paidAt).toBeInstanceOf(Date);
    const confirmed = await outboxFor(database, order.reference, TOPICS.paymentConfirmed);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.payload).toMatchObject({
      orderId: order.id,
      orderReference: order.reference,
      kind: "subscription",
      userId: order.userId.toString(),
      amount: "4.99",
      currency: "USD",
      durationDays: 30,
      paymentId: String(paymentId),
      actuallyPaid: "5.04",
      payCurrency: "usdttrc20",
    });
    const updates = await outboxFor(database, order.reference, TOPICS.paymentUpdated);
    expect(updates.map((u) => (u.payload as { status: string }).status)).toEqual([
      "waiting",
      "confirming",
      "confirmed",
      "sending",
    ]);
    const payment = await paymentRow(database, paymentId);
    expect(payment).toMatchObject({
      status: "finished",
      orderId: order.id,
      priceAmount: "4.99",
      needsReview: false,
    });
    expect(kicks - kicksBefore).toBe(5);
  });

  it.each([
    {
      name: "finished first, then late confirming/waiting",
      seq: ["finished", "confirming", "waiting"],
      final: "finished",
      confirmed: 1,
    },
    {
      name: "finished repeated",
      seq: ["confirming", "finished", "finished", "finished"],
      final: "finished",
      confirmed: 1,
    },
    {
      name: "late money after expiry",
      seq: ["waiting", "expired", "finished"],
      final: "finished",
      confirmed: 1,
    },
    {
      name: "partially paid then topped up",
      seq: ["waiting", "partially_paid", "finished"],
      final: "finished",
      confirmed: 1,
    },
    { name: "failed", seq: ["waiting", "confirming", "failed"], final: "failed", confirmed: 0 },
    {
      name: "expired, stale waiting afterwards",
      seq: ["waiting", "expired", "waiting"],
      final: "expired",
      confirmed: 0,
    },
    {
      name: "refund after payment",
      seq: ["finished", "refunded", "finished"],
      final: "refunded",
      confirmed: 1,
    },
    {
      name: "only waiting, repeated",
      seq: ["waiting", "waiting", "waiting"],
      final: "waiting",
      confirmed: 0,
    },
    {
      name: "partially paid stays on hold",
      seq: ["waiting", "partially_paid", "confirming"],
      final: "partially_paid",
      confirmed: 0,
    },
    {
      name: "unknown new status stored, not acted on",
      seq: ["waiting", "wrong_asset_confirmed"],
      final: "waiting",
      confirmed: 0,
    },
  ])("$name → order $final, $confirmed confirmed", async ({ seq, final, confirmed }) => {
    const { order, results } = await runSequence(seq);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await orderRow(database, order.id)).status).toBe(final);
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(confirmed);
  });

  it("an IPN older than the stored one (updated_at) is recorded but changes nothing", async () => {
    const order = await seedOrder(database);
    const paymentId = nextPaymentId();
    await postIpn(app, ipnBody(order, "expired", { payment_id: paymentId, updated_at: 2_000 }));
    const res = await postIpn(
      app,
      ipnBody(order, "confirming", { payment_id: paymentId, updated_at: 1_000 }),
    );
    expect(await res.json()).toMatchObject({ outcome: "ignored_stale" });
    expect((await paymentRow(database, paymentId))!.status).toBe("expired");
    expect((await orderRow(database, order.id)).status).toBe("expired");
  });

  it("payment_events keeps every IPN in arrival order with what it did", async () => {
    const { paymentId } = await runSequence(["finished", "confirming", "finished"]);
    const rows = await database.db.query.paymentEvents.findMany({
      where: (e, { eq }) => eq(e.paymentId, String(paymentId)),
      orderBy: (e, { asc }) => asc(e.id),
    });
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([
      ["finished", "confirmed"],
      ["confirming", "ignored_regression"],
      ["finished", "duplicate"],
    ]);
  });

  it("amounts and ids sent as strings are handled like numbers", async () => {
    const order = await seedOrder(database, { amount: "0.1" });
    const paymentId = nextPaymentId();
    const res = await postIpn(
      app,
      ipnBody(order, "finished", {
        payment_id: String(paymentId),
        price_amount: "0.10",
        pay_amount: 1e-7,
        actually_paid: "1e-7",
      }),
    );
    expect(await res.json()).toMatchObject({ outcome: "confirmed" });
    expect((await paymentRow(database, paymentId))!.actuallyPaid).toBe("0.0000001");
  });
});

describe("POST /webhooks/nowpayments — payments that must not grant access", () => {
  it("underpaid (price amount below the order's) → order needs_review, no confirmed event", async () => {
    const order = await seedOrder(database, { amount: "10.00" });
    const paymentId = nextPaymentId();
    const res = await postIpn(app, ipnBody(order, "finished", { payment_id: paymentId, price_amount: 9.99 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "review" });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await paymentRow(database, paymentId)).toMatchObject({
      needsReview: true,
      reviewReason: "underpaid",
    });
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("0.01 paid of 4.99 asked (same pay_currency) → order needs_review, no payment.confirmed", async () => {
    const order = await seedOrder(database, { amount: "4.99" });
    const paymentId = nextPaymentId();
    const before = kicks;
    const res = await postIpn(
      app,
      ipnBody(order, "finished", { payment_id: paymentId, pay_amount: 4.99, actually_paid: 0.01 }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "review" });
    const row = await orderRow(database, order.id);
    expect(row.status).toBe("needs_review");
    expect(row.paidAt).toBeNull();
    expect(await paymentRow(database, paymentId)).toMatchObject({
      status: "finished",
      needsReview: true,
      reviewReason: "paid_short",
      payAmount: "4.99",
      actuallyPaid: "0.01",
    });
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
    expect(kicks).toBe(before);
    expect(log.lines.some((l) => l.level === "warn" && l.obj.reviewReason === "paid_short")).toBe(true);
    // NOWPayments repeats the IPN: still nothing granted.
    await postIpn(
      app,
      ipnBody(order, "finished", { payment_id: paymentId, pay_amount: 4.99, actually_paid: 0.01 }),
    );
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("a finished IPN without actually_paid → review, no payment.confirmed", async () => {
    const order = await seedOrder(database);
    const paymentId = nextPaymentId();
    await postIpn(app, ipnBody(order, "finished", { payment_id: paymentId, actually_paid: undefined }));
    expect(await paymentRow(database, paymentId)).toMatchObject({ reviewReason: "missing_amount" });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("the tolerance comes from IngressConfig: 4.6 of 4.99 is review at the default 1 %, paid at 10 %", async () => {
    const body = (order: { reference: string; amount: string; currency: string }) =>
      ipnBody(order, "finished", { pay_amount: 4.99, actually_paid: 4.6 });
    const strict = await seedOrder(database);
    expect(await (await postIpn(app, body(strict))).json()).toMatchObject({ outcome: "review" });
    const lenient = (
      await createApp({
        db: database,
        config: { ...baseConfig, underpaidTolerancePercent: "10" },
        logger: memoryLogger().logger,
      })
    ).app;
    const covered = await seedOrder(database);
    expect(await (await postIpn(lenient, body(covered))).json()).toMatchObject({ outcome: "confirmed" });
    expect(await outboxFor(database, covered.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });

  it("an invalid tolerance stops createApp instead of failing every finished IPN", async () => {
    for (const bad of ["abc", "-1", "50.5", "1e1"]) {
      await expect(
        createApp({
          db: database,
          config: { ...baseConfig, underpaidTolerancePercent: bad },
          logger: memoryLogger().logger,
        }),
        bad,
      ).rejects.toThrow(/underpaidTolerancePercent/);
    }
  });

  it("compares amounts as decimals, not floats: 10 vs 9.9999999999999999", async () => {
    const order = await seedOrder(database, { amount: "10" });
    const res = await postIpn(app, ipnBody(order, "finished", { price_amount: "9.9999999999999999" }));
    expect(await res.json()).toMatchObject({ outcome: "review" });
    const exact = await seedOrder(database, { amount: "10" });
    expect(
      await (await postIpn(app, ipnBody(exact, "finished", { price_amount: "10.000" }))).json(),
    ).toMatchObject({
      outcome: "confirmed",
    });
  });

  it("wrong currency (a crypto amount against a fiat price) → review, no confirmed event", async () => {
    const order = await seedOrder(database, { amount: "4.99", currency: "USD" });
    const paymentId = nextPaymentId();
    await postIpn(
      app,
      ipnBody(order, "finished", { payment_id: paymentId, price_amount: 5000, price_currency: "btc" }),
    );
    expect(await paymentRow(database, paymentId)).toMatchObject({ reviewReason: "currency_mismatch" });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("currency tickers match case-insensitively", async () => {
    const order = await seedOrder(database, { currency: "usd" });
    expect(
      await (await postIpn(app, ipnBody(order, "finished", { price_currency: "USD" }))).json(),
    ).toMatchObject({
      outcome: "confirmed",
    });
  });

  it("a re-deposit (parent_payment_id) → review, no confirmed event, also after the parent paid", async () => {
    const order = await seedOrder(database);
    const child = nextPaymentId();
    await postIpn(app, ipnBody(order, "finished", { payment_id: child, parent_payment_id: 123 }));
    expect(await paymentRow(database, child)).toMatchObject({
      reviewReason: "re_deposit",
      needsReview: true,
    });
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);

    const paid = await seedOrder(database);
    await postIpn(app, ipnBody(paid, "finished"));
    await postIpn(app, ipnBody(paid, "finished", { parent_payment_id: 77 }));
    expect(await outboxFor(database, paid.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
    expect((await orderRow(database, paid.id)).status).toBe("finished");
  });

  it("a second payment for an already paid order is flagged, not granted again", async () => {
    const order = await seedOrder(database);
    await postIpn(app, ipnBody(order, "finished"));
    const second = nextPaymentId();
    const res = await postIpn(app, ipnBody(order, "finished", { payment_id: second }));
    expect(await res.json()).toMatchObject({ outcome: "review" });
    expect(await paymentRow(database, second)).toMatchObject({ reviewReason: "duplicate_payment" });
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });

  it("an unknown order is stored for review and answered 200 (so NOWPayments stops), with a warning", async () => {
    const paymentId = nextPaymentId();
    const body = ipnBody(
      { reference: "NoSuchOrder_0123456789", amount: "4.99", currency: "USD" },
      "finished",
      {
        payment_id: paymentId,
      },
    );
    const res = await postIpn(app, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "unknown_order" });
    expect(await paymentRow(database, paymentId)).toMatchObject({
      orderId: null,
      orderReference: "NoSuchOrder_0123456789",
      needsReview: true,
      reviewReason: "unknown_order",
    });
    expect(await outboxFor(database, "NoSuchOrder_0123456789")).toHaveLength(0);
    expect(log.lines.some((l) => l.level === "warn" && l.obj.paymentId === String(paymentId))).toBe(true);
    // No order_id at all is the same case.
    const none = await postIpn(app, ipnBody(null, "waiting"));
    expect(await none.json()).toMatchObject({ outcome: "unknown_order" });
  });

  it("a payment that moves to another order is not allowed to pay it", async () => {
    const a = await seedOrder(database);
    const b = await seedOrder(database);
    const paymentId = nextPaymentId();
    await postIpn(app, ipnBody(a, "waiting", { payment_id: paymentId }));
    await postIpn(app, ipnBody(b, "finished", { payment_id: paymentId }));
    expect(await paymentRow(database, paymentId)).toMatchObject({
      orderId: a.id,
      reviewReason: "order_mismatch",
    });
    expect(await outboxFor(database, b.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("a payment first seen for an unknown (or no) order cannot later pay a real one", async () => {
    for (const first of ["NoSuchOrder_0123456789", null]) {
      const order = await seedOrder(database);
      const paymentId = nextPaymentId();
      const stranger = first === null ? null : { reference: first, amount: "4.99", currency: "USD" };
      await postIpn(app, ipnBody(stranger, "waiting", { payment_id: paymentId, updated_at: 1_000 }));
      const res = await postIpn(
        app,
        ipnBody(order, "finished", { payment_id: paymentId, updated_at: 2_000 }),
      );
      expect(await res.json(), String(first)).toMatchObject({ outcome: "review" });
      expect(await paymentRow(database, paymentId)).toMatchObject({
        orderId: null,
        needsReview: true,
        reviewReason: "order_mismatch",
      });
      expect((await orderRow(database, order.id)).status).toBe("waiting");
      expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
    }
  });
});

describe("POST /webhooks/nowpayments — concurrency", () => {
  it("200 concurrent copies of the same finished IPN → one payment row, one payment.confirmed", async () => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished");
    const before = await counts(database);
    const responses = await Promise.all(Array.from({ length: 200 }, () => postIpn(app, body)));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const outcomes = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { outcome: string }).outcome),
    );
    expect(outcomes.filter((o) => o === "confirmed")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(199);
    const after = await counts(database);
    expect(after.payments - before.payments).toBe(1);
    expect(after.events - before.events).toBe(200);
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });

  it("a storm of mixed statuses for one payment ends finished, confirmed once, never regressed", async () => {
    const order = await seedOrder(database, { status: "created" });
    const paymentId = nextPaymentId();
    const statuses = ["waiting", "confirming", "confirmed", "sending", "finished"];
    const bodies = Array.from({ length: 100 }, (_, i) =>
      ipnBody(order, statuses[i % statuses.length]!, {
        payment_id: paymentId,
        updated_at: 1_000 + (i % statuses.length),
      }),
    );
    const responses = await Promise.all(bodies.map((b) => postIpn(app, b)));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect((await orderRow(database, order.id)).status).toBe("finished");
    expect((await paymentRow(database, paymentId))!.status).toBe("finished");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });

  it("different payments of one order racing to finish → still one payment.confirmed", async () => {
    const order = await seedOrder(database);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postIpn(app, ipnBody(order, "finished"))),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
  });
});

describe("POST /webhooks/nowpayments — what the IPN review found", () => {
  it("a finished IPN that switches pay_currency/pay_amount from the earlier IPNs goes to review", async () => {
    const order = await seedOrder(database);
    const paymentId = nextPaymentId();
    await postIpn(app, ipnBody(order, "waiting", { payment_id: paymentId, updated_at: 1_000 }));
    await postIpn(app, ipnBody(order, "confirming", { payment_id: paymentId, updated_at: 2_000 }));
    const res = await postIpn(
      app,
      ipnBody(order, "finished", {
        payment_id: paymentId,
        updated_at: 3_000,
        pay_currency: "btc",
        pay_amount: 0.0001,
        actually_paid: 0.0001,
      }),
    );
    expect(await res.json()).toMatchObject({ outcome: "review" });
    expect(await paymentRow(database, paymentId)).toMatchObject({
      needsReview: true,
      reviewReason: "pay_changed",
    });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);
  });

  it("an IPN naming another invoice than the order's goes to review; the order's own invoice pays", async () => {
    const order = await seedOrder(database, { invoiceId: "4522625843" });
    const stranger = await postIpn(app, ipnBody(order, "finished", { invoice_id: 777 }));
    expect(await stranger.json()).toMatchObject({ outcome: "review" });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(0);

    const own = await seedOrder(database, { invoiceId: "4522625843_own" });
    const wrong = nextPaymentId();
    await postIpn(app, ipnBody(own, "confirming", { payment_id: wrong, invoice_id: 778 }));
    expect(await paymentRow(database, wrong)).toMatchObject({ reviewReason: "invoice_mismatch" });
    expect((await orderRow(database, own.id)).status).toBe("waiting");
    expect(await outboxFor(database, own.reference)).toHaveLength(0);
  });

  it("a far-future updated_at does not make the later refund stale", async () => {
    const order = await seedOrder(database);
    const paymentId = nextPaymentId();
    const nextYear = Date.now() + 365 * 24 * 3600_000;
    await postIpn(app, ipnBody(order, "finished", { payment_id: paymentId, updated_at: nextYear }));
    expect((await orderRow(database, order.id)).status).toBe("finished");
    const res = await postIpn(
      app,
      ipnBody(order, "refunded", { payment_id: paymentId, updated_at: Date.now() + 1 }),
    );
    expect(await res.json()).toMatchObject({ outcome: "applied" });
    expect((await orderRow(database, order.id)).status).toBe("refunded");
    expect((await paymentRow(database, paymentId))!.status).toBe("refunded");
  });
});
