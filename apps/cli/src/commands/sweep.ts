import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_REMINDER_DAYS, embeddedPaths, readLock, subscriptions } from "@telepay/db";
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
    const { url, secret } = await sweepTarget(ctx);
    // The notifier's /jobs/sweep takes optional {dryRun, batchSize, maxBatches}; {} = its defaults.
    const body = "{}";
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    if (ctx.stderr.isTTY) ctx.stderr.write(`sweeping via ${url} …`);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": `t=${t},v1=${v1}` },
        body,
        signal: AbortSignal.timeout(300_000),
      });
    } catch (error) {
      const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new CliError(`cannot reach the notifier at ${url}: ${reason}`);
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

/**
 * Where to send the sweep: NOTIFIER_URL + WEBHOOK_SIGNING_SECRET when set; on the embedded default
 * with `pnpm start` running, that process on 127.0.0.1:$PORT with the secret it keeps in
 * DATA_DIR/signing-secret.
 */
async function sweepTarget(ctx: Parameters<Command["run"]>[0]): Promise<{ url: string; secret: string }> {
  const env = await ctx.env();
  let base = env.NOTIFIER_URL;
  let secret = env.WEBHOOK_SIGNING_SECRET;
  const embedded = !env.DATABASE_URL && !env.CLOUD_SQL_CONNECTION_NAME;
  if (embedded && (!base || !secret)) {
    const lock = await readLock(embeddedPaths(env.DATA_DIR).lockFile);
    if (lock?.mode === "serve") {
      base ??= `http://127.0.0.1:${env.PORT}`;
      secret ??=
        (await readFile(join(env.DATA_DIR, "signing-secret"), "utf8").catch(() => "")).trim() || undefined;
    }
  }
  if (!base || !secret) {
    throw new CliError(
      "a real sweep runs in the notifier: start TelePay (pnpm start) or set NOTIFIER_URL and WEBHOOK_SIGNING_SECRET (or use --dry-run)",
    );
  }
  return { url: `${base}/jobs/sweep`, secret };
}

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
