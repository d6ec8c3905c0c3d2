import type { EventEnvelope, Topic } from "./topics.ts";

/**
 * A handler's verdict. Throwing (or returning "retry") means redeliver later; "poison" means the
 * message can never succeed (bad payload) and goes to the dead-letter topic without more retries.
 * "busy" means another worker is doing this very work right now: redeliver later, but it is not a
 * failure, so it never uses up attempts or dead-letters the event (where the bus can tell).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (Promise<void>) acknowledges.
export type HandlerResult = void | "ack" | "retry" | "busy" | "poison";

export type EventHandler<T extends Topic = Topic> = (event: EventEnvelope<T>) => Promise<HandlerResult>;

export interface BusHealth {
  ok: boolean;
  /** "pubsub" | "in-process" */
  kind: string;
  detail?: string;
}

/**
 * At-least-once delivery between services. Implementations: Google Pub/Sub and in-process.
 * Producers normally do not call `publish` directly: they `enqueue` in their transaction and the
 * outbox relay publishes.
 *
 * Contract shared by both implementations:
 * - `publish` resolves once the bus has taken responsibility for the event (Pub/Sub: the server
 *   stored it; in-process: every subscriber acknowledged or dead-lettered it). If it rejects, the
 *   caller still owns the event (the relay keeps the outbox row and retries).
 * - Calls for the same `orderingKey`, issued in order (even without awaiting each), are delivered
 *   to each subscription in that order; a failing message blocks later ones with its key until it
 *   is acknowledged or dead-lettered.
 * - Handlers run asynchronously, never in the publisher's call stack, and may see an event more
 *   than once: consumers de-duplicate on `event.id` (`handleOnce` / `createConsumer`).
 */
export interface EventBus {
  readonly kind: "pubsub" | "in-process";
  publish(event: EventEnvelope): Promise<void>;
  /**
   * Registers a consumer for a topic. `name` identifies the consumer (subscription name on Pub/Sub),
   * so it must be unique across topics, e.g. "notifier.payment-confirmed".
   */
  subscribe<T extends Topic>(topic: T, name: string, handler: EventHandler<T>): Promise<void>;
  health(): Promise<BusHealth>;
  /** Stops consuming and flushes pending publishes, bounded in time. */
  close(): Promise<void>;
}

/** One message a bus gave up on (handler said "poison", or it kept failing). */
export interface DeadLetter {
  event: EventEnvelope;
  /** The consumer (subscription) that could not handle it. */
  subscription: string;
  /** Deliveries made before giving up. */
  attempts: number;
  /** Short description of the last error or verdict. */
  reason: string;
  error: unknown;
  at: Date;
}
