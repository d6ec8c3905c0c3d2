import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  createOutboxRelay,
  createPubSubBus,
  type EventEnvelope,
  type PubSubBus,
  TOPICS,
} from "@telepay/events";
import { createNowPaymentsClient } from "@telepay/payments";
import {
  createTestDatabase,
  type NowPaymentsEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import { baseConfig, IPN_SECRET, memoryLogger, orderRow, seedOrder } from "./helpers.ts";

const emulatorHost = process.env.PUBSUB_EMULATOR_HOST;
if (!emulatorHost)
  console.warn("webhook-ingress Pub/Sub test SKIPPED: PUBSUB_EMULATOR_HOST is not set (CI sets it).");

describe.skipIf(!emulatorHost)("end to end over the Pub/Sub emulator", () => {
  const API_KEY = "np-pubsub-key";
  const prefix = `ingress-${randomBytes(4).toString("hex")}-`;
  let database: TestDatabase;
  let np: NowPaymentsEmulator;
  let bus: PubSubBus;
  let relay: ReturnType<typeof createOutboxRelay>;
  let server: ReturnType<typeof serve>;
  let ipnUrl: string;
  const confirmed: EventEnvelope<typeof TOPICS.paymentConfirmed>[] = [];
  let arrived: () => void = () => {};

  beforeAll(async () => {
    database = await createTestDatabase(process.env.TEST_DATABASE_URL);
    np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
    const { logger } = memoryLogger();
    bus = await createPubSubBus({
      projectId: "telepay-test",
      apiEndpoint: emulatorHost!,
      topicPrefix: prefix,
      subscriptionPrefix: prefix,
      createIfMissing: true,
      closeTimeoutMs: 3_000,
      logger,
    });
    await bus.subscribe(TOPICS.paymentConfirmed, "ingress-test.confirmed", async (event) => {
      confirmed.push(event);
      arrived();
    });
    relay = createOutboxRelay({ db: database.db, bus, logger });
    relay.start(60_000);
    const handle = await createApp({ db: database, bus, relay, config: baseConfig, logger });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: handle.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
    });
    ipnUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/nowpayments`;
    expect(await handle.health()).toMatchObject({
      status: "healthy",
      components: { database: "ok", bus: "ok" },
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await bus?.close();
    await np?.stop();
    await new Promise((r) => server?.close(r));
    await database?.close();
  });

  it("a paid invoice arrives once as payment.confirmed on Pub/Sub, ordered by the order reference", async () => {
    const order = await seedOrder(database, { status: "created" });
    const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
    const invoice = await client.createInvoice({
      priceAmount: order.amount,
      priceCurrency: "usd",
      orderId: order.reference,
      ipnCallbackUrl: ipnUrl,
    });
    const results = await np.payInvoice(invoice.id, ["waiting", "confirming", "finished", "finished"]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("payment.confirmed not delivered")), 15_000);
      arrived = () => {
        if (confirmed.some((e) => e.orderingKey === order.reference)) {
          clearTimeout(timer);
          resolve();
        }
      };
      arrived();
    });
    const mine = confirmed.filter((e) => e.orderingKey === order.reference);
    expect(mine.map((e) => e.data.orderReference)).toEqual([order.reference]);
    expect((await orderRow(database, order.id)).status).toBe("finished");
  });
});
