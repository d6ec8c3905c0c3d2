import type { Logger } from "@telepay/config";
import type { Db, Tx } from "@telepay/db";
import { z } from "zod";
import type { EventHandler } from "./bus.ts";
import { PoisonMessageError } from "./errors.ts";
import { consoleLogger, describeError } from "./logger.ts";
import { handleOnce } from "./outbox.ts";
import { type EventEnvelope, eventSchemas, type Topic } from "./topics.ts";

/** Options of {@link createConsumer}. */
export interface ConsumerOptions<T extends Topic> {
  db: Db;
  /** Stable consumer name, the `processed_events.consumer` key (e.g. "notifier.grant-access"). */
  consumer: string;
  topic: T;
  /**
   * The effects, inside the transaction that claims the event: they commit together with the claim
   * or not at all. Throw {@link PoisonMessageError} for "can never work"; anything else is retried.
   */
  handle: (tx: Tx, event: EventEnvelope<T>) => Promise<void>;
  /** Called after the claim committed (`ran: true`), e.g. to kick the relay for events `handle` enqueued. */
  onCommitted?: (event: EventEnvelope<T>) => void;
  logger?: Logger;
}

const envelopeIdSchema = z.uuid();

/**
 * What every consumer checks before it acts on a delivery: the event is for its topic, its id is a
 * uuid (the idempotency key), and its payload passes the topic's schema. A refusal is poison: no
 * redelivery can make it valid.
 */
export function checkEnvelope<T extends Topic>(
  topic: T,
  event: EventEnvelope<Topic>,
): { event: EventEnvelope<T> } | { refused: string; details?: string } {
  if (event.topic !== topic)
    return { refused: `event for "${event.topic}" delivered to a "${topic}" consumer` };
  if (!envelopeIdSchema.safeParse(event.id).success) return { refused: "event id is not a uuid" };
  const parsed = eventSchemas[topic].safeParse(event.data);
  if (!parsed.success)
    return { refused: "event payload fails its schema", details: z.prettifyError(parsed.error) };
  return { event: { ...event, data: parsed.data } as EventEnvelope<T> };
}

/**
 * Wraps a consumer so every event has exactly-once effects on top of at-least-once delivery:
 * validates `event.data` with the topic's schema (invalid → "poison"), then runs
 * `db.transaction(tx => handleOnce(tx, consumer, event.id, () => handle(tx, event)))`.
 * A duplicate is acknowledged without running `handle`; a thrown error rolls the claim back and
 * answers "retry", so the bus redelivers with backoff and dead-letters after its attempt limit.
 *
 * Side effects outside the database (Telegram calls) cannot join the transaction. Recommended:
 * in `handle`, claim and record the state change plus a row for the pending effect (e.g. an invite
 * row with status "pending"), commit, then perform the effect and mark its row done — a sweep
 * retries pending rows, and the effect's row (not the event) makes it happen once. Calling Telegram
 * inside `handle` is acceptable only for effects that are harmless to repeat, because a commit
 * failure after the call means the redelivery calls it again.
 */
export function createConsumer<T extends Topic>(options: ConsumerOptions<T>): EventHandler<T> {
  const { db, consumer, topic, handle } = options;
  if (!consumer) throw new TypeError("consumer name is required");
  if (!(topic in eventSchemas)) throw new TypeError(`unknown topic "${String(topic)}"`);
  const logger = options.logger ?? consoleLogger;

  return async function consume(event) {
    const ids = { consumer, eventId: event.id, topic: event.topic };
    const checked = checkEnvelope(topic, event);
    if ("refused" in checked) {
      logger.error({ ...ids, ...(checked.details ? { error: checked.details } : {}) }, checked.refused);
      return "poison";
    }
    const typed = checked.event;
    try {
      const outcome = await db.transaction((tx) =>
        handleOnce(tx, consumer, event.id, () => handle(tx, typed)),
      );
      if (outcome.ran) options.onCommitted?.(typed);
      return "ack";
    } catch (error) {
      if (error instanceof PoisonMessageError) {
        logger.error({ ...ids, error: describeError(error) }, "consumer declared the event poison");
        return "poison";
      }
      logger.warn({ ...ids, error: describeError(error) }, "consumer failed; will retry");
      return "retry";
    }
  };
}
