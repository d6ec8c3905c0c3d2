import { integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, telegramId, updatedAt } from "./columns.ts";

export const POST_KINDS = ["tiers", "donation"] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** The tier post (open channel) and donation post (closed channel), edited in place on republish. */
export const channelPosts = pgTable(
  "channel_posts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: POST_KINDS }).notNull(),
    chatId: telegramId("chat_id").notNull(),
    messageId: integer("message_id").notNull(),
    /** Hash of the rendered text + buttons: an unchanged post is not edited again. */
    contentHash: text("content_hash").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("channel_posts_channel_kind_uq").on(t.channelId, t.kind)],
);
