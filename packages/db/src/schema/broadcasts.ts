import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, instant, telegramId } from "./columns.ts";

export const BROADCAST_STATUSES = ["pending", "sending", "done", "cancelled"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** Who a broadcast goes to: live subscribers, lapsed ones, or everyone who ever paid or subscribed. */
export const BROADCAST_AUDIENCES = ["active", "expired", "all"] as const;
export type BroadcastAudience = (typeof BROADCAST_AUDIENCES)[number];

/** An owner's message to every active subscriber of a channel. */
export const broadcasts = pgTable(
  "broadcasts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    requestedBy: telegramId("requested_by").notNull(),
    text: text("text").notNull(),
    /** A Telegram photo file id; `text` is then its caption. */
    photoFileId: text("photo_file_id"),
    audience: text("audience", { enum: BROADCAST_AUDIENCES }).notNull().default("active"),
    status: text("status", { enum: BROADCAST_STATUSES }).notNull().default("pending"),
    total: integer("total").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** The owner's progress message, edited in place; kept so a resumed broadcast edits the same one. */
    progressMessageId: integer("progress_message_id"),
    createdAt: createdAt(),
    finishedAt: instant("finished_at"),
  },
  (t) => [index("broadcasts_channel_created_idx").on(t.channelId, t.createdAt)],
);

/** Per-recipient delivery state: a crashed broadcast resumes with the rows still pending. */
export const broadcastDeliveries = pgTable(
  "broadcast_deliveries",
  {
    broadcastId: integer("broadcast_id")
      .notNull()
      .references(() => broadcasts.id, { onDelete: "cascade" }),
    userId: telegramId("user_id").notNull(),
    /** pending | sending | sent | failed */
    status: text("status").notNull().default("pending"),
    error: text("error"),
    /** When a sender claimed the row ("sending"); a claim older than the lease is taken over after a crash. */
    claimedAt: instant("claimed_at"),
    sentAt: instant("sent_at"),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.userId] }),
    index("broadcast_deliveries_pending_idx").on(t.broadcastId, t.status),
  ],
);
