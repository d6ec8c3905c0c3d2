import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.ts";

/** Events written in the same transaction as the state change; the relay publishes them after commit. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid("event_id").notNull().unique(),
    topic: text("topic").notNull(),
    orderingKey: text("ordering_key"),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    publishedAt: instant("published_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** A relay that claimed this row; others skip it until lease_until passes. */
    leaseUntil: instant("lease_until"),
  },
  (t) => [index("outbox_unpublished_idx").on(t.id).where(sql`${t.publishedAt} IS NULL`)],
);

/** (consumer, event_id) claimed in the consumer's transaction: exactly-once effects over at-least-once delivery. */
export const processedEvents = pgTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: uuid("event_id").notNull(),
    processedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);
