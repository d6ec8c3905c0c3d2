import { randomUUID } from "node:crypto";
import { type DbOrTx, outbox, processedEvents } from "@telepay/db";
import { type EventPayloadInput, parseEvent, type Topic } from "./topics.ts";

export interface EnqueueOptions {
  /** Pub/Sub ordering key; payment.confirmed uses the order reference. */
  orderingKey?: string;
  /** Fixed event id (tests, or a producer that must be idempotent itself); default a new uuid. */
  eventId?: string;
}

/**
 * Writes an event to the outbox inside the caller's transaction, so it exists if and only if the
 * state change committed. The payload is validated here: a producer bug fails the transaction
 * instead of poisoning consumers. Returns the event id.
 */
export async function enqueue<T extends Topic>(
  tx: DbOrTx,
  topic: T,
  data: EventPayloadInput<T>,
  options: EnqueueOptions = {},
): Promise<string> {
  const payload = parseEvent(topic, data);
  const eventId = options.eventId ?? randomUUID();
  await tx.insert(outbox).values({
    eventId,
    topic,
    orderingKey: options.orderingKey ?? null,
    payload,
  });
  return eventId;
}

/**
 * Runs `fn` only if `consumer` has not processed `eventId` yet, claiming it in the same
 * transaction: the claim and the effects commit together or not at all, so a redelivered or
 * concurrent copy waits on the row lock and then skips. Returns `{ ran: false }` for a duplicate.
 */
export async function handleOnce<R>(
  tx: DbOrTx,
  consumer: string,
  eventId: string,
  fn: () => Promise<R>,
): Promise<{ ran: true; result: R } | { ran: false }> {
  const claimed = await tx
    .insert(processedEvents)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  if (claimed.length === 0) return { ran: false };
  return { ran: true, result: await fn() };
}
