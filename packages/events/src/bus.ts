import type { EventEnvelope, Topic } from "./topics.ts";

/**
 * A handler's verdict. Throwing (or returning "retry") means redeliver later; "poison" means the
 * message can never succeed (bad payload) and goes to the dead-letter topic without more retries.
 */
export type HandlerResult = void | "ack" | "retry" | "poison";

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
 */
export interface EventBus {
  readonly kind: "pubsub" | "in-process";
  publish(event: EventEnvelope): Promise<void>;
  /** Registers a consumer for a topic. `name` identifies the consumer (subscription name on Pub/Sub). */
  subscribe<T extends Topic>(topic: T, name: string, handler: EventHandler<T>): Promise<void>;
  health(): Promise<BusHealth>;
  /** Stops consuming and flushes pending publishes, bounded in time. */
  close(): Promise<void>;
}
