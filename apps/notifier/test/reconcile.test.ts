import { createReconciler } from "@telepay/commerce";
import { accessGrants, orders } from "@telepay/db";
import { createOutboxRelay } from "@telepay/events";
import { createNowPaymentsClient } from "@telepay/payments";
import { type NowPaymentsEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type NotifierApp } from "../src/index.ts";
import { type Fixture, setup, texts } from "./fixture.ts";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const LOGIN = { email: "ops@example.com", password: "dashboard-pw" };
const PAYER = 7_300_001;

let f: Fixture;
let np: NowPaymentsEmulator;
let app: NotifierApp | undefined;
let relay: ReturnType<typeof createOutboxRelay> | undefined;

beforeAll(async () => {
  f = await setup();
  np = await startNowPaymentsEmulator({ apiKey: "np-key", ipnSecret: "ipn", ...LOGIN });
});
afterAll(async () => {
  await app?.stop();
  await relay?.stop();
  await np?.stop();
  await f?.close();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("an IPN dropped on purpose", () => {
  it("still lets the payer in: the notifier's reconciliation finds the payment and access follows", async () => {
    await f.addUser(PAYER);
    const placed = await f.order(PAYER);
    const client = createNowPaymentsClient({ apiKey: "np-key", baseUrl: np.apiBase, login: LOGIN });
    const invoice = await client.createInvoice({
      priceAmount: "9.99",
      priceCurrency: "USD",
      orderId: placed.reference,
      ipnCallbackUrl: "http://127.0.0.1:9/webhooks/nowpayments",
    });
    // As bot-gateway leaves it: the invoice made, ten minutes ago, no IPN yet.
    await f.db.db
      .update(orders)
      .set({ invoiceId: invoice.id, status: "created", createdAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(orders.id, placed.id));

    // NOWPayments' every delivery fails: the payer paid, we heard nothing.
    np.dropIpns(true);
    const sent = await np.payInvoice(invoice.id);
    expect(sent.every((d) => d.status === 0)).toBe(true);
    expect(texts(f.emulator, PAYER)).toEqual([]);

    relay = createOutboxRelay({ db: f.db.db, bus: f.bus, logger: quiet });
    const reconciler = createReconciler({
      db: f.db.db,
      onEnqueued: () => relay!.kick(),
      source: client,
      policy: { underpaidTolerancePercent: "1" },
    });
    app = await createApp({
      db: f.db,
      bus: f.bus,
      api: f.api,
      relay,
      reconciler,
      logger: quiet,
      config: {
        botUsername: f.emulator.botUsername,
        reminderDays: [3, 1],
        sweepBatchSize: 1000,
        signingSecret: "a-signing-secret-of-some-length",
        allowedIps: ["127.0.0.1"],
        reconcileIntervalMs: 60_000,
        // Only the event path delivers here: no re-drive timer.
        redriveIntervalMs: 0,
      },
    });
    await app.start();
    relay.start(50);

    // Reconciliation runs at start-up; the confirmed payment travels the outbox → bus → grant.
    const invite = await waitFor("the payer's invite", async () => {
      const [g] = await f.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, placed.id));
      const [o] = await f.db.db.select().from(orders).where(eq(orders.id, placed.id));
      return g?.state === "dm_sent" && o?.status === "finished"
        ? texts(f.emulator, PAYER).find((t) => /Payment received/.test(t))
        : undefined;
    });
    expect(invite).toMatch(/welcome to VIP <Club> & Friends/);
    const [order] = await f.db.db.select().from(orders).where(eq(orders.id, placed.id));
    expect(order!.status).toBe("finished");
    const [grant] = await f.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, placed.id));
    expect(grant!.state).toBe("dm_sent");
    expect(np.requests.filter((r) => r.path === "/v1/payment").every((r) => r.status === 200)).toBe(true);

    // runReconcile is exposed; a second pass finds nothing more to do for the paid order.
    const again = await app.runReconcile!({ orderReference: placed.reference });
    expect(again.orders[0]).toMatchObject({ statusBefore: "finished", statusAfter: "finished" });
    expect(await f.db.db.select().from(accessGrants).where(eq(accessGrants.orderId, placed.id))).toHaveLength(
      1,
    );
  }, 60_000);
});
