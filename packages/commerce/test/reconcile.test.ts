import { accessGrants, orders, paymentChecks, paymentEvents, payments, users } from "@telepay/db";
import { createNowPaymentsClient } from "@telepay/payments";
import {
  createTestDatabase,
  type NowPaymentsEmulator,
  seedChannel,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPayments, createReconciler } from "../src/index.ts";

const POLICY = { underpaidTolerancePercent: "1" };
const API_KEY = "RECONCILE-KEY";
const LOGIN = { email: "ops@example.com", password: "dashboard-secret" };
const MINUTE = 60_000;

let database: TestDatabase;
let np: NowPaymentsEmulator;
let channelId: number;
let tierId: number;
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: "ipn-secret", ...LOGIN });
  const db = database.db;
  await db.insert(users).values({ telegramId: 901n, firstName: "Payer" }).onConflictDoNothing();
  const { channel, tier } = await seedChannel(db, { ownerTelegramId: 43n });
  channelId = channel.id;
  tierId = tier.id;
});
afterAll(async () => {
  await np?.stop();
  await database?.close();
});

const client = (login = true) =>
  createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase, ...(login ? { login: LOGIN } : {}) });

/** An order made `ageMs` ago with a real emulator invoice, as bot-gateway leaves it. */
async function orderWithInvoice(ageMs = 10 * MINUTE) {
  const reference = `rc_${++seq}_${Date.now().toString(36)}`;
  const invoice = await client().createInvoice({
    priceAmount: "4.99",
    priceCurrency: "USD",
    orderId: reference,
    ipnCallbackUrl: "http://127.0.0.1:9/webhooks/nowpayments",
  });
  const [row] = await database.db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: 901n,
      channelId,
      tierId,
      durationDays: 30,
      amount: "4.99",
      currency: "USD",
      invoiceId: invoice.id,
      invoiceUrl: invoice.invoiceUrl,
      createdAt: new Date(Date.now() - ageMs),
    })
    .returning();
  return row!;
}

const orderRow = async (id: number) => (await database.db.select().from(orders).where(eq(orders.id, id)))[0]!;

describe("reconciliation", () => {
  it("finds a payment whose every IPN was lost (payment list with the JWT) and grants exactly as an IPN would", async () => {
    const order = await orderWithInvoice();
    np.dropIpns(true);
    await np.payInvoice(order.invoiceId!);
    np.dropIpns(false);
    expect(np.ipns.filter((i) => i.invoiceId === order.invoiceId).every((i) => i.status === 0)).toBe(true);

    const reconciler = createReconciler({ db: database.db, source: client(), policy: POLICY });
    const result = await reconciler.run();
    const mine = result.orders.find((o) => o.orderId === order.id)!;
    expect(mine).toMatchObject({ statusBefore: "created", statusAfter: "finished", result: "recorded" });
    expect(mine.payments).toEqual([
      expect.objectContaining({ remoteStatus: "finished", outcome: "confirmed" }),
    ]);
    expect(np.tokensIssued).toBeGreaterThan(0);
    expect(np.requests.some((r) => r.path === "/v1/auth" && r.status === 200)).toBe(true);

    const after = await orderRow(order.id);
    expect(after.status).toBe("finished");
    expect(after.paidAt).not.toBeNull();
    const [grant] = await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id));
    expect(grant?.state).toBe("owed");
    const [payment] = await database.db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(payment).toMatchObject({ status: "finished", invoiceId: order.invoiceId, needsReview: false });

    // A second pass: the order is final, nothing is asked again.
    const again = await reconciler.run();
    expect(again.orders.find((o) => o.orderId === order.id)).toBeUndefined();
  });

  it("reconciles a known payment with the API key alone (GET /payment/{id}), then the late IPN is a duplicate", async () => {
    const order = await orderWithInvoice();
    // The first IPN arrived (waiting), the rest were lost.
    const waiting = await np.sendIpn(order.invoiceId!, "waiting", {}, { drop: true });
    await createPayments({ db: database.db }).record(
      (await import("@telepay/payments")).ipnToPaymentReport(
        (await import("@telepay/payments")).ipnPayloadSchema.parse(waiting.payload),
      ),
      POLICY,
    );
    await np.sendIpn(order.invoiceId!, "finished", {}, { drop: true });

    const keyOnly = createReconciler({ db: database.db, source: client(false), policy: POLICY });
    const result = await keyOnly.run({ orderReference: order.reference });
    expect(result.orders[0]).toMatchObject({
      statusBefore: "waiting",
      statusAfter: "finished",
      result: "recorded",
    });
    const paymentId = String(np.ipns.at(-1)!.paymentId);
    expect(np.requests.some((r) => r.path === `/v1/payment/${paymentId}` && r.status === 200)).toBe(true);

    // NOWPayments' own retry arrives after all: recorded as a duplicate, nothing granted twice.
    const late = await createPayments({ db: database.db }).record(
      (await import("@telepay/payments")).ipnToPaymentReport(
        (await import("@telepay/payments")).ipnPayloadSchema.parse(np.payment(paymentId)!),
      ),
      POLICY,
    );
    expect(late.outcome).toBe("duplicate");
    const history = await database.db
      .select({ outcome: paymentEvents.outcome })
      .from(paymentEvents)
      .where(eq(paymentEvents.paymentId, paymentId))
      .orderBy(asc(paymentEvents.id));
    expect(history.map((h) => h.outcome)).toEqual(["applied", "confirmed", "duplicate"]);
    expect(
      await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id)),
    ).toHaveLength(1);
  });

  it("leaves young orders alone, backs off between checks, and a dry run records nothing", async () => {
    const young = await orderWithInvoice(30_000);
    const unpaid = await orderWithInvoice();
    const reconciler = createReconciler({ db: database.db, source: client(), policy: POLICY });

    const dry = await reconciler.run({ dryRun: true });
    expect(dry.orders.find((o) => o.orderId === young.id)).toBeUndefined();
    expect(dry.orders.find((o) => o.orderId === unpaid.id)?.result).toBe("no_payment");
    expect(
      await database.db.select().from(paymentChecks).where(eq(paymentChecks.orderId, unpaid.id)),
    ).toEqual([]);

    const first = await reconciler.run();
    expect(first.orders.find((o) => o.orderId === unpaid.id)?.result).toBe("no_payment");
    const [check] = await database.db
      .select()
      .from(paymentChecks)
      .where(eq(paymentChecks.orderId, unpaid.id));
    expect(check!.attempts).toBe(1);
    const wait = check!.nextCheckAt.getTime() - check!.lastCheckedAt!.getTime();
    expect(wait).toBe(2 * MINUTE);

    // Checked a moment ago: not asked again until its backoff has passed.
    const second = await reconciler.run();
    expect(second.orders.find((o) => o.orderId === unpaid.id)).toBeUndefined();

    // Its payment starts later; a dry run reports it and changes nothing.
    await np.sendIpn(unpaid.invoiceId!, "confirming", {}, { drop: true });
    const peek = await reconciler.run({ orderReference: unpaid.reference, dryRun: true });
    expect(peek.orders[0]!.payments).toEqual([
      expect.objectContaining({ remoteStatus: "confirming", outcome: null }),
    ]);
    expect((await orderRow(unpaid.id)).status).toBe("created");

    // --order checks at once, whatever the backoff or the order's age.
    const now = await reconciler.run({ orderReference: unpaid.reference });
    expect(now.orders[0]).toMatchObject({ statusAfter: "confirming", result: "recorded" });
    const youngNow = await reconciler.run({ orderReference: young.reference });
    expect(youngNow.orders[0]!.result).toBe("no_payment");
  });

  it("without the dashboard login an invoice nobody has reported on is skipped, not an error", async () => {
    const order = await orderWithInvoice();
    const result = await createReconciler({ db: database.db, source: client(false), policy: POLICY }).run({
      orderReference: order.reference,
    });
    expect(result.orders[0]).toMatchObject({ result: "skipped" });
    expect(result.orders[0]!.error).toMatch(/NOWPAYMENTS_EMAIL/);
  });

  it("a NOWPayments failure is reported per order and retried after the backoff", async () => {
    const order = await orderWithInvoice();
    np.failNext({ status: 503 });
    const result = await createReconciler({ db: database.db, source: client(), policy: POLICY }).run({
      orderReference: order.reference,
    });
    expect(result.errors).toBe(1);
    expect(result.orders[0]!.error).toMatch(/^unavailable/);
    expect(result.orders[0]!.error).not.toContain(API_KEY);
    expect(result.orders[0]!.error).not.toContain(LOGIN.password);
    const [check] = await database.db.select().from(paymentChecks).where(eq(paymentChecks.orderId, order.id));
    expect(check).toMatchObject({ lastResult: "error", attempts: 1 });
  });

  it("measures a pass over 200 open orders whose IPNs were all lost", async () => {
    const many: { id: number; invoiceId: string | null }[] = [];
    for (let i = 0; i < 200; i++) many.push(await orderWithInvoice());
    np.dropIpns(true);
    for (const o of many) await np.sendIpn(o.invoiceId!, "finished");
    np.dropIpns(false);
    const reconciler = createReconciler({ db: database.db, source: client(), policy: POLICY });
    const started = performance.now();
    const result = await reconciler.run();
    const ms = performance.now() - started;
    const mine = result.orders.filter((o) => many.some((m) => m.id === o.orderId));
    expect(mine).toHaveLength(200);
    expect(mine.every((o) => o.statusAfter === "finished")).toBe(true);
    // A figure for the report, not a timed assertion.
    console.log(
      `reconcile: ${result.checked} orders (${mine.length} paid while every IPN was lost) in ${Math.round(ms)} ms on ${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"}`,
    );
  }, 120_000);
});
