/**
 * A message that can never be handled successfully (malformed body, unknown topic, payload that
 * fails its schema). Retrying it is pointless: it is acknowledged and copied to the dead-letter
 * topic instead (docs/legacy-mistakes.md#lm-12: poison messages retried for a day).
 * Consumers may throw it too; `createConsumer` turns it into the "poison" verdict.
 */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
  /** The topic, when it could be read from the message. */
  readonly topic: string | undefined;
  /** The event id, when it could be read from the message. */
  readonly eventId: string | undefined;

  constructor(message: string, details: { topic?: string; eventId?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.topic = details.topic;
    this.eventId = details.eventId;
  }
}

/** Thrown by `publish` after `close()`: the caller (the outbox relay) keeps the event for later. */
export class BusClosedError extends Error {
  override readonly name = "BusClosedError";
  constructor(kind: string) {
    super(`the ${kind} event bus is closed`);
  }
}
