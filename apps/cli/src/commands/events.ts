import { createOutcomes } from "@telepay/commerce";
import { CliError, rowId, UsageError } from "../args.ts";
import type { Command } from "../command.ts";
import { loadEvents } from "../lookups.ts";
import { statusJson } from "../outcome.ts";
import { table } from "../output.ts";

const list: Command = {
  path: ["events", "dead-letters", "list"],
  summary: "List events a consumer gave up on (not replayed yet; --all for every one).",
  usage: "events dead-letters list [--all] [--json]",
  options: { all: { type: "boolean", default: false } },
  maxPositionals: 0,
  async run(ctx, values) {
    const { db } = await ctx.database();
    const { listDeadLetters } = await loadEvents();
    const rows = await listDeadLetters(db, { all: values.all === true });
    ctx.print(
      rows.map((r) => ({
        id: r.id,
        eventId: r.eventId,
        topic: r.topic,
        subscription: r.subscription,
        reason: r.reason,
        attempts: r.attempts,
        source: r.source,
        at: r.createdAt,
        replayedAt: r.replayedAt,
        payload: r.payload,
      })),
      rows.length === 0
        ? "No dead letters."
        : table(
            rows.map((r) => ({ ...r, at: r.createdAt, reason: r.reason.slice(0, 60) })),
            ["id", "at", "topic", "subscription", "attempts", "source", "reason"],
          ),
    );
  },
};

const replay: Command = {
  path: ["events", "dead-letters", "replay"],
  summary: "Publish dead letters again through the outbox (all not yet replayed, or one by id).",
  usage: "events dead-letters replay [<id>] [--json]",
  details:
    "The relay of the running services publishes them within a second or two; consumers re-read the database.",
  options: {},
  maxPositionals: 1,
  async run(ctx, _values, positionals) {
    const id = positionals[0] === undefined ? undefined : rowId(positionals[0], "<id>");
    const { db } = await ctx.database();
    const { replayDeadLetters } = await loadEvents();
    const results = await replayDeadLetters(db, id === undefined ? undefined : [id]);
    if (id !== undefined && results.length === 0) {
      throw new CliError(
        `no dead letter ${id} waiting for a replay (see telepay events dead-letters list --all)`,
      );
    }
    const refused = results.filter((r) => r.outcome === "refused");
    ctx.print(
      results,
      results.length === 0
        ? "Nothing to replay."
        : results
            .map((r) => `#${r.id} ${r.topic} ${r.eventId}: ${r.outcome}${r.reason ? ` (${r.reason})` : ""}`)
            .join("\n"),
    );
    if (refused.length > 0) throw new CliError(`${refused.length} dead letter(s) cannot be replayed`);
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const status: Command = {
  path: ["events", "status"],
  summary: "Where the work behind an event stands: its outcome, a dead letter, or still queued.",
  usage: "events status <event id> [--json]",
  details:
    "States: ok, failed, skipped (with the notifier's reason), dead_lettered, published (the notifier has it),\n" +
    "queued (still in the outbox), unknown. Event ids are printed by channel publish and subscription grant|extend|revoke.",
  options: {},
  maxPositionals: 1,
  async run(ctx, _values, positionals) {
    const eventId = positionals[0];
    if (eventId === undefined) throw new UsageError("missing event id");
    if (!UUID.test(eventId)) throw new UsageError(`<event id> must be a uuid, got '${eventId}'`);
    const { db } = await ctx.database();
    const found = await createOutcomes({ db }).status(eventId.toLowerCase());
    if (found.state === "unknown") throw new CliError(`no event ${eventId} in this database`);
    const details = Object.entries(found.details)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(", ");
    ctx.print(
      statusJson(found),
      `${found.eventId} ${found.topic}: ${found.state}${found.reason ? ` — ${found.reason}` : ""}${details ? ` (${details})` : ""}`,
    );
  },
};

export const eventsCommands: readonly Command[] = [list, replay, status];
