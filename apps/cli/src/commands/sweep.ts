import { DEFAULT_REMINDER_DAYS, subscriptions } from "@telepay/db";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import type { Command } from "../command.ts";
import { postNotifierJob } from "../notifier-jobs.ts";
import { table } from "../output.ts";

const DAY_MS = 86_400_000;

/**
 * `telepay sweep`: the expiry sweep removes people from Telegram channels, and the CLI never talks to
 * Telegram (the notifier owns the bot token, rate limits and retry bookkeeping). So a real sweep is
 * a signed POST to the running notifier's /jobs/sweep — the very request Cloud Scheduler makes —
 * and `--dry-run` is a read-only query that changes nothing anywhere.
 */
const sweep: Command = {
  path: ["sweep"],
  summary:
    "Run the expiry sweep once in the running notifier, or --dry-run to list who would be removed/reminded.",
  usage: "sweep [--dry-run] [--json]",
  details: [
    "  --dry-run  read-only: list subscriptions the sweep would remove now and reminders it would send",
    "A real sweep POSTs a signed request to $NOTIFIER_URL/jobs/sweep (e.g. http://127.0.0.1:8080 for `pnpm start`)",
    "with WEBHOOK_SIGNING_SECRET; the notifier does the Telegram work.",
  ].join("\n"),
  options: { "dry-run": { type: "boolean", default: false } },
  maxPositionals: 0,
  async run(ctx, values) {
    if (values["dry-run"] === true) return dryRun(ctx);
    // The notifier's /jobs/sweep takes optional {dryRun, batchSize, maxBatches}; {} = its defaults.
    const result = await postNotifierJob(ctx, "sweep", {});
    const r = result as Partial<
      Record<"claimed" | "removed" | "reminded" | "alreadyGone" | "failed", number>
    >;
    ctx.print(
      { status: "swept", result },
      typeof result === "string"
        ? `Sweep done: ${result}`
        : `Sweep done: ${r.claimed ?? 0} due, ${r.removed ?? 0} removed, ${r.alreadyGone ?? 0} already gone, ${r.reminded ?? 0} reminded, ${r.failed ?? 0} failed (retried later).`,
    );
  },
};

async function dryRun(ctx: Parameters<Command["run"]>[0]) {
  const { db } = await ctx.database();
  const now = new Date();
  const expired = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.status, "active"), lte(subscriptions.expiresAt, now)))
    .orderBy(asc(subscriptions.expiresAt));
  const horizon = new Date(now.getTime() + Math.max(...DEFAULT_REMINDER_DAYS) * DAY_MS);
  const soon = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.status, "active"),
        gt(subscriptions.expiresAt, now),
        lte(subscriptions.expiresAt, horizon),
      ),
    )
    .orderBy(asc(subscriptions.expiresAt));
  const removals = expired.map((s) => ({
    subscriptionId: s.id,
    userId: s.userId,
    channelId: s.channelId,
    expiresAt: s.expiresAt,
    removalAttempts: s.removalAttempts,
    lastError: s.lastError,
  }));
  const reminders = soon.flatMap((s) => {
    // The most urgent reminder not yet sent whose moment has come (the sweep sends one, not all).
    const due = DEFAULT_REMINDER_DAYS.filter(
      (d) => !s.remindersSent.includes(d) && s.expiresAt.getTime() - d * DAY_MS <= now.getTime(),
    ).sort((a, b) => a - b)[0];
    return due === undefined
      ? []
      : [
          {
            subscriptionId: s.id,
            userId: s.userId,
            channelId: s.channelId,
            expiresAt: s.expiresAt,
            daysBefore: due,
          },
        ];
  });
  ctx.print(
    { dryRun: true, at: now, removals, reminders },
    [
      `Dry run at ${now.toISOString()}: nothing was changed.`,
      `Would remove (${removals.length}):`,
      table(removals, ["subscriptionId", "userId", "channelId", "expiresAt", "removalAttempts"]),
      `Would remind (${reminders.length}):`,
      table(reminders, ["subscriptionId", "userId", "channelId", "expiresAt", "daysBefore"]),
    ].join("\n"),
  );
}

/** `telepay relay`: publish outbox events now (the notifier's relay; Cloud Scheduler runs this too). */
const relay: Command = {
  path: ["relay"],
  summary: "Ask the notifier to publish pending outbox events now (signed POST /jobs/relay).",
  usage: "relay [--json]",
  details:
    "Same target and secret as `telepay sweep` (NOTIFIER_URL + WEBHOOK_SIGNING_SECRET, or the running pnpm start).",
  options: {},
  maxPositionals: 0,
  async run(ctx) {
    const result = await postNotifierJob(ctx, "relay", {});
    const published = (result as { published?: number }).published;
    ctx.print(
      { status: "relayed", result },
      `Relayed: ${published ?? JSON.stringify(result)} event(s) published.`,
    );
  },
};

export const sweepCommands: readonly Command[] = [sweep, relay];
