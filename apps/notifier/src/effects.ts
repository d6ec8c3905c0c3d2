import { processedEvents } from "@telepay/db";
import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";

/**
 * Runs an effect outside the database (a Telegram message) once per (consumer, event id), under a
 * lease row in processed_events; only a crash right after the call repeats it.
 * How and why: docs/decisions/effects-once.md.
 */
export async function runEffectOnce(
  ctx: Ctx,
  consumer: string,
  eventId: string,
  effect: () => Promise<void>,
): Promise<"done" | "duplicate" | "busy"> {
  const { db } = ctx;
  const done = await db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, consumer), eq(processedEvents.eventId, eventId)));
  if (done.length > 0) return "duplicate";
  const lease = `${consumer}#lease`;
  const claimed = await db
    .insert(processedEvents)
    .values({ consumer: lease, eventId })
    .onConflictDoUpdate({
      target: [processedEvents.consumer, processedEvents.eventId],
      set: { processedAt: sql`now()` },
      setWhere: sql`${processedEvents.processedAt} < now() - ${ctx.leaseMs} * interval '1 millisecond'`,
    })
    .returning({ id: processedEvents.eventId });
  if (claimed.length === 0) return "busy";
  const release = () =>
    db
      .delete(processedEvents)
      .where(and(eq(processedEvents.consumer, lease), eq(processedEvents.eventId, eventId)));
  // Check again now that we hold the lease: a worker that finished between our first check and
  // our claim committed its done row together with dropping its lease, so it is visible here.
  const doneMeanwhile = await db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, consumer), eq(processedEvents.eventId, eventId)));
  if (doneMeanwhile.length > 0) {
    await release();
    return "duplicate";
  }
  try {
    // A worker that lost its lease to a take-over but finished anyway is harmless here: the
    // done-row insert is idempotent.
    await effect();
    await db.transaction(async (tx) => {
      await tx.insert(processedEvents).values({ consumer, eventId }).onConflictDoNothing();
      await tx
        .delete(processedEvents)
        .where(and(eq(processedEvents.consumer, lease), eq(processedEvents.eventId, eventId)));
    });
    return "done";
  } catch (err) {
    await release().catch(() => {});
    throw err;
  }
}

/** Maps a runEffectOnce outcome to a bus verdict: held by another worker is "busy", not a failure. */
export function verdictOf(outcome: "done" | "duplicate" | "busy"): "ack" | "busy" {
  return outcome === "busy" ? "busy" : "ack";
}
