import { deadLetters, type EventOutcomeValue, eventOutcomes, outbox } from "@telepay/db";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";

/** What a consumer finally made of an event an operator may wait on. */
export interface OutcomeInput {
  eventId: string;
  topic: string;
  outcome: EventOutcomeValue;
  /** One line for a failure (Telegram's own description, e.g. "Bad Request: chat not found"). */
  reason?: string | null;
  /** What was done, e.g. { invite: "sent" } or { dm: "unreachable" }. */
  details?: Record<string, unknown>;
}

/**
 * Where the work behind an event stands, as the database knows it:
 * - `ok` / `failed` / `skipped`: a consumer recorded its outcome (first outcome wins);
 * - `dead_lettered`: a consumer gave up on it without recording one (retries exhausted);
 * - `published`: the relay handed it to the bus, no consumer has finished it yet;
 * - `queued`: still in the outbox (the relay — a running notifier or `pnpm start` — has not sent it);
 * - `unknown`: no trace of the event id.
 */
export type EventState = EventOutcomeValue | "dead_lettered" | "published" | "queued" | "unknown";

export interface EventStatus {
  eventId: string;
  state: EventState;
  topic: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  /** When the outcome (or dead letter) was recorded, or the event was written. */
  at: Date | null;
}

/** States after which waiting longer changes nothing. */
export const FINAL_EVENT_STATES: readonly EventState[] = ["ok", "failed", "skipped", "dead_lettered"];

/** The reason recorded with an outcome, kept to one line and a bounded length. */
function oneLine(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  return reason.replace(/\s+/g, " ").trim().slice(0, 500);
}

/**
 * The outcomes of events (event_outcomes): the notifier records what it made of the work an event
 * asked for, so `telepay channel publish` and `subscription grant|revoke` can report the truth
 * instead of "Queued". Events are hints and the bus may be Pub/Sub in another process: the
 * database is the only place both sides share.
 */
export function createOutcomes(deps: CommerceDeps) {
  const { db } = deps;
  return {
    /** Records an outcome; the first one recorded for an event wins (a redelivery cannot rewrite it). */
    async record(input: OutcomeInput): Promise<void> {
      await db
        .insert(eventOutcomes)
        .values({
          eventId: input.eventId,
          topic: input.topic,
          outcome: input.outcome,
          reason: oneLine(input.reason),
          details: input.details ?? {},
        })
        .onConflictDoNothing();
    },

    /** Where the event's work stands: its outcome, else a dead letter, else its outbox row. */
    async status(eventId: string): Promise<EventStatus> {
      const [outcome] = await db.select().from(eventOutcomes).where(eq(eventOutcomes.eventId, eventId));
      if (outcome) {
        return {
          eventId,
          state: outcome.outcome,
          topic: outcome.topic,
          reason: outcome.reason,
          details: (outcome.details ?? {}) as Record<string, unknown>,
          at: outcome.createdAt,
        };
      }
      const [dead] = await db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.eventId, eventId), isNull(deadLetters.replayedAt)))
        .orderBy(desc(deadLetters.createdAt))
        .limit(1);
      if (dead) {
        return {
          eventId,
          state: "dead_lettered",
          topic: dead.topic,
          reason: oneLine(dead.reason),
          details: { attempts: dead.attempts, deadLetterId: dead.id },
          at: dead.createdAt,
        };
      }
      const [row] = await db.select().from(outbox).where(eq(outbox.eventId, eventId));
      if (row) {
        return {
          eventId,
          state: row.publishedAt ? "published" : "queued",
          topic: row.topic,
          reason: row.lastError,
          details: {},
          at: row.createdAt,
        };
      }
      return { eventId, state: "unknown", topic: null, reason: null, details: {}, at: null };
    },
  };
}
export type Outcomes = ReturnType<typeof createOutcomes>;
