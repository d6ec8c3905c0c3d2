import { type Message, PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deadLetterMessagesToDatabase,
  type EventEnvelope,
  listDeadLetters,
  type PubSubBus,
  type PubSubBusOptions,
  TOPICS,
} from "../src/index.ts";
// The implementation itself (synchronous); the package exports it behind a lazy loader.
import { createPubSubBus } from "../src/pubsub-bus.ts";
import {
  createTestDatabase,
  databaseUrl,
  deferred,
  emulatorHost,
  envelope,
  eventually,
  memoryLogger,
  unique,
  within,
} from "./support.ts";

const topic = TOPICS.subscriptionChanged;
const projectId = "telepay-test";

if (!emulatorHost) {
  console.warn(
    "Pub/Sub bus tests SKIPPED: PUBSUB_EMULATOR_HOST is not set (CI sets it; start the emulator locally).",
  );
}

describe.skipIf(!emulatorHost)("Pub/Sub bus against the emulator", () => {
  const prefix = `${unique()}-`;
  const { logger, lines } = memoryLogger();
  const buses: PubSubBus[] = [];
  let raw: PubSub;

  const makeBus = (overrides: Partial<PubSubBusOptions> = {}) => {
    const bus = createPubSubBus({
      projectId,
      apiEndpoint: emulatorHost!,
      topicPrefix: prefix,
      subscriptionPrefix: prefix,
      createIfMissing: true,
      retryBackoff: { minSeconds: 0.1, maxSeconds: 0.3 },
      closeTimeoutMs: 3_000,
      logger,
      ...overrides,
    });
    buses.push(bus);
    return bus;
  };

  /** Receives the next message on a dead-letter holding subscription, via a separate client. */
  const nextDeadLetter = (bus: PubSubBus, predicate: (m: Message) => boolean) => {
    const sub = raw.subscription(bus.deadLetterTopicName(topic));
    const got = deferred<Message>();
    const onMessage = (m: Message) => {
      m.ack();
      if (predicate(m)) got.resolve(m);
    };
    sub.on("message", onMessage);
    sub.on("error", got.reject);
    return within(got.promise, 15_000, "a dead letter").finally(() => sub.close());
  };

  beforeAll(() => {
    raw = new PubSub({ projectId, apiEndpoint: emulatorHost! });
  });

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await raw?.close();
  });

  it("publishes with id/topic/time attributes and delivers to a subscriber, which acks", async () => {
    const bus = makeBus();
    const got = deferred<EventEnvelope<typeof topic>>();
    await bus.subscribe(topic, "ack-consumer", async (e) => got.resolve(e));
    const sent = envelope(11, "order-ack");
    await bus.publish(sent);
    const received = await within(got.promise, 10_000, "delivery");
    expect(received).toEqual(sent);
    await bus.close();

    // A fresh consumer on the same subscription gets only the new event: the first one was acked.
    const again = makeBus();
    const seen: number[] = [];
    const marker = deferred();
    await again.subscribe(topic, "ack-consumer", async (e) => {
      seen.push(e.data.subscriptionId);
      if (e.data.subscriptionId === 12) marker.resolve();
    });
    await again.publish(envelope(12));
    await within(marker.promise, 10_000, "the marker event");
    expect(seen).toEqual([12]);
  });

  it("nack (throw or 'retry') leads to redelivery of the same event", async () => {
    const bus = makeBus();
    const calls: string[] = [];
    const done = deferred();
    await bus.subscribe(topic, "nack-consumer", async (e) => {
      calls.push(e.id);
      if (calls.length === 1) throw new Error("transient");
      if (calls.length === 2) return "retry";
      done.resolve();
    });
    const sent = envelope(21);
    await bus.publish(sent);
    await within(done.promise, 10_000, "the third delivery");
    expect(calls).toEqual([sent.id, sent.id, sent.id]);
  });

  it("a message that keeps failing reaches the dead-letter topic after maxDeliveryAttempts", async () => {
    const bus = makeBus();
    let calls = 0;
    await bus.subscribe(topic, "failing-consumer", async () => {
      calls++;
      throw new Error("owner's channel is gone");
    });
    const sent = envelope(31, "order-dlq");
    const dead = nextDeadLetter(bus, (m) => m.attributes.eventId === sent.id);
    await bus.publish(sent);
    const message = await dead;
    expect(calls).toBe(bus.maxDeliveryAttempts);
    expect(message.attributes).toMatchObject({
      eventId: sent.id,
      topic,
      deadLetterAttempts: String(bus.maxDeliveryAttempts),
      deadLetterSubscription: `${prefix}failing-consumer`,
      deadLetterOrderingKey: "order-dlq",
    });
    expect(message.attributes.deadLetterReason).toContain("owner's channel is gone");
    expect(JSON.parse(message.data.toString())).toEqual(sent.data);
    const logged = lines.find((l) => l.msg === "event dead-lettered" && l.obj.eventId === sent.id);
    expect(logged?.level).toBe("error");
  });

  it("a message given up on while pulling is also recorded in the database (onDeadLetter), where the CLI looks", async () => {
    const database = await createTestDatabase(databaseUrl);
    try {
      const bus = makeBus({ onDeadLetter: deadLetterMessagesToDatabase(database.db, logger, "pubsub-pull") });
      await bus.subscribe(topic, "gives-up-consumer", async () => {
        throw new Error("Bad Request: chat not found");
      });
      const sent = envelope(32, "order-dlq-db");
      const dead = nextDeadLetter(bus, (m) => m.attributes.eventId === sent.id);
      await bus.publish(sent);
      await dead;
      await eventually(
        async () => (await listDeadLetters(database.db)).length > 0,
        10_000,
        "the recorded dead letter",
      );
      const rows = await listDeadLetters(database.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        eventId: sent.id,
        topic,
        subscription: `${prefix}gives-up-consumer`,
        attempts: bus.maxDeliveryAttempts,
        source: "pubsub-pull",
        payload: sent.data,
      });
      expect(rows[0]!.reason).toContain("chat not found");
    } finally {
      await database.close();
    }
  });

  it("poison goes to the dead-letter topic at once: a handler's verdict, or a message that cannot be decoded", async () => {
    const bus = makeBus();
    const handled: string[] = [];
    await bus.subscribe(topic, "poison-consumer", async (e) => {
      handled.push(e.id);
      return "poison";
    });
    const sent = envelope(41);
    const dead = nextDeadLetter(bus, (m) => m.attributes.eventId === sent.id);
    await bus.publish(sent);
    expect((await dead).attributes.deadLetterAttempts).toBe("1");
    expect(handled).toEqual([sent.id]);

    // Published around the bus: no eventId attribute and a payload that is not JSON.
    const garbage = nextDeadLetter(bus, (m) => m.attributes.marker === "garbage");
    await raw
      .topic(bus.topicName(topic))
      .publishMessage({ data: Buffer.from("{oops"), attributes: { marker: "garbage" } });
    const message = await garbage;
    expect(message.attributes.deadLetterReason).toMatch(/attributes/);
    expect(handled).toEqual([sent.id]);
  });

  it("on an ordered subscription (messageOrdering), keeps order per key, including across a redelivery", async () => {
    const bus = makeBus({ messageOrdering: true });
    const handled = new Map<string, number[]>();
    const done = deferred();
    let failedOnce = false;
    const total = 20;
    let count = 0;
    await bus.subscribe(topic, "ordered-consumer", async (e) => {
      const key = e.orderingKey!;
      const n = e.data.subscriptionId;
      if (key === "order-A" && n === 1 && !failedOnce) {
        failedOnce = true;
        throw new Error("first attempt fails");
      }
      const list = handled.get(key) ?? [];
      if (!list.includes(n)) list.push(n); // redelivered later messages may repeat (at-least-once)
      handled.set(key, list);
      if (++count >= total && [...handled.values()].every((l) => l.length === total / 2)) done.resolve();
    });
    const publishes: Promise<void>[] = [];
    for (let n = 1; n <= total / 2; n++) {
      publishes.push(bus.publish(envelope(n, "order-A")), bus.publish(envelope(n, "order-B")));
    }
    await Promise.all(publishes);
    await within(done.promise, 15_000, "all ordered events");
    const expected = Array.from({ length: total / 2 }, (_, i) => i + 1);
    expect(handled.get("order-A")).toEqual(expected);
    expect(handled.get("order-B")).toEqual(expected);
    expect(failedOnce).toBe(true);
  });

  it("creates unordered subscriptions with the dead-letter and retry policies unless told to order", async () => {
    const bus = makeBus();
    await bus.subscribe(topic, "policy-consumer", async () => {});
    const [created] = await raw.subscription(bus.subscriptionName("policy-consumer")).getMetadata();
    expect(created.enableMessageOrdering).toBe(false);
    expect(created.deadLetterPolicy).toMatchObject({
      deadLetterTopic: raw.topic(bus.deadLetterTopicName(topic)).name,
      maxDeliveryAttempts: bus.maxDeliveryAttempts,
    });
    expect(created.retryPolicy?.minimumBackoff).toBeTruthy();

    const ordered = makeBus({ messageOrdering: true });
    await ordered.subscribe(topic, "policy-ordered", async () => {});
    const [meta] = await raw.subscription(bus.subscriptionName("policy-ordered")).getMetadata();
    expect(meta.enableMessageOrdering).toBe(true);
  });

  it("on an unordered subscription a failing event does not hold back later events with its key", async () => {
    // Retries 2–3 s out: the later event's first delivery comes long before the failed one returns.
    const bus = makeBus({ retryBackoff: { minSeconds: 2, maxSeconds: 3 } });
    const calls: string[] = [];
    const first = envelope(61, "order-shared");
    const second = envelope(62, "order-shared");
    const retried = deferred();
    await bus.subscribe(topic, "unordered-consumer", async (e) => {
      calls.push(e.id);
      if (e.id === first.id && calls.filter((id) => id === first.id).length === 1)
        throw new Error("transient");
      if (e.id === first.id) retried.resolve();
    });
    await Promise.all([bus.publish(first), bus.publish(second)]);
    await within(retried.promise, 15_000, "the failed event's redelivery");
    // The second event was handled once, at its first delivery, not nacked behind the first one.
    expect(calls.filter((id) => id === second.id)).toEqual([second.id]);
    expect(calls.indexOf(second.id)).toBeLessThan(calls.lastIndexOf(first.id));
  });

  it("reopens a stream the server ended with growing delays, says why in health, and consumes again once fixed", async () => {
    const { logger: streamLogger, lines: streamLines } = memoryLogger();
    const name = "reopen-consumer";
    const setup = makeBus(); // creates topic, dead-letter topic and subscription, as infra would
    await setup.subscribe(topic, name, async () => {});
    await setup.close();
    const bus = createPubSubBus({
      projectId,
      apiEndpoint: emulatorHost!,
      topicPrefix: prefix,
      subscriptionPrefix: prefix,
      reopenBackoff: { initialMs: 200, maxMs: 5_000 },
      closeTimeoutMs: 3_000,
      logger: streamLogger,
    });
    buses.push(bus);
    const seen: number[] = [];
    const back = deferred();
    await bus.subscribe(topic, name, async (e) => {
      seen.push(e.data.subscriptionId);
      if (e.data.subscriptionId === 72) back.resolve();
    });
    const subName = bus.subscriptionName(name);
    const [metadata] = await raw.subscription(subName).getMetadata();

    // The subscription disappears under a running consumer (an operator deletes it).
    await raw.subscription(subName).delete();
    const warnings = () =>
      streamLines.filter((l) => l.level === "warn" && /reopen/.test(l.msg)).map((l) => l.obj);
    await eventually(() => warnings().length >= 3, 15_000, "three reopen attempts");
    const delays = warnings().map((w) => w.retryInMs);
    expect(delays.slice(0, 3)).toEqual([200, 400, 800]);
    expect(warnings()[0]).toMatchObject({ subscription: subName, failures: 1 });
    expect(String(warnings()[0]!.lastError)).toMatch(/^5 NOT_FOUND/);
    const health = await bus.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain(`${subName}: stream down`);
    expect(health.detail).toMatch(/stream failures in a row; last error .*does not exist/);
    expect(health.detail).toMatch(/reopening (in \d+ s|now)/);

    // The subscription comes back: the next attempt (≤ maxMs) consumes again and health recovers.
    await raw.topic(bus.topicName(topic)).createSubscription(subName, {
      deadLetterPolicy: metadata.deadLetterPolicy,
      retryPolicy: metadata.retryPolicy,
    });
    await bus.publish(envelope(72));
    await within(back.promise, 20_000, "delivery after the subscription came back");
    expect(seen).toEqual([72]);
    await eventually(async () => (await bus.health()).ok, 10_000, "health to recover");
  });

  it("refuses a subscription name that belongs to another topic", async () => {
    const bus = makeBus();
    await bus.subscribe(topic, "shared-name", async () => {});
    const other = makeBus();
    await expect(other.subscribe(TOPICS.paymentUpdated, "shared-name", async () => {})).rejects.toThrow(
      /belongs to/,
    );
  });

  it("reports health: ok against the emulator, not ok (within its timeout) against a dead endpoint", async () => {
    const bus = makeBus();
    await bus.publish(envelope(51)); // creates the topic the probe looks at
    await expect(bus.health()).resolves.toMatchObject({ ok: true, kind: "pubsub" });
    // Without createIfMissing, a topic infra forgot to create is a fault worth a 503.
    const payment = createPubSubBus({
      projectId,
      apiEndpoint: emulatorHost!,
      topicPrefix: `${prefix}none-`,
      logger,
    });
    await expect(payment.health()).resolves.toMatchObject({
      ok: false,
      detail: expect.stringMatching(/missing/),
    });
    await payment.close();

    const dead = createPubSubBus({
      projectId,
      apiEndpoint: "127.0.0.1:9",
      healthTimeoutMs: 500,
      closeTimeoutMs: 500,
      logger,
    });
    const started = Date.now();
    const health = await dead.health();
    expect(health.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    const closing = Date.now();
    await dead.close();
    expect(Date.now() - closing).toBeLessThan(1_500);
  });
});
