import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { auditLog, outbox, processedEvents } from "@telepay/db";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createConsumer,
  createInProcessBus,
  createOutboxRelay,
  type EventBus,
  type EventEnvelope,
  enqueue,
  TOPICS,
} from "../src/index.ts";
import {
  createTestDatabase,
  databaseUrl,
  deferred,
  memoryLogger,
  subscriptionChanged,
  within,
} from "./support.ts";

const topic = TOPICS.subscriptionChanged;
type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

describe(`outbox relay on ${databaseUrl ? "Postgres" : "PGlite"}`, () => {
  let database: TestDb;
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(processedEvents);
    await database.db.delete(auditLog);
    lines.length = 0;
  });

  const enqueueMany = (from: number, to: number, key?: (n: number) => string) =>
    database.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (let n = from; n <= to; n++) {
        ids.push(await enqueue(tx, topic, subscriptionChanged(n), key ? { orderingKey: key(n) } : {}));
      }
      return ids;
    });

  /** A consumer whose effect is an audit_log row written in the claiming transaction. */
  const auditingConsumer = (deliveries: string[]) => {
    const consume = createConsumer({
      db: database.db,
      consumer: "test.audit",
      topic,
      logger,
      handle: async (tx, event) => {
        await tx.insert(auditLog).values({
          actor: "system",
          action: "test.effect",
          details: { eventId: event.id, n: event.data.subscriptionId },
        });
      },
    });
    return async (event: EventEnvelope<typeof topic>) => {
      deliveries.push(event.id);
      return consume(event);
    };
  };
  const effects = async () =>
    (await database.db.select({ details: auditLog.details }).from(auditLog).orderBy(asc(auditLog.id))).map(
      (r) => (r.details as { eventId: string }).eventId,
    );

  it("publishes committed rows in id order as envelopes and marks them; rolled-back events never exist", async () => {
    const bus = createInProcessBus({ logger });
    const received: EventEnvelope[] = [];
    await bus.subscribe(topic, "recorder", async (e) => void received.push(e));
    const ids = await enqueueMany(1, 5, (n) => `order-${n % 2}`);
    await expect(
      database.db.transaction(async (tx) => {
        await enqueue(tx, topic, subscriptionChanged(99));
        throw new Error("state change failed");
      }),
    ).rejects.toThrow("state change failed");

    const relay = createOutboxRelay({ db: database.db, bus, logger });
    expect(await relay.relayOnce()).toBe(5);
    expect(received.map((e) => e.id)).toEqual(ids);
    const [row] = await database.db.select().from(outbox).where(eq(outbox.eventId, ids[0]!));
    expect(received[0]).toEqual({
      id: ids[0],
      topic,
      occurredAt: row!.createdAt.toISOString(),
      orderingKey: "order-1",
      data: subscriptionChanged(1),
    });
    const rows = await database.db.select().from(outbox);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.publishedAt && r.leaseUntil === null)).toBe(true);
    expect(await relay.relayOnce()).toBe(0);
    await bus.close();
  });

  it("keeps a row whose publish failed, records why, and publishes it on a later round", async () => {
    const closedBus = createInProcessBus({ logger });
    await closedBus.close();
    const [id] = await enqueueMany(1, 1);
    expect(await createOutboxRelay({ db: database.db, bus: closedBus, logger }).relayOnce()).toBe(0);
    const [failed] = await database.db.select().from(outbox);
    expect(failed).toMatchObject({ publishedAt: null, leaseUntil: null, attempts: 1 });
    expect(failed!.lastError).toMatch(/closed/);

    const bus = createInProcessBus({ logger });
    const deliveries: string[] = [];
    await bus.subscribe(topic, "audit", auditingConsumer(deliveries));
    expect(await createOutboxRelay({ db: database.db, bus, logger }).relayOnce()).toBe(1);
    expect(await effects()).toEqual([id]);
    const [published] = await database.db.select().from(outbox);
    expect(published).toMatchObject({ attempts: 1, lastError: null });
    expect(published!.publishedAt).toBeInstanceOf(Date);
    await bus.close();
  });

  it("crash after claiming: a new relay delivers after the lease; the late duplicate from the old one changes nothing", async () => {
    const bus = createInProcessBus({ logger });
    const deliveries: string[] = [];
    await bus.subscribe(topic, "audit", auditingConsumer(deliveries));
    const [id] = await enqueueMany(1, 1);

    // Relay A claims and then freezes mid-publish (a hung or dead process): its promise never settles
    // until we let it, long after its lease ran out.
    const thaw = deferred();
    const frozenBus: EventBus = { ...bus, publish: async (e) => thaw.promise.then(() => bus.publish(e)) };
    const relayA = createOutboxRelay({ db: database.db, bus: frozenBus, leaseMs: 150, logger });
    const roundA = relayA.relayOnce();
    const relayB = createOutboxRelay({ db: database.db, bus, leaseMs: 150, logger });
    await waitFor(async () => (await relayB.relayOnce()) === 0 && (await claimedRows()) === 1);
    expect(await relayB.relayOnce()).toBe(0); // still leased by A: not published twice concurrently
    await waitFor(async () => (await relayB.relayOnce()) === 1);
    expect(await effects()).toEqual([id]);

    thaw.resolve();
    expect(await roundA).toBe(1); // A wakes up and publishes its copy too: at-least-once
    expect(deliveries).toEqual([id, id]);
    expect(await effects()).toEqual([id]); // exactly-once effect
    await bus.close();
  });

  it.skipIf(!databaseUrl)(
    "process killed (SIGKILL) after claiming: a new relay delivers each event exactly once",
    async () => {
      const child = spawn(
        process.execPath,
        [
          "--no-warnings",
          fileURLToPath(new URL("./fixtures/claim-then-die.ts", import.meta.url)),
          database.url!,
          "3",
        ],
        { stdio: ["ignore", "inherit", "inherit"] },
      );
      const [code, signal] = await within(once(child, "exit"), 20_000, "the child to die");
      expect([code, signal]).toEqual([null, "SIGKILL"]);
      const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.publishedAt === null && r.leaseUntil !== null)).toBe(true);

      const bus = createInProcessBus({ logger });
      const deliveries: string[] = [];
      await bus.subscribe(topic, "audit", auditingConsumer(deliveries));
      const relay = createOutboxRelay({ db: database.db, bus, logger });
      await waitFor(async () => (await relay.relayOnce()) === 3);
      const expected = rows.map((r) => r.eventId).sort();
      expect((await effects()).sort()).toEqual(expected); // no ordering key: handled concurrently
      // Redelivering everything (as a second relay or Pub/Sub might) adds no effect.
      for (const r of rows) {
        await bus.publish({
          id: r.eventId,
          topic,
          occurredAt: r.createdAt.toISOString(),
          data: r.payload as never,
        });
      }
      expect(deliveries).toHaveLength(6);
      expect((await effects()).sort()).toEqual(expected);
      await bus.close();
    },
  );

  it("two relays running concurrently publish every row exactly once", async () => {
    const ids = await enqueueMany(1, 300);
    const bus = createInProcessBus({ logger });
    const published: string[] = [];
    await bus.subscribe(topic, "counter", async (e) => {
      published.push(e.id);
      // Slow consumer: the relays' rounds overlap in time.
      await new Promise((r) => setImmediate(r));
    });
    const drain = async (relay: ReturnType<typeof createOutboxRelay>) => {
      let total = 0;
      for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) total += n;
      return total;
    };
    const [a, b] = await Promise.all([
      drain(createOutboxRelay({ db: database.db, bus, batchSize: 20, logger })),
      drain(createOutboxRelay({ db: database.db, bus, batchSize: 20, logger })),
    ]);
    expect(a + b).toBe(300);
    expect(new Set(published).size).toBe(300);
    expect(published).toHaveLength(300);
    expect([...published].sort()).toEqual([...ids].sort());
    const [{ left }] = (await database.db
      .select({ left: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.publishedAt} is null`)) as [{ left: number }];
    expect(left).toBe(0);
    if (databaseUrl) expect(Math.min(a, b)).toBeGreaterThan(0); // both really took part
    await bus.close();
  });

  it("start() relays in the background, kick() relays right after a commit, stop() waits", async () => {
    const bus = createInProcessBus({ logger });
    const got = deferred<string>();
    await bus.subscribe(topic, "kicked", async (e) => got.resolve(e.id));
    const relay = createOutboxRelay({ db: database.db, bus, logger });
    relay.start(60_000); // the interval alone would take a minute
    await waitFor(async () => (await database.db.select().from(outbox)).length === 0);
    const [id] = await enqueueMany(1, 1);
    relay.kick();
    expect(await within(got.promise, 5_000, "the kicked relay")).toBe(id);
    await relay.stop();
    await bus.close();
  });

  /** A subscriber that records deliveries and holds those named in `hold` until released. */
  const holdingSubscriber = async (bus: EventBus, hold: Map<number, Promise<void>>) => {
    const delivered: number[] = [];
    const started: number[] = [];
    await bus.subscribe(topic, `holding-${Math.random()}`, async (e) => {
      const n = e.data.subscriptionId;
      started.push(n);
      await hold.get(n);
      delivered.push(n);
    });
    return { delivered, started };
  };
  const publishedOf = async () =>
    (await database.db.select().from(outbox).orderBy(asc(outbox.id))).map((r) => ({
      n: (r.payload as { subscriptionId: number }).subscriptionId,
      published: r.publishedAt !== null,
      leased: r.leaseUntil !== null,
    }));
  const until = async (condition: () => boolean | Promise<boolean>) => {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error("condition not met within 5 s");
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it("the loop marks each row when its own delivery is acked: a stuck consumer holds back only its row and its key's later rows", async () => {
    const bus = createInProcessBus({ logger });
    const first = deferred();
    const { delivered } = await holdingSubscriber(bus, new Map([[1, first.promise]]));
    await enqueueMany(1, 4, (n) => (n <= 2 ? "order-a" : `order-${n}`));
    const relay = createOutboxRelay({ db: database.db, bus, logger });
    relay.start(60_000);
    await until(async () => (await publishedOf()).filter((r) => r.published).length === 2);
    expect(delivered).toEqual([3, 4]);
    expect(await publishedOf()).toEqual([
      { n: 1, published: false, leased: true },
      { n: 2, published: false, leased: true },
      { n: 3, published: true, leased: false },
      { n: 4, published: true, leased: false },
    ]);
    first.resolve();
    await until(async () => (await publishedOf()).every((r) => r.published));
    expect(delivered).toEqual([3, 4, 1, 2]); // key order-a kept its order
    await relay.stop();
    await bus.close();
  });

  it("a key's row committed while an earlier one is in flight is claimed only after that one is acked", async () => {
    const bus = createInProcessBus({ logger });
    const first = deferred();
    const { delivered, started } = await holdingSubscriber(bus, new Map([[1, first.promise]]));
    const relay = createOutboxRelay({ db: database.db, bus, logger });
    relay.start(60_000);
    await enqueueMany(1, 1, () => "order-a");
    relay.kick();
    await until(() => started.includes(1));
    await enqueueMany(2, 3, (n) => (n === 2 ? "order-a" : "order-b"));
    relay.kick();
    await until(() => delivered.includes(3));
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([1, 3]);
    // Row 2 is not even claimed: no other relay could publish it ahead of row 1 either.
    expect((await publishedOf()).find((r) => r.n === 2)).toEqual({ n: 2, published: false, leased: false });
    first.resolve();
    await until(() => delivered.includes(2));
    expect(delivered).toEqual([3, 1, 2]);
    await relay.stop();
    await bus.close();
  });

  it("keeps at most maxInFlight rows in flight and takes more as deliveries finish", async () => {
    const bus = createInProcessBus({ logger });
    const gate = deferred();
    const { delivered, started } = await holdingSubscriber(
      bus,
      new Map([1, 2, 3, 4, 5].map((n) => [n, gate.promise])),
    );
    await enqueueMany(1, 5);
    const relay = createOutboxRelay({ db: database.db, bus, logger, maxInFlight: 2 });
    relay.start(60_000);
    await until(() => started.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toHaveLength(2);
    gate.resolve();
    await until(() => delivered.length === 5);
    await until(async () => (await publishedOf()).every((r) => r.published));
    await relay.stop();
    await bus.close();
  });

  it("stop() waits for deliveries in flight at most stopTimeoutMs; an unacked row keeps its lease for a later relay", async () => {
    const bus = createInProcessBus({ logger, closeTimeoutMs: 0 });
    const never = new Promise<void>(() => {});
    const { started } = await holdingSubscriber(bus, new Map([[1, never]]));
    await enqueueMany(1, 1);
    const relay = createOutboxRelay({ db: database.db, bus, logger, stopTimeoutMs: 100 });
    relay.start(60_000);
    await until(() => started.length === 1);
    await within(relay.stop(), 2_000, "relay.stop()");
    expect(await publishedOf()).toEqual([{ n: 1, published: false, leased: true }]);
    await bus.close();
  });

  async function claimedRows() {
    const rows = await database.db.select().from(outbox);
    return rows.filter((r) => r.leaseUntil !== null && r.publishedAt === null).length;
  }
});

/** Polls a condition that depends on time passing in the database (leases); fails after 5 s. */
async function waitFor(condition: () => Promise<boolean>) {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met within 5 s");
    await new Promise((r) => setTimeout(r, 25));
  }
}
