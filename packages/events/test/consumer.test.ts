import { auditLog, processedEvents } from "@telepay/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumer, createInProcessBus, PoisonMessageError, TOPICS } from "../src/index.ts";
import { createTestDatabase, databaseUrl, envelope, memoryLogger } from "./support.ts";

const topic = TOPICS.subscriptionChanged;

describe(`createConsumer on ${databaseUrl ? "Postgres" : "PGlite"}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const { logger } = memoryLogger();
  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl);
  });
  afterAll(async () => database?.close());

  const auditCount = async (action: string) =>
    (await database.db.select().from(auditLog)).filter((r) => r.action === action).length;

  it("runs the effect once however often the bus delivers the event, even concurrently", async () => {
    const consume = createConsumer({
      db: database.db,
      consumer: "test.once",
      topic,
      logger,
      handle: async (tx) => {
        await tx.insert(auditLog).values({ actor: "system", action: "once" });
      },
    });
    const event = envelope(1);
    expect(await Promise.all([consume(event), consume(event), consume(event)])).toEqual([
      "ack",
      "ack",
      "ack",
    ]);
    expect(await consume(event)).toBe("ack");
    expect(await auditCount("once")).toBe(1);
  });

  it("answers retry on a failure and rolls the claim back, so the redelivery runs the effect", async () => {
    let calls = 0;
    const consume = createConsumer({
      db: database.db,
      consumer: "test.retry",
      topic,
      logger,
      handle: async (tx) => {
        calls++;
        await tx.insert(auditLog).values({ actor: "system", action: "retry" });
        if (calls === 1) throw new Error("telegram timed out");
      },
    });
    const event = envelope(2);
    expect(await consume(event)).toBe("retry");
    expect(await auditCount("retry")).toBe(0); // the half-done effect rolled back with the claim
    expect(await consume(event)).toBe("ack");
    expect(await auditCount("retry")).toBe(1);
  });

  it("answers poison for a payload that fails the topic schema, a wrong topic, or PoisonMessageError", async () => {
    let ran = 0;
    const consume = createConsumer({
      db: database.db,
      consumer: "test.poison",
      topic,
      logger,
      handle: async (_tx, event) => {
        ran++;
        if (event.data.subscriptionId === 4) throw new PoisonMessageError("subscription 4 does not exist");
      },
    });
    const bad = envelope(3);
    (bad.data as { userId: unknown }).userId = 42; // a number, not a decimal string
    expect(await consume(bad)).toBe("poison");
    expect(await consume({ ...envelope(5), topic: TOPICS.paymentUpdated } as never)).toBe("poison");
    expect(ran).toBe(0);
    const missing = envelope(4);
    expect(await consume(missing)).toBe("poison");
    const claims = (await database.db.select().from(processedEvents)).filter(
      (r) => r.consumer === "test.poison",
    );
    expect(claims).toEqual([]); // nothing claimed: a fixed consumer could still handle a replay
  });

  it("plugs into a bus: poison ends as a dead letter, a transient failure is retried", async () => {
    const bus = createInProcessBus({ logger, backoff: { initialMs: 1, maxMs: 1 } });
    let failures = 1;
    await bus.subscribe(
      topic,
      "test.bus",
      createConsumer({
        db: database.db,
        consumer: "test.bus",
        topic,
        logger,
        handle: async (tx) => {
          if (failures-- > 0) throw new Error("deadlock detected");
          await tx.insert(auditLog).values({ actor: "system", action: "bus" });
        },
      }),
    );
    const bad = envelope(6);
    (bad.data as { expiresAt: unknown }).expiresAt = "tomorrow";
    await bus.publish(envelope(7));
    await bus.publish(bad);
    expect(await auditCount("bus")).toBe(1);
    expect(bus.deadLetters.map((d) => d.event.id)).toEqual([bad.id]);
    await bus.close();
  });
});
