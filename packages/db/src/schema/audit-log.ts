import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { channels } from "./channels.ts";
import { createdAt, telegramId } from "./columns.ts";

/** Who changed what: owner edits, manual grants/revocations, removals by the sweep. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** "owner", "cli", "system" (sweep/notifier) */
    actor: text("actor").notNull(),
    actorTelegramId: telegramId("actor_telegram_id"),
    action: text("action").notNull(),
    channelId: integer("channel_id").references(() => channels.id, { onDelete: "set null" }),
    subjectUserId: telegramId("subject_user_id"),
    details: jsonb("details").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_channel_idx").on(t.channelId, t.createdAt)],
);
