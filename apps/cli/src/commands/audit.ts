import { auditLog } from "@telepay/db";
import { and, desc, eq, gte } from "drizzle-orm";
import { isoInstant, rowId, UsageError } from "../args.ts";
import { type Command, opt } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { table } from "../output.ts";

const list: Command = {
  path: ["audit", "list"],
  summary: "Show the audit log: who changed what (owner edits, grants, revocations, removals, reviews).",
  usage: "audit list [--channel <id>] [--since <ISO time>] [--limit <n>] [--json]",
  details: [
    "  --json   one object per entry: action, actor (owner | cli | system), actorTelegramId, channelId,",
    "           userId (the subscriber concerned), at, details",
    "  --limit  the most recent n entries (default 1000), printed oldest first",
  ].join("\n"),
  options: { channel: { type: "string" }, since: { type: "string" }, limit: { type: "string" } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelArg = opt(values, "channel");
    const sinceArg = opt(values, "since");
    const limitArg = opt(values, "limit");
    const channelId = channelArg === undefined ? undefined : rowId(channelArg, "channel");
    const since = sinceArg === undefined ? undefined : isoInstant(sinceArg, "since");
    const limit = limitArg === undefined ? 1000 : Number(limitArg.trim());
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
      throw new UsageError(`--limit must be a whole number between 1 and 100000, got '${limitArg}'`);
    }
    const { db } = await ctx.database();
    if (channelId !== undefined) await requireChannel(db, channelId);
    const where = and(
      channelId !== undefined ? eq(auditLog.channelId, channelId) : undefined,
      since ? gte(auditLog.createdAt, since) : undefined,
    );
    // The newest `limit`, shown in the order they happened.
    const rows = (
      await db
        .select()
        .from(auditLog)
        .where(where)
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(limit)
    ).reverse();
    const data = rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor,
      actorTelegramId: r.actorTelegramId,
      channelId: r.channelId,
      userId: r.subjectUserId,
      at: r.createdAt,
      details: r.details,
    }));
    ctx.print(
      data,
      data.length === 0
        ? "The audit log has no entries for this selection."
        : table(
            data.map((d) => ({ ...d, details: JSON.stringify(d.details) })),
            ["at", "action", "actor", "channelId", "userId", "details"],
          ),
    );
  },
};

export const auditCommands: readonly Command[] = [list];
