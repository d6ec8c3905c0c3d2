import type { Logger } from "@telepay/config";
import { type Db, deadLetters, eventOutcomes, outbox } from "@telepay/db";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DeadLetter } from "./bus.ts";
import { describeError } from "./logger.ts";
import type { DeadLetterMessage } from "./pubsub-bus.ts";
import { eventSchemas, type Topic } from "./topics.ts";

/** Where a dead letter was recorded from. */
export type DeadLetterSource = "in-process" | "pubsub-pull" | "pubsub-push" | "pubsub-dlq";

/** One dead letter to record. */
export interface DeadLetterRecord {
  eventId: string;
  topic: string;
  subscription: string;
  orderingKey?: string | undefined;
  payload?: unknown;
  occurredAt?: string | undefined;
  reason: string;
  attempts: number;
  source: DeadLetterSource;
}

export type DeadLetterRow = typeof deadLetters.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records a dead letter in the database (one row per event and consumer; dead-lettered again after a
 * replay, the row is reopened). Events whose id is not a uuid (undecodable messages) are kept under
 * the nil uuid with their reason, so an operator still sees that something was dropped.
 */
export async function recordDeadLetter(db: Db, record: DeadLetterRecord): Promise<void> {
  const occurredAt = record.occurredAt ? new Date(record.occurredAt) : null;
  const values = {
    eventId: UUID.test(record.eventId) ? record.eventId : "00000000-0000-0000-0000-000000000000",
    topic: record.topic.slice(0, 200),
    subscription: record.subscription.slice(0, 200),
    orderingKey: record.orderingKey ?? null,
    payload: record.payload === undefined ? null : record.payload,
    occurredAt: occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt : null,
    reason: record.reason.slice(0, 2_000),
    attempts: record.attempts,
    source: record.source,
  };
  await db
    .insert(deadLetters)
    .values(values)
    .onConflictDoUpdate({
      target: [deadLetters.eventId, deadLetters.subscription],
      set: {
        reason: values.reason,
        attempts: values.attempts,
        source: values.source,
        createdAt: sql`now()`,
        replayedAt: null,
      },
    });
}

/** The in-process bus's `onDeadLetter`, writing to the database (failures are logged, never thrown). */
export function deadLettersToDatabase(
  db: Db,
  logger: Logger,
): (event: DeadLetter["event"], error: unknown, info: DeadLetter) => void {
  return (event, _error, info) => {
    recordDeadLetter(db, {
      eventId: event.id,
      topic: event.topic,
      subscription: info.subscription,
      orderingKey: event.orderingKey,
      payload: event.data,
      occurredAt: event.occurredAt,
      reason: info.reason,
      attempts: info.attempts,
      source: "in-process",
    }).catch((err: unknown) =>
      logger.error(
        { eventId: event.id, err: describeError(err) },
        "dead letter not recorded in the database",
      ),
    );
  };
}

/**
 * The Pub/Sub buses' dead-letter hook (PubSubBusOptions.onDeadLetter, and the push route's): records
 * the copied message in the database, where `telepay events dead-letters` lists it and a CLI waiting
 * on the event learns at once that it was given up on. The payload is kept when it is JSON.
 */
export function deadLetterMessagesToDatabase(
  db: Db,
  logger: Logger,
  source: Extract<DeadLetterSource, "pubsub-pull" | "pubsub-push">,
): (message: DeadLetterMessage) => Promise<void> {
  return async (message) => {
    let payload: unknown;
    try {
      const data = typeof message.data === "string" ? Buffer.from(message.data, "base64") : message.data;
      payload = JSON.parse(data.toString("utf8"));
    } catch {
      payload = undefined;
    }
    await recordDeadLetter(db, {
      eventId: message.attributes.eventId ?? "",
      topic: message.topic,
      subscription: message.subscription,
      orderingKey: message.orderingKey,
      payload,
      occurredAt: message.attributes.occurredAt,
      reason: message.reason,
      attempts: message.attempts,
      source,
    }).catch((err: unknown) =>
      logger.error(
        { eventId: message.attributes.eventId, err: describeError(err) },
        "dead letter not recorded in the database",
      ),
    );
  };
}

/** Dead letters, newest first; by default only those not replayed yet. */
export async function listDeadLetters(
  db: Db,
  options: { all?: boolean; limit?: number } = {},
): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(options.all ? undefined : isNull(deadLetters.replayedAt))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(options.limit ?? 1_000);
}

export interface ReplayResult {
  id: number;
  eventId: string;
  topic: string;
  /** "outbox": its outbox row is published again; "re-enqueued": written back to the outbox. */
  outcome: "outbox" | "re-enqueued" | "refused";
  reason?: string;
}

/**
 * Replays dead letters through the outbox, so the relay publishes them on whichever bus runs: the
 * original outbox row is marked unpublished again (or, when it is gone, written back with the same
 * event id). A payload that fails its topic's schema is refused: it would only die again.
 */
export async function replayDeadLetters(db: Db, ids?: readonly number[]): Promise<ReplayResult[]> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(and(isNull(deadLetters.replayedAt), ids ? inArray(deadLetters.id, [...ids]) : undefined))
    .orderBy(asc(deadLetters.id));
  const results: ReplayResult[] = [];
  for (const row of rows) {
    const base = { id: row.id, eventId: row.eventId, topic: row.topic };
    const schema = eventSchemas[row.topic as Topic];
    const valid = schema?.safeParse(row.payload);
    if (!schema || !valid?.success) {
      results.push({ ...base, outcome: "refused", reason: "its payload fails the topic's schema" });
      continue;
    }
    const outcome = await db.transaction(async (tx) => {
      const reopened = await tx
        .update(outbox)
        .set({ publishedAt: null, leaseUntil: null, attempts: 0, lastError: null })
        .where(eq(outbox.eventId, row.eventId))
        .returning({ id: outbox.id });
      if (reopened.length === 0) {
        await tx.insert(outbox).values({
          eventId: row.eventId,
          topic: row.topic,
          orderingKey: row.orderingKey,
          payload: valid.data,
        });
      }
      await tx.update(deadLetters).set({ replayedAt: sql`now()` }).where(eq(deadLetters.id, row.id));
      // The replay is a fresh try: a failure recorded for it must not answer for the new delivery.
      await tx
        .delete(eventOutcomes)
        .where(and(eq(eventOutcomes.eventId, row.eventId), eq(eventOutcomes.outcome, "failed")));
      return reopened.length > 0 ? ("outbox" as const) : ("re-enqueued" as const);
    });
    results.push({ ...base, outcome });
  }
  return results;
}
