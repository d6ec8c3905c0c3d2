import type { ParseArgsOptionsConfig } from "node:util";
import { createOutcomes, type EventStatus, FINAL_EVENT_STATES } from "@telepay/commerce";
import { CliError, UsageError } from "./args.ts";
import { type ArgValues, type CommandContext, opt } from "./command.ts";

/** Default wait for the notifier's outcome: long enough for Telegram's 429 pauses and a few redeliveries. */
export const DEFAULT_WAIT_SECONDS = 60;
const POLL_MS = 250;

/** The options of every command that waits for the work it queued. */
export const WAIT_OPTIONS = {
  "no-wait": { type: "boolean", default: false },
  timeout: { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

export const WAIT_HELP = [
  `  --timeout <seconds>  how long to wait for the notifier's outcome (default ${DEFAULT_WAIT_SECONDS})`,
  "  --no-wait            return once the work is queued (check later: telepay events status <event id>)",
].join("\n");

/** --no-wait / --timeout as a wait in milliseconds (undefined: do not wait). Validated before any change. */
export function waitOption(values: ArgValues): number | undefined {
  const raw = opt(values, "timeout");
  if (values["no-wait"] === true) {
    if (raw !== undefined) throw new UsageError("give either --no-wait or --timeout, not both");
    return undefined;
  }
  if (raw === undefined) return DEFAULT_WAIT_SECONDS * 1000;
  const v = raw.trim();
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(v) || Number(v) <= 0 || Number(v) > 3600) {
    throw new UsageError(`--timeout must be a number of seconds between 1 and 3600, got '${raw}'`);
  }
  return Math.round(Number(v) * 1000);
}

/**
 * Polls the database until the event's work has an outcome (recorded by the notifier, or a dead
 * letter) or `timeoutMs` passes; returns the last status seen. The CLI has no bus subscription, and
 * the notifier may be another process or machine: the database is what both see.
 */
export async function waitForOutcome(
  ctx: CommandContext,
  eventId: string,
  timeoutMs: number,
): Promise<{ status: EventStatus; timedOut: boolean; waitedMs: number }> {
  const { db } = await ctx.database();
  const outcomes = createOutcomes({ db });
  const started = Date.now();
  const spin = ctx.stderr.isTTY === true;
  for (;;) {
    const status = await outcomes.status(eventId);
    const waitedMs = Date.now() - started;
    if (FINAL_EVENT_STATES.includes(status.state)) {
      if (spin) ctx.stderr.write("\r\x1b[K");
      return { status, timedOut: false, waitedMs };
    }
    if (waitedMs >= timeoutMs) {
      if (spin) ctx.stderr.write("\r\x1b[K");
      return { status, timedOut: true, waitedMs };
    }
    if (spin) ctx.stderr.write(`\rwaiting for the notifier (${Math.floor(waitedMs / 1000)} s)…\x1b[K`);
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, timeoutMs - waitedMs))));
  }
}

/** Why a timed-out event is still waiting, and how to look again: the tail of the CLI's message. */
export function stillQueued(status: EventStatus, waitedMs: number): string {
  const where =
    status.state === "queued"
      ? "it is still in the outbox: is TelePay (pnpm start) or the notifier and its relay running?"
      : "the notifier has it but has not finished";
  return `still queued after ${Math.round(waitedMs / 1000)} s (${where}${status.reason ? ` last error: ${status.reason}` : ""}); check with: telepay events status ${status.eventId}`;
}

/** The JSON of an event's status (the `outcome` field of waiting commands, `events status`). */
export function statusJson(status: EventStatus) {
  return {
    eventId: status.eventId,
    status: status.state,
    topic: status.topic,
    reason: status.reason,
    details: status.details,
    at: status.at,
  };
}

/**
 * Ends a waiting command: prints `data` (+ the outcome) with --json, or `okText` when the work was
 * done; anything else (failed, skipped, dead-lettered, timed out) exits 1 with a one-line reason
 * that starts with `what` (e.g. "publishing channel 5").
 */
export function finishWait(
  ctx: CommandContext,
  what: string,
  waited: { status: EventStatus; timedOut: boolean; waitedMs: number },
  data: Record<string, unknown>,
  okText: (status: EventStatus) => string,
): void {
  const { status, timedOut, waitedMs } = waited;
  const json = {
    ...data,
    outcome: timedOut ? "queued" : status.state,
    reason: status.reason,
    details: status.details,
    waitedMs,
  };
  if (status.state === "ok") {
    ctx.print(json, okText(status));
    return;
  }
  if (ctx.json) ctx.print(json, "");
  if (timedOut) throw new CliError(`${what}: ${stillQueued(status, waitedMs)}`);
  const verb = status.state === "skipped" ? "was skipped" : "failed";
  const detail = status.state === "dead_lettered" ? " (dead-lettered: telepay events dead-letters list)" : "";
  throw new CliError(
    `${what} ${verb}: ${status.reason ?? "no reason recorded"}${detail} (event ${status.eventId})`,
  );
}
