import type { Logger } from "@telepay/config";
import { type BackoffOptions, backoffDelay, withDeadline } from "./backoff.ts";
import type { DeadLetter, EventBus, EventHandler } from "./bus.ts";
import { BusClosedError, PoisonMessageError } from "./errors.ts";
import { consoleLogger, describeError } from "./logger.ts";
import { type EventEnvelope, eventSchemas, type Topic } from "./topics.ts";

/** Options of {@link createInProcessBus}. */
export interface InProcessBusOptions {
  /** Deliveries per subscriber before an event is dead-lettered (default 8). */
  maxAttempts?: number;
  /** Redelivery delay after a failure: initialMs doubling up to maxMs (default 50 ms … 5 s). */
  backoff?: BackoffOptions;
  logger?: Logger;
  /** Called for every dead letter, after it is recorded in `deadLetters` and logged. */
  onDeadLetter?: (event: EventEnvelope, error: unknown, info: DeadLetter) => void;
  /** How long `close()` waits for in-flight deliveries and pending retries (default 5 s). */
  closeTimeoutMs?: number;
}

/** The in-process bus: the {@link EventBus} contract on one machine, for `standalone` and tests. */
export interface InProcessBus extends EventBus {
  readonly kind: "in-process";
  /** Every dead letter since the bus was created, oldest first. */
  readonly deadLetters: readonly DeadLetter[];
}

interface Subscription {
  topic: Topic;
  name: string;
  handler: EventHandler;
  /** Tail of the delivery chain per ordering key: a key's next event starts when this settles. */
  chains: Map<string, Promise<void>>;
}

/**
 * Creates the in-process {@link EventBus}: at-least-once delivery to every subscriber of a topic,
 * redelivery with exponential backoff when a handler throws or answers "retry" (or "busy", which
 * spends no attempt), dead-lettering on
 * "poison" or after `maxAttempts`, and per-ordering-key order (a failing event holds back later
 * events with its key, as on Pub/Sub).
 *
 * Durability: the bus lives in memory, so `publish` resolves only when every subscriber has
 * acknowledged (or dead-lettered) the event. The outbox relay marks a row published only then, so a
 * crash mid-delivery leaves the row unpublished and it is delivered again after a restart.
 * Events published to a topic nobody subscribes to are dropped, as on Pub/Sub: subscribe first.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = { initialMs: options.backoff?.initialMs ?? 50, maxMs: options.backoff?.maxMs ?? 5_000 };
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new TypeError("maxAttempts must be an integer ≥ 1");
  if (!(backoff.initialMs >= 0 && backoff.maxMs >= backoff.initialMs)) {
    throw new TypeError("backoff needs 0 ≤ initialMs ≤ maxMs");
  }
  if (!(closeTimeoutMs >= 0)) throw new TypeError("closeTimeoutMs must be ≥ 0");
  const logger = options.logger ?? consoleLogger;

  const subscriptions = new Map<string, Subscription>();
  const byTopic = new Map<Topic, Subscription[]>();
  const inFlight = new Set<Promise<void>>();
  /** Pending backoff sleeps, woken early when close() gives up waiting. */
  const sleepers = new Set<() => void>();
  const deadLetters: DeadLetter[] = [];
  let closed = false;
  let aborted = false;

  const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  function recordDeadLetter(sub: Subscription, event: EventEnvelope, attempts: number, error: unknown) {
    const entry: DeadLetter = {
      event,
      subscription: sub.name,
      attempts,
      reason: describeError(error),
      error,
      at: new Date(),
    };
    deadLetters.push(entry);
    logger.error(
      { eventId: event.id, topic: event.topic, subscription: sub.name, attempts, reason: entry.reason },
      "event dead-lettered",
    );
    try {
      options.onDeadLetter?.(event, error, entry);
    } catch (callbackError) {
      logger.error({ eventId: event.id, error: describeError(callbackError) }, "onDeadLetter callback threw");
    }
  }

  async function deliver(sub: Subscription, event: EventEnvelope): Promise<void> {
    let busyTimes = 0;
    for (let attempt = 1; ; attempt++) {
      if (aborted) throw new BusClosedError("in-process");
      let verdict: unknown;
      let error: unknown;
      try {
        verdict = (await sub.handler(event)) ?? "ack";
      } catch (thrown) {
        verdict = thrown instanceof PoisonMessageError ? "poison" : "retry";
        error = thrown;
      }
      if (verdict === "ack") return;
      if (verdict === "busy") {
        // Someone else holds the work: wait and look again, without spending an attempt.
        attempt--;
        await sleep(backoffDelay(Math.min(++busyTimes, 10), backoff));
        continue;
      }
      if (verdict === "poison") {
        recordDeadLetter(sub, event, attempt, error ?? new PoisonMessageError("handler answered poison"));
        return;
      }
      const reason = error ?? new Error("handler answered retry");
      if (attempt >= maxAttempts) {
        recordDeadLetter(sub, event, attempt, reason);
        return;
      }
      const delay = backoffDelay(attempt, backoff);
      logger.warn(
        {
          eventId: event.id,
          topic: event.topic,
          subscription: sub.name,
          attempt,
          retryInMs: delay,
          error: describeError(reason),
        },
        "event handler failed; redelivering",
      );
      await sleep(delay);
    }
  }

  /** Queues one delivery; the promise settles when the subscriber is done with the event. */
  function schedule(sub: Subscription, event: EventEnvelope): Promise<void> {
    // Each subscriber gets its own copy, shaped like a message off the wire (JSON), so no handler
    // can see another's mutations or non-JSON values the Pub/Sub path would not carry.
    const copy = structuredClone(event);
    const key = event.orderingKey;
    let delivery: Promise<void>;
    if (key) {
      const previous = sub.chains.get(key) ?? Promise.resolve();
      delivery = previous.then(nextMacrotask).then(() => deliver(sub, copy));
      const tail = delivery.catch(() => {});
      sub.chains.set(key, tail);
      void tail.then(() => {
        if (sub.chains.get(key) === tail) sub.chains.delete(key);
      });
    } else {
      delivery = nextMacrotask().then(() => deliver(sub, copy));
    }
    inFlight.add(delivery);
    void delivery.then(
      () => inFlight.delete(delivery),
      () => inFlight.delete(delivery),
    );
    return delivery;
  }

  return {
    kind: "in-process",
    deadLetters,

    async publish(event) {
      if (closed) throw new BusClosedError("in-process");
      if (!(event.topic in eventSchemas)) throw new TypeError(`unknown topic "${String(event.topic)}"`);
      const wire = JSON.parse(JSON.stringify(event)) as EventEnvelope;
      const targets = byTopic.get(event.topic) ?? [];
      await Promise.all(targets.map((sub) => schedule(sub, wire)));
    },

    async subscribe(topic, name, handler) {
      if (closed) throw new BusClosedError("in-process");
      if (!(topic in eventSchemas)) throw new TypeError(`unknown topic "${String(topic)}"`);
      const existing = subscriptions.get(name);
      if (existing) {
        // Same rule as Pub/Sub, where the name is the subscription id: one name, one topic, one handler.
        throw new Error(`subscription "${name}" already exists (topic "${existing.topic}")`);
      }
      const sub: Subscription = { topic, name, handler: handler as EventHandler, chains: new Map() };
      subscriptions.set(name, sub);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), sub]);
    },

    async health() {
      return {
        ok: !closed,
        kind: "in-process",
        detail: closed
          ? "closed"
          : `${subscriptions.size} subscriptions, ${inFlight.size} deliveries in flight, ${deadLetters.length} dead letters`,
      };
    },

    async close() {
      closed = true;
      const drained = await withDeadline(
        Promise.allSettled([...inFlight]).then(() => true),
        closeTimeoutMs,
        false,
      );
      if (!drained) {
        // Undelivered events reject their publish() so the outbox keeps them for the next start.
        aborted = true;
        for (const wake of [...sleepers]) wake();
        logger.warn({ pending: inFlight.size }, "in-process bus closed with deliveries still pending");
      }
    },
  };
}
