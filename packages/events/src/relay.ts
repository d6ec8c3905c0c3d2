import type { Logger } from "@telepay/config";
import { type Db, outbox } from "@telepay/db";
import { and, asc, eq, gte, inArray, isNull, lt, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { withDeadline } from "./backoff.ts";
import type { EventBus } from "./bus.ts";
import { consoleLogger, describeError } from "./logger.ts";
import type { EventEnvelope, Topic } from "./topics.ts";

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  db: Db;
  bus: EventBus;
  /** Rows claimed per statement (default 100). */
  batchSize?: number;
  /**
   * How long a claim keeps other relays away (default 30 s). A relay that dies after claiming
   * delays its rows by at most this; it must exceed the time one delivery takes (publish to ack),
   * or the row is published again (a duplicate the consumers absorb).
   */
  leaseMs?: number;
  /**
   * Rows published and not yet acknowledged at once, per relay (default 1,000). The loop stops
   * claiming at this many and resumes as deliveries finish, so a slow consumer holds back new
   * rows instead of piling them up in memory.
   */
  maxInFlight?: number;
  /** How long `stop()` waits for deliveries in flight (default 10 s); the rest keep their lease. */
  stopTimeoutMs?: number;
  logger?: Logger;
}

/** The outbox relay: publishes committed events and re-publishes anything left behind. */
export interface OutboxRelay {
  /**
   * Claims one batch, publishes it and waits until each of its rows is acknowledged and marked;
   * resolves the number published. Claims never overlap (with each other or with the loop's).
   */
  relayOnce(): Promise<number>;
  /**
   * Runs the loop: claims every `intervalMs` (default 1000), immediately after a claim that filled
   * its batch, and on kick(); each claimed row is published at once and marked as soon as its own
   * delivery is acknowledged, while the loop keeps claiming (up to `maxInFlight` rows in flight).
   */
  start(intervalMs?: number): void;
  /** Stops the loop and waits (up to `stopTimeoutMs`) for the deliveries in flight. */
  stop(): Promise<void>;
  /** Asks for a claim soon (e.g. right after a producer's commit) instead of at the next tick. */
  kick(): void;
}

/** Minimum time between two claims triggered by kicks (see kickDelay). */
const KICK_SPACING_MS = 10;

type ClaimedRow = Awaited<ReturnType<ReturnType<typeof claimer>>>[number];

/**
 * Creates the outbox relay: claims unpublished rows (SKIP LOCKED + lease), publishes them with no
 * transaction open, and marks each as its delivery is acknowledged (at-least-once).
 * Steps, ordering keys and why: docs/decisions/outbox-relay.md.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus } = options;
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 30_000;
  const maxInFlight = options.maxInFlight ?? 1_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError("batchSize must be an integer ≥ 1");
  if (!(leaseMs > 0)) throw new TypeError("leaseMs must be > 0");
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new TypeError("maxInFlight must be an integer ≥ 1");
  if (!(stopTimeoutMs >= 0)) throw new TypeError("stopTimeoutMs must be ≥ 0");
  const logger = options.logger ?? consoleLogger;
  const claim = claimer(db, leaseMs);

  /** Deliveries published and not yet settled (acknowledged and marked, or failed and released). */
  const inFlight = new Set<Promise<boolean>>();
  let claiming: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = 0;
  let lastClaimAt = 0;
  let intervalMs = 1_000;
  let started = false;
  let ticking = false;
  let kicked = false;
  /** The loop stopped claiming at maxInFlight: a finished delivery restarts it. */
  let full = false;

  // Group commit of acknowledgements: rows acked while an UPDATE runs go out in the next one.
  type MarkBatch = { rows: ClaimedRow[]; done: Promise<void>; settle: (error?: unknown) => void };
  let pendingMarks: MarkBatch | undefined;
  let marking = false;
  function markPublished(row: ClaimedRow): Promise<void> {
    if (!pendingMarks) {
      let settle!: (error?: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => (error === undefined ? resolve() : reject(error));
      });
      pendingMarks = { rows: [], done, settle };
    }
    pendingMarks.rows.push(row);
    const { done } = pendingMarks;
    if (!marking) void flushMarks();
    return done;
  }
  async function flushMarks() {
    marking = true;
    while (pendingMarks) {
      const batch = pendingMarks;
      pendingMarks = undefined;
      try {
        const ids = batch.rows.map((r) => r.id);
        const keys = [...new Set(batch.rows.flatMap((r) => (r.orderingKey ? [r.orderingKey] : [])))];
        await db
          .update(outbox)
          .set({ publishedAt: sql`now()`, leaseUntil: null, lastError: null })
          .where(inArray(outbox.id, ids));
        batch.settle();
        // A key's next row is left unclaimed while this one is in flight: claim it now, if any.
        if (keys.length > 0 && started && (await waitingBehind(keys))) kick();
      } catch (error) {
        batch.settle(error ?? new Error("marking outbox rows failed"));
      }
    }
    marking = false;
  }
  /** Is an unpublished row that no relay holds waiting with one of these ordering keys? */
  async function waitingBehind(keys: string[]): Promise<boolean> {
    const rows = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNull(outbox.publishedAt),
          or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, sql`now()`)),
          inArray(outbox.orderingKey, keys),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  /** Publishes one row; resolves true once it is acknowledged and marked, false when it failed. */
  function deliver(row: ClaimedRow): Promise<boolean> {
    const event: EventEnvelope = {
      id: row.eventId,
      topic: row.topic as Topic,
      occurredAt: row.createdAt.toISOString(),
      ...(row.orderingKey ? { orderingKey: row.orderingKey } : {}),
      data: row.payload as EventEnvelope["data"],
    };
    const delivery = bus.publish(event).then(
      async () => {
        try {
          await markPublished(row);
          return true;
        } catch (error) {
          // Delivered but not marked: the lease runs out and the row is published again
          // (at-least-once; consumers de-duplicate).
          logger.warn(
            { eventId: row.eventId, error: describeError(error) },
            "outbox row delivered but not marked",
          );
          return false;
        }
      },
      async (reason) => {
        const error = describeError(reason);
        logger.warn({ eventId: row.eventId, topic: row.topic, error }, "outbox publish failed; will retry");
        await db
          .update(outbox)
          .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, leaseUntil: null })
          // A copy published by another claim after our lease ran out may have marked it already.
          .where(and(eq(outbox.id, row.id), isNull(outbox.publishedAt)))
          .catch((markError: unknown) =>
            logger.warn(
              { eventId: row.eventId, error: describeError(markError) },
              "outbox failure not recorded",
            ),
          );
        return false;
      },
    );
    inFlight.add(delivery);
    void delivery.finally(() => {
      inFlight.delete(delivery);
      if (full && started) {
        full = false;
        schedule(0);
      }
    });
    return delivery;
  }

  /** Claims up to `limit` rows and publishes them (in id order, without waiting). Claims never overlap. */
  function claimAndPublish(limit: number): Promise<Promise<boolean>[]> {
    const next = claiming.then(async () => (await claim(limit)).map(deliver));
    claiming = next.catch(() => {});
    return next;
  }

  async function relayOnce(): Promise<number> {
    const deliveries = await claimAndPublish(batchSize);
    const results = await Promise.all(deliveries);
    return results.filter(Boolean).length;
  }

  function schedule(delay: number) {
    if (!started) return;
    clearTimeout(timer);
    timerAt = Date.now() + delay;
    timer = setTimeout(tick, delay);
  }

  async function tick() {
    timer = undefined;
    if (ticking) {
      kicked = true;
      return;
    }
    ticking = true;
    kicked = false;
    lastClaimAt = Date.now();
    let again = false;
    try {
      const room = maxInFlight - inFlight.size;
      if (room <= 0) {
        full = true;
      } else {
        const limit = Math.min(batchSize, room);
        again = (await claimAndPublish(limit)).length >= limit;
      }
    } catch (error) {
      logger.error({ error: describeError(error) }, "outbox relay claim failed");
    } finally {
      ticking = false;
    }
    if (!full) schedule(again ? 0 : kicked ? kickDelay() : intervalMs);
  }

  /**
   * Kicks (one per producer commit) are served at most every KICK_SPACING_MS: at hundreds of
   * commits per second one claim takes many rows instead of each claim taking one, for a few
   * milliseconds of latency.
   */
  function kickDelay(): number {
    return Math.max(0, lastClaimAt + KICK_SPACING_MS - Date.now());
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
      await claiming;
      await withDeadline(
        Promise.allSettled([...inFlight]).then(() => true),
        stopTimeoutMs,
        false,
      );
    },
    kick,
  };

  /** A claim within `delay` ms (sooner if one is already due sooner). */
  /** A claim soon (see kickDelay), unless one is already due sooner. */
  function kick() {
    if (!started) return;
    if (ticking) {
      kicked = true;
      return;
    }
    const delay = kickDelay();
    if (full || (timer && timerAt <= Date.now() + delay)) return;
    schedule(delay);
  }
}

/** The claim statement (step 1, docs/decisions/outbox-relay.md) for `limit` rows, in id order. */
function claimer(db: Db, leaseMs: number) {
  return async function claim(limit: number) {
    const earlier = alias(outbox, "earlier");
    const candidates = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNull(outbox.publishedAt),
          or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, sql`now()`)),
          // Keep per-key order across claims and relays: leave a row while an earlier one with its
          // key is leased (in flight, not yet acknowledged).
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
      .limit(limit)
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
  };
}
