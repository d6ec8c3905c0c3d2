import { type Db, outbox } from "@telepay/db";
import { and, asc, eq, gte, inArray, isNull, lt, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { EventBus } from "./bus.ts";
import { consoleLogger, describeError, type EventsLogger } from "./logger.ts";
import type { EventEnvelope, Topic } from "./topics.ts";

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  db: Db;
  bus: EventBus;
  /** Rows claimed per round (default 100). */
  batchSize?: number;
  /**
   * How long a claim keeps other relays away (default 30 s). A relay that dies after claiming
   * delays its rows by at most this; it must exceed the time one batch takes to publish.
   */
  leaseMs?: number;
  logger?: EventsLogger;
}

/** The outbox relay: publishes committed events and re-publishes anything left behind. */
export interface OutboxRelay {
  /** Claims, publishes and marks one batch; resolves the number published. Rounds never overlap. */
  relayOnce(): Promise<number>;
  /** Relays every `intervalMs` (default 1000), and immediately after a round that filled its batch. */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for the current round. */
  stop(): Promise<void>;
  /** Asks for a round soon (e.g. right after a producer's commit) instead of at the next tick. */
  kick(): void;
}

/**
 * Creates the outbox relay. One round:
 * 1. one short statement claims up to `batchSize` unpublished rows in id order (`FOR UPDATE SKIP
 *    LOCKED` over the partial index, skipping rows leased by another relay and rows whose ordering
 *    key has an earlier row leased elsewhere) and sets `lease_until`;
 * 2. publishes them with no transaction open (PGlite has one connection; Pub/Sub can be slow);
 * 3. marks the published rows `published_at`, and for failures bumps `attempts`, records
 *    `last_error` and clears the lease so the next round retries them. Rows are never deleted here.
 * A relay that dies between 1 and 3 leaves leased rows that any relay picks up after the lease, so
 * delivery is at-least-once: consumers de-duplicate with `handleOnce`.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus } = options;
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 30_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError("batchSize must be an integer ≥ 1");
  if (!(leaseMs > 0)) throw new TypeError("leaseMs must be > 0");
  const logger = options.logger ?? consoleLogger;

  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let intervalMs = 1_000;
  let started = false;
  let kicked = false;

  async function claim() {
    const earlier = alias(outbox, "earlier");
    const candidates = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNull(outbox.publishedAt),
          or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, sql`now()`)),
          // Keep per-key order across relays: leave a row while an earlier one with its key is leased.
          notExists(
            db
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(
                  isNull(earlier.publishedAt),
                  eq(earlier.orderingKey, outbox.orderingKey),
                  lt(earlier.id, outbox.id),
                  gte(earlier.leaseUntil, sql`now()`),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(batchSize)
      .for("update", { of: outbox, skipLocked: true });
    const rows = await db
      .update(outbox)
      .set({ leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
      .where(inArray(outbox.id, candidates))
      .returning({
        id: outbox.id,
        eventId: outbox.eventId,
        topic: outbox.topic,
        orderingKey: outbox.orderingKey,
        payload: outbox.payload,
        createdAt: outbox.createdAt,
      });
    return rows.sort((a, b) => a.id - b.id);
  }

  async function round(): Promise<number> {
    const rows = await claim();
    if (rows.length === 0) return 0;
    // Issued in id order without awaiting each: the bus keeps per-key order for calls made in order.
    const results = await Promise.allSettled(
      rows.map((row) => {
        const event: EventEnvelope = {
          id: row.eventId,
          topic: row.topic as Topic,
          occurredAt: row.createdAt.toISOString(),
          ...(row.orderingKey ? { orderingKey: row.orderingKey } : {}),
          data: row.payload as EventEnvelope["data"],
        };
        return bus.publish(event);
      }),
    );
    const published: number[] = [];
    for (const [i, result] of results.entries()) {
      const row = rows[i]!;
      if (result.status === "fulfilled") {
        published.push(row.id);
        continue;
      }
      const error = describeError(result.reason);
      logger.warn({ eventId: row.eventId, topic: row.topic, error }, "outbox publish failed; will retry");
      await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, leaseUntil: null })
        .where(eq(outbox.id, row.id));
    }
    if (published.length > 0) {
      await db
        .update(outbox)
        .set({ publishedAt: sql`now()`, leaseUntil: null, lastError: null })
        .where(inArray(outbox.id, published));
    }
    return published.length;
  }

  function relayOnce(): Promise<number> {
    // One round at a time per relay: a kick during a round becomes the next round.
    if (running) return running;
    running = round().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number) {
    if (!started) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  async function tick() {
    let full = false;
    kicked = false;
    try {
      full = (await relayOnce()) >= batchSize;
    } catch (error) {
      logger.error({ error: describeError(error) }, "outbox relay round failed");
    }
    schedule(full || kicked ? 0 : intervalMs);
  }

  return {
    relayOnce,
    start(every = 1_000) {
      if (started) return;
      if (!(every > 0)) throw new TypeError("intervalMs must be > 0");
      intervalMs = every;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
    kick() {
      if (!started) return;
      if (running) {
        kicked = true;
        return;
      }
      schedule(0);
    },
  };
}
