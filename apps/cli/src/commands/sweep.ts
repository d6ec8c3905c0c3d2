import { createSweep } from "@telepay/commerce";
import type { Command } from "../command.ts";
import { postNotifierJob } from "../notifier-jobs.ts";
import { table } from "../output.ts";

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
  const env = await ctx.env();
  const now = new Date();
  // The very rule the notifier's sweep claims with (packages/commerce sweep): what it lists is what a
  // sweep now would do. Capped like one /jobs/sweep request (50 batches of 1000).
  const plan = await createSweep({ db }).plan({ now, limit: 50_000, reminderDays: env.REMINDER_DAYS });
  const removals = plan.flatMap(({ action, subscription: s }) =>
    action === "remove"
      ? [
          {
            subscriptionId: s.id,
            userId: s.userId,
            channelId: s.channelId,
            expiresAt: s.expiresAt,
            removalAttempts: s.removalAttempts,
            lastError: s.lastError,
          },
        ]
      : [],
  );
  const reminders = plan.flatMap((item) =>
    item.action === "remind"
      ? [
          {
            subscriptionId: item.subscription.id,
            userId: item.subscription.userId,
            channelId: item.subscription.channelId,
            expiresAt: item.subscription.expiresAt,
            daysBefore: item.reminderDays,
          },
        ]
      : [],
  );
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
