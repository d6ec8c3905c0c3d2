import { jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";

/** ok: done; failed: failed for good (reason); skipped: nothing to do any more (superseded, gone). */
export const EVENT_OUTCOMES = ["ok", "failed", "skipped"] as const;
export type EventOutcomeValue = (typeof EVENT_OUTCOMES)[number];

/**
 * What the consumer of an event an operator waits on (channel.publish_requested,
 * subscription.changed) finally made of it: done, or failed for good with the reason. The CLI
 * polls it (with dead_letters) to exit with the truth instead of "Queued". First outcome wins.
 */
export const eventOutcomes = pgTable("event_outcomes", {
  eventId: uuid("event_id").primaryKey(),
  topic: text("topic").notNull(),
  outcome: text("outcome", { enum: EVENT_OUTCOMES }).notNull(),
  /** One line for a failure (e.g. "Bad Request: chat not found"); null when ok. */
  reason: text("reason"),
  /** What was done, e.g. {invite: "sent"} or {dm: "unreachable"}. */
  details: jsonb("details").notNull().default({}),
  createdAt: createdAt(),
});
