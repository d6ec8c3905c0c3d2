import { integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.ts";

/**
 * Events a consumer gave up on (poison, or failing on every allowed delivery), on any bus, so an
 * operator can see and replay them (`telepay events dead-letters list|replay`). The Pub/Sub
 * dead-letter topics hold copies as well; the CLI folds those in here.
 */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid("event_id").notNull(),
    topic: text("topic").notNull(),
    /** The consumer (subscription) that gave up. */
    subscription: text("subscription").notNull(),
    orderingKey: text("ordering_key"),
    /** The event's payload as it was delivered (for replay when the outbox row is gone). */
    payload: jsonb("payload"),
    occurredAt: instant("occurred_at"),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** in-process, pubsub-pull, pubsub-push or pubsub-dlq (found on a dead-letter topic). */
    source: text("source").notNull(),
    createdAt: createdAt(),
    /** Set when an operator replayed it; a later dead-lettering of the same event clears it. */
    replayedAt: instant("replayed_at"),
  },
  (t) => [unique("dead_letters_event_subscription_uq").on(t.eventId, t.subscription)],
);
