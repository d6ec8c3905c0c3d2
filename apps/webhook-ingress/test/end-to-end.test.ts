import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createInProcessBus, createOutboxRelay, type EventEnvelope, TOPICS } from "@telepay/events";
import { createNowPaymentsClient } from "@telepay/payments";
import {
  createTestDatabase,
  type NowPaymentsEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import { baseConfig, IPN_SECRET, memoryLogger, orderRow, outboxFor, seedOrder } from "./helpers.ts";

const API_KEY = "np-e2e-key";

let database: TestDatabase;
let np: NowPaymentsEmulator;
let server: ReturnType<typeof serve>;
let ipnUrl: string;
const bus = createInProcessBus();
let relay: ReturnType<typeof createOutboxRelay>;
const delivered: EventEnvelope[] = [];
let onDelivered: (() => void) | undefined;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
  const record = async (event: EventEnvelope) => {
    delivered.push(event);
    onDelivered?.();
  };
  await bus.subscribe(TOPICS.paymentConfirmed, "test.confirmed", record);
  await bus.subscribe(TOPICS.paymentUpdated, "test.updated", record);
  relay = createOutboxRelay({ db: database.db, bus, logger: memoryLogger().logger });
  // A long interval: only the ingress' kick after commit can make delivery this quick.
  relay.start(60_000);
  const handle = await createApp({
    db: database,
    bus,
    relay,
    config: baseConfig,
    logger: memoryLogger().logger,
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: handle.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  ipnUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/nowpayments`;
});

afterAll(async () => {
  await relay?.stop();
  await bus.close();
  await np?.stop();
  await new Promise((r) => server?.close(r));
  await database?.close();
});

function waitFor(predicate: () => boolean, ms = 5_000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for delivery")), ms);
    onDelivered = () => {
      if (predicate()) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

describe("end to end: invoice at the NOWPayments emulator, IPNs over HTTP, events on the bus", () => {
  it("a paid invoice becomes one payment.confirmed delivered on the bus", async () => {
    const order = await seedOrder(database, { status: "created", amount: "12.50" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      orderId: order.reference,
      orderDescription: "30 days",
      ipnCallbackUrl: ipnUrl,
      successUrl: `https://t.me/telepay_bot?start=o${order.reference}`,
    });
    expect(invoice.priceAmount).toBe("12.5");

    const results = await np.payInvoice(invoice.id);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // NOWPayments retries whatever it likes: a repeat of the last IPN changes nothing.
    expect((await np.sendIpn(invoice.id, "finished")).status).toBe(200);

    await waitFor(() =>
      delivered.some((e) => e.topic === TOPICS.paymentConfirmed && e.orderingKey === order.reference),
    );
    const mine = delivered.filter((e) => e.orderingKey === order.reference);
    expect(mine.filter((e) => e.topic === TOPICS.paymentConfirmed)).toHaveLength(1);
    expect(mine.find((e) => e.topic === TOPICS.paymentConfirmed)!.data).toMatchObject({
      orderReference: order.reference,
      amount: "12.50",
      currency: "USD",
    });
    expect((await orderRow(database, order.id)).status).toBe("finished");

    // Reconciliation reads the same payment back through the client.
    const paymentId = String(np.ipns.at(-1)!.paymentId);
    expect(await client.getPayment(paymentId)).toMatchObject({
      paymentId,
      paymentStatus: "finished",
      orderId: order.reference,
    });
  });

  it("IPNs answer well under NOWPayments' 3 s", async () => {
    const order = await seedOrder(database, { status: "created" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      orderId: order.reference,
      ipnCallbackUrl: ipnUrl,
    });
    const started = Date.now();
    const res = await np.sendIpn(invoice.id, "finished");
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a captured genuine IPN with a __proto__ member added is refused; the genuine copy still pays", async () => {
    const order = await seedOrder(database, { status: "created" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      orderId: order.reference,
      ipnCallbackUrl: ipnUrl,
    });
    // The emulator signs like NOWPayments; this copy goes nowhere (port 1), the attacker keeps it.
    const captured = await np.sendIpn(invoice.id, "finished", {}, { url: "http://127.0.0.1:1/ipn" });
    expect(captured.status).toBe(0);
    const genuine = JSON.stringify(captured.payload);
    const post = (body: string) =>
      fetch(ipnUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-nowpayments-sig": captured.signature! },
        body,
      });
    const smuggled = `{"__proto__":{"parent_payment_id":null},${genuine.slice(1)}`;
    expect((await post(smuggled)).status).toBe(401);
    expect((await orderRow(database, order.id)).status).toBe("created");
    expect((await post(genuine)).status).toBe(200);
    expect((await orderRow(database, order.id)).status).toBe("finished");
  });

  it("a genuinely signed finished IPN that paid 0.01 of what was asked grants nothing", async () => {
    const order = await seedOrder(database, { status: "created", amount: "4.99" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      payCurrency: "usdttrc20",
      orderId: order.reference,
      ipnCallbackUrl: ipnUrl,
    });
    expect((await np.sendIpn(invoice.id, "confirming")).status).toBe(200);
    const res = await np.sendIpn(invoice.id, "finished", { actually_paid: 0.01 });
    expect(res.status).toBe(200);
    expect(res.payload).toMatchObject({ pay_amount: 4.99, actually_paid: 0.01, pay_currency: "usdttrc20" });
    expect(JSON.parse(res.body)).toMatchObject({ outcome: "review" });
    expect((await orderRow(database, order.id)).status).toBe("needs_review");
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toEqual([]);
  });

  it("a forged IPN (wrong signature) over HTTP is refused and grants nothing", async () => {
    const order = await seedOrder(database, { status: "created" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      orderId: order.reference,
      ipnCallbackUrl: ipnUrl,
    });
    const res = await np.sendIpn(invoice.id, "finished", { signatureOverride: "ab".repeat(64) });
    expect(res.status).toBe(401);
    expect((await orderRow(database, order.id)).status).toBe("created");
  });
});
