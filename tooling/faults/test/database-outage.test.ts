/**
 * Fault: the database is unreachable for ~10 s while NOWPayments keeps sending IPNs. A TCP proxy
 * sits between webhook-ingress and Postgres and is cut (every connection reset, new ones refused),
 * so the shared Postgres server is never touched. Postgres only: PGlite runs inside the process and
 * cannot lose its connection.
 */
import { createDb, type Database, orders, outbox, paymentEvents, payments } from "@telepay/db";
import {
  createTestDatabase,
  type IpnDelivery,
  type NowPaymentsEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Served, serveFetch } from "../src/serve.ts";
import { type CuttableProxy, startCuttableProxy } from "../src/tcp-proxy.ts";
import {
  API_KEY,
  IPN_SECRET,
  mapLimit,
  memoryLogger,
  placeOrder,
  seedChannel,
  seedUser,
} from "../src/world.ts";

const databaseUrl = process.env.TEST_DATABASE_URL;
/** How long the database stays unreachable (the issue says 10 s). */
const OUTAGE_MS = Number(process.env.FAULTS_DB_OUTAGE_MS ?? 10_000);
const ORDERS = 30;
const STATUSES = ["waiting", "confirming", "finished"] as const;

describe.skipIf(!databaseUrl)(
  "database down during an IPN burst (Postgres only; skipped without TEST_DATABASE_URL)",
  () => {
    let database: TestDatabase;
    let viaProxy: Database;
    let proxy: CuttableProxy;
    let np: NowPaymentsEmulator;
    let ingress: Served;
    const log = memoryLogger("ingress");

    beforeAll(async () => {
      database = await createTestDatabase(databaseUrl);
      const direct = new URL(database.url!);
      proxy = await startCuttableProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const proxied = new URL(database.url!);
      proxied.hostname = proxy.host;
      proxied.port = String(proxy.port);
      // The ingress' own pool goes through the proxy; the test reads results directly.
      viaProxy = await createDb({
        url: proxied.toString(),
        pool: { size: 5, maxOverflow: 5, timeoutSeconds: 2 },
      });
      np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
      const handle = await createIngress({
        db: viaProxy,
        config: {
          ipnSecret: IPN_SECRET,
          allowedIps: ["127.0.0.1"],
          trustedProxyHops: 0,
          // NOWPayments' retries must not be throttled: 503s are not the sender's fault.
          rateLimit: { perMinute: 10, burst: 20 },
        },
        logger: log.logger,
      });
      ingress = await serveFetch(handle.app.fetch);
    });

    afterAll(async () => {
      proxy?.restore();
      await ingress?.close();
      await np?.stop();
      await viaProxy?.close();
      await proxy?.close();
      await database?.close();
    });

    it(`${ORDERS * STATUSES.length} IPNs across a ${OUTAGE_MS} ms outage: each 200 now or 200 on retry, none lost, none doubled`, async () => {
      const channel = await seedChannel(database, undefined, { ownerId: 9_100_001 });
      const ipnUrl = `${ingress.url}/webhooks/nowpayments`;
      const placed = await mapLimit(
        Array.from({ length: ORDERS }, (_, i) => 8_200_000 + i),
        8,
        async (userId) => {
          await seedUser(database, undefined, userId);
          return placeOrder(database, np, { channel, userId, ipnUrl });
        },
      );

      // The burst: each invoice walks waiting → confirming → finished, paced to span the outage.
      const queue = STATUSES.flatMap((status) => placed.map((o) => ({ o, status })));
      const spanMs = OUTAGE_MS + 4_000;
      const gapMs = spanMs / queue.length;
      const started = Date.now();
      let outage: Promise<void> | undefined;
      const firstTry: IpnDelivery[] = [];
      await mapLimit(queue, 4, async ({ o, status }, i) => {
        const due = started + i * gapMs;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (!outage && Date.now() - started > 1_500) {
          proxy.cut();
          outage = new Promise((r) => setTimeout(r, OUTAGE_MS)).then(() => proxy.restore());
        }
        await np.sendIpn(o.invoiceId, status);
        firstTry.push(np.ipns.at(-1)!);
      });
      await outage;
      expect(proxy.refused + proxy.accepted).toBeGreaterThan(0);

      // Every IPN was answered in time with 200 (recorded) or 503 (NOWPayments will retry) — never a
      // timeout, never a 4xx/500 that NOWPayments would not retry the same way.
      const statuses = np.ipns.map((d) => d.status);
      expect(
        statuses.filter((s) => s !== 200 && s !== 503),
        JSON.stringify(
          np.ipns.filter((d) => d.status !== 200 && d.status !== 503).map((d) => d.error ?? d.body),
        ),
      ).toEqual([]);
      const failed = np.ipns.filter((d) => d.status === 503);
      // The outage was real: IPNs during it were turned away.
      expect(failed.length).toBeGreaterThan(0);
      expect(log.lines.some((l) => l.level === "error" && /503/.test(l.msg ?? ""))).toBe(true);

      // NOWPayments retries the very same signed body a little later.
      const retried: number[] = [];
      for (const d of failed) {
        let status = 0;
        for (let attempt = 0; attempt < 5 && status !== 200; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
          const res = await fetch(ipnUrl, {
            method: "POST",
            headers: { "content-type": "application/json", "x-nowpayments-sig": d.signature! },
            body: JSON.stringify(d.payload),
          });
          status = res.status;
          await res.text();
        }
        retried.push(status);
      }
      expect(retried).toEqual(failed.map(() => 200));

      // Final state: one payment per payment_id, every order finished, exactly one payment.confirmed each.
      const paymentRows = await database.db.select().from(payments);
      const paymentIds = new Set(np.payments.map((p) => String(p.payment_id)));
      expect(paymentRows).toHaveLength(paymentIds.size);
      expect(new Set(paymentRows.map((p) => p.paymentId))).toEqual(paymentIds);
      expect(paymentRows.every((p) => p.status === "finished")).toBe(true);
      const orderRows = await database.db.select().from(orders);
      expect(orderRows.filter((o) => placed.some((p) => p.id === o.id)).map((o) => o.status)).toEqual(
        placed.map(() => "finished"),
      );
      const events = await database.db.select().from(outbox);
      for (const o of placed) {
        const mine = events.filter((e) => e.orderingKey === o.reference);
        expect(
          mine.filter((e) => e.topic === "payment.confirmed"),
          o.reference,
        ).toHaveLength(1);
        // "confirming" is told once at most, however often its IPN was retried.
        expect(mine.filter((e) => e.topic === "payment.updated").length).toBeLessThanOrEqual(1);
      }
      // Every IPN that got a 200 is in the audit history.
      const history = await database.db.select().from(paymentEvents);
      const answered = np.ipns.filter((d) => d.status === 200).length + retried.length;
      expect(history.length).toBeGreaterThanOrEqual(answered);
      console.info(
        `database outage ${OUTAGE_MS} ms: ${np.ipns.length} IPNs sent, ${failed.length} answered 503 and retried, ` +
          `${proxy.refused} connections refused while cut, total ${Date.now() - started} ms`,
      );
    });
  },
);
