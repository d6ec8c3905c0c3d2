import { bigint, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant, updatedAt } from "./columns.ts";

/** grammY session and conversation state: survives restarts and is shared by every instance. */
export const botSessions = pgTable(
  "bot_sessions",
  {
    key: text("key").primaryKey(),
    value: jsonb("value").notNull(),
    /** Optional expiry (keypad / conversations time out); null = keep. */
    expiresAt: instant("expires_at"),
    updatedAt: updatedAt(),
  },
  (t) => [index("bot_sessions_expires_idx").on(t.expiresAt)],
);

/** Telegram update ids already handled: webhook retries and duplicates are dropped. */
export const processedUpdates = pgTable("processed_updates", {
  updateId: bigint("update_id", { mode: "number" }).primaryKey(),
  receivedAt: createdAt(),
});

/** Seen internal request signatures (replay protection shared by all instances). */
export const replayGuard = pgTable(
  "replay_guard",
  {
    key: text("key").primaryKey(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("replay_guard_expires_idx").on(t.expiresAt)],
);
