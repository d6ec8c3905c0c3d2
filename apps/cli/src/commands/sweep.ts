import { createHmac } from "node:crypto";
import { DEFAULT_REMINDER_DAYS, subscriptions } from "@telepay/db";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { CliError } from "../args.ts";
import type { Command } from "../command.ts";
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
    const env = await ctx.env();
    if (!env.NOTIFIER_URL || !env.WEBHOOK_SIGNING_SECRET) {
      throw new CliError(
        "a real sweep runs in the notifier: set NOTIFIER_URL and WEBHOOK_SIGNING_SECRET (or use --dry-run)",
      );
    }
    // The notifier's /jobs/sweep body is strict (unknown keys are a 400): send only what it reads.
    const body = JSON.stringify({});
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", env.WEBHOOK_SIGNING_SECRET).update(`${t}.${body}`).digest("hex");
    const url = `${env.NOTIFIER_URL}/jobs/sweep`;
    if (ctx.stderr.isTTY) ctx.stderr.write(`sweeping via ${url} …`);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": `t=${t},v1=${v1}` },
        body,
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the notifier at ${url}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    } finally {
      if (ctx.stderr.isTTY) ctx.stderr.write("\r\x1b[K");
    }
    const text = await response.text();
    if (!response.ok) {
      throw new CliError(`the notifier answered ${response.status} to ${url}: ${text.slice(0, 200)}`);
    }
    let result: unknown = text;
    try {
      result = JSON.parse(text);
    } catch {}
    ctx.print(
      { status: "swept", result },
      `Sweep done: ${typeof result === "string" ? result : JSON.stringify(result)}`,
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

export const sweepCommands: readonly Command[] = [sweep];
