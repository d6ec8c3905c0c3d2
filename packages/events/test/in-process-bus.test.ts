import { describe, expect, it } from "vitest";
import { createInProcessBus, type EventEnvelope, PoisonMessageError, TOPICS } from "../src/index.ts";
import { deferred, envelope, memoryLogger, within } from "./support.ts";

const topic = TOPICS.subscriptionChanged;

describe("in-process bus", () => {
  it("delivers to every subscriber, never inside the publisher's call stack, and publish waits for them", async () => {
    const { logger } = memoryLogger();
    const bus = createInProcessBus({ logger });
    const seen: string[] = [];
    let publishing = false;
    let ranInline = false;
    await bus.subscribe(topic, "a", async (e) => {
      if (publishing) ranInline = true;
      seen.push(`a:${e.data.subscriptionId}`);
    });
    await bus.subscribe(topic, "b", async (e) => {
      seen.push(`b:${e.data.subscriptionId}`);
    });
    publishing = true;
    const done = bus.publish(envelope(1));
    publishing = false;
    expect(seen).toEqual([]);
    await done;
    expect(ranInline).toBe(false);
    expect(seen.sort()).toEqual(["a:1", "b:1"]);
    await bus.close();
  });

  it("redelivers a failing event with growing backoff until it succeeds", async () => {
    const { logger, lines } = memoryLogger();
    const bus = createInProcessBus({ logger, backoff: { initialMs: 20, maxMs: 1_000 } });
    const times: number[] = [];
    await bus.subscribe(topic, "flaky", async () => {
      times.push(performance.now());
      if (times.length === 1) throw new Error("database briefly down");
      if (times.length === 2) return "retry";
    });
    const event = envelope(2);
    await bus.publish(event);
    expect(times).toHaveLength(3);
    const gap1 = times[1]! - times[0]!;
    const gap2 = times[2]! - times[1]!;
    expect(gap1).toBeGreaterThanOrEqual(18);
    expect(gap2).toBeGreaterThanOrEqual(38); // doubled
    expect(bus.deadLetters).toHaveLength(0);
    expect(lines.filter((l) => l.level === "warn").map((l) => l.obj.eventId)).toEqual([event.id, event.id]);
    await bus.close();
  });

  it("dead-letters poison at once and exhausted retries after maxAttempts, with the event id logged", async () => {
    const { logger, lines } = memoryLogger();
    const dead: EventEnvelope[] = [];
    const bus = createInProcessBus({
      logger,
      maxAttempts: 3,
      backoff: { initialMs: 1, maxMs: 2 },
      onDeadLetter: (event) => dead.push(event),
    });
    let poisonCalls = 0;
    let failingCalls = 0;
    await bus.subscribe(topic, "poisoned", async (e) => {
      if (e.data.subscriptionId === 3) {
        poisonCalls++;
        return "poison";
      }
    });
    await bus.subscribe(TOPICS.broadcastRequested, "always-failing", async () => {
      failingCalls++;
      throw new Error("telegram says no");
    });
    const poison = envelope(3);
    await bus.publish(poison);
    const failing: EventEnvelope = {
      id: crypto.randomUUID(),
      topic: TOPICS.broadcastRequested,
      occurredAt: new Date().toISOString(),
      data: { broadcastId: 1, channelId: 1 },
    };
    await bus.publish(failing);
    expect(poisonCalls).toBe(1);
    expect(failingCalls).toBe(3);
    expect(bus.deadLetters.map((d) => [d.event.id, d.subscription, d.attempts])).toEqual([
      [poison.id, "poisoned", 1],
      [failing.id, "always-failing", 3],
    ]);
    expect(bus.deadLetters[1]!.reason).toContain("telegram says no");
    expect(dead.map((e) => e.id)).toEqual([poison.id, failing.id]);
    const logged = lines.filter((l) => l.level === "error" && l.msg === "event dead-lettered");
    expect(logged.map((l) => l.obj.eventId)).toEqual([poison.id, failing.id]);
    await bus.close();
  });

  it("'busy' (work held by another worker) spends no attempt: redelivered until done, never dead-lettered", async () => {
    const { logger } = memoryLogger();
    const bus = createInProcessBus({ logger, maxAttempts: 2, backoff: { initialMs: 1, maxMs: 5 } });
    let calls = 0;
    await bus.subscribe(topic, "held", async () => (++calls < 12 ? "busy" : "ack"));
    await bus.publish(envelope(41));
    expect(calls).toBe(12);
    expect(bus.deadLetters).toHaveLength(0);
    await bus.close();
  });

  it("a handler throwing PoisonMessageError is dead-lettered without retries", async () => {
    const { logger } = memoryLogger();
    const bus = createInProcessBus({ logger });
    let calls = 0;
    await bus.subscribe(topic, "strict", async () => {
      calls++;
      throw new PoisonMessageError("unknown channel");
    });
    await bus.publish(envelope(4));
    expect(calls).toBe(1);
    expect(bus.deadLetters[0]!.reason).toContain("unknown channel");
    await bus.close();
  });

  it("keeps order per ordering key even when an earlier event needs retries", async () => {
    const { logger } = memoryLogger();
    const bus = createInProcessBus({ logger, backoff: { initialMs: 5, maxMs: 5 } });
    const handled: number[] = [];
    let failedOnce = false;
    await bus.subscribe(topic, "ordered", async (e) => {
      const n = e.data.subscriptionId;
      if (n === 1 && !failedOnce) {
        failedOnce = true;
        throw new Error("first try fails");
      }
      // Later events finish faster than earlier ones would, so only the bus can keep them in order.
      await new Promise((r) => setTimeout(r, n % 2 === 0 ? 0 : 3));
      handled.push(n);
    });
    const publishes = [];
    for (let n = 1; n <= 6; n++) publishes.push(bus.publish(envelope(n, "order-A")));
    publishes.push(bus.publish(envelope(100))); // no key: not held back by order-A's retry
    await Promise.all(publishes);
    expect(handled.filter((n) => n < 100)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(handled.indexOf(100)).toBeLessThan(handled.indexOf(1));
    await bus.close();
  });

  it("close waits for in-flight deliveries; after a bounded wait, pending publishes reject so the outbox keeps them", async () => {
    const { logger } = memoryLogger();
    const bus = createInProcessBus({
      logger,
      closeTimeoutMs: 50,
      backoff: { initialMs: 10_000, maxMs: 10_000 },
    });
    const started = deferred();
    let finished = false;
    await bus.subscribe(topic, "slow", async (e) => {
      if (e.data.subscriptionId === 1) {
        started.resolve();
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
        return;
      }
      throw new Error("will sit in a 10 s backoff");
    });
    const quick = bus.publish(envelope(1));
    const stuck = bus.publish(envelope(2));
    await within(started.promise, 1_000, "the slow handler");
    await bus.close();
    expect(finished).toBe(true);
    await expect(quick).resolves.toBeUndefined();
    await expect(stuck).rejects.toThrow(/closed/);
    await expect(bus.publish(envelope(3))).rejects.toThrow(/closed/);
    expect((await bus.health()).ok).toBe(false);
  });

  it("rejects a second subscription with the same name, as Pub/Sub would", async () => {
    const bus = createInProcessBus({ logger: memoryLogger().logger });
    await bus.subscribe(topic, "dup", async () => {});
    await expect(bus.subscribe(TOPICS.paymentUpdated, "dup", async () => {})).rejects.toThrow(
      /already exists/,
    );
    await bus.close();
  });
});
