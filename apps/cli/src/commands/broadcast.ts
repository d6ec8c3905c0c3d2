import { readFile } from "node:fs/promises";
import { type BroadcastStatus, CommerceError, createBroadcasts, parseAudience } from "@telepay/commerce";
import { BROADCAST_AUDIENCES } from "@telepay/db";
import { CliError, required, rowId, UsageError } from "../args.ts";
import { type Command, type CommandContext, opt } from "../command.ts";
import { createProgress } from "../output.ts";

const CLI = { kind: "cli" } as const;
/** How often a terminal's progress bar asks the database again. */
const POLL_MS = 1000;

function broadcastJson(b: BroadcastStatus) {
  return {
    id: b.id,
    channelId: b.channelId,
    audience: b.audience,
    status: b.status,
    total: b.total,
    sent: b.sent,
    failed: b.failed,
    blocked: b.blocked,
    pending: b.pending,
    cancelled: b.cancelled,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
  };
}

/** The core's refusal as one line: bad input exits 2, the rest (limit, not found) 1. */
function cliError(err: unknown): unknown {
  if (!(err instanceof CommerceError)) return err;
  if (err.code === "INVALID") return new UsageError(err.message);
  return new CliError(err.message);
}

const human = (b: BroadcastStatus) =>
  `Broadcast ${b.id} (channel ${b.channelId}, ${b.audience}): ${b.status}; ${b.sent} sent, ${b.failed} failed${b.blocked ? ` (${b.blocked} blocked the bot or left)` : ""}, ${b.pending} pending${b.cancelled ? `, ${b.cancelled} cancelled` : ""} of ${b.total}.`;

/** On a terminal: a progress bar until the notifier finished (Ctrl-C stops watching, not sending). */
async function watch(ctx: CommandContext, b: BroadcastStatus): Promise<BroadcastStatus> {
  if (ctx.json || ctx.stderr.isTTY !== true) return b;
  const { db } = await ctx.database();
  const broadcasts = createBroadcasts({ db });
  const progress = createProgress(ctx.stderr, `broadcast ${b.id} (Ctrl-C stops watching, not sending)`);
  let current = b;
  while (current.status === "sending" || current.status === "pending") {
    progress.update(current.sent + current.failed, current.total);
    await new Promise((r) => setTimeout(r, POLL_MS));
    current = await broadcasts.status(CLI, b.id);
  }
  progress.done();
  return current;
}

const send: Command = {
  path: ["broadcast", "send"],
  summary: "Send a message to a channel's subscribers (the notifier delivers it, paced and resumable).",
  usage: `broadcast send --channel <id> (--text <t> | --file <path>) [--audience ${BROADCAST_AUDIENCES.join("|")}] [--json]`,
  details: [
    "  --text      the message, as plain text (shown exactly as typed)",
    "  --file      read the message from a UTF-8 file instead",
    "  --audience  active (default): current subscribers; expired: lapsed ones; all: everyone who ever paid",
    "At most BROADCASTS_PER_CHANNEL_PER_DAY broadcasts per channel in 24 hours (default 3).",
    "On a terminal a progress bar follows the delivery; telepay broadcast status|cancel <id> later.",
  ].join("\n"),
  options: {
    channel: { type: "string" },
    text: { type: "string" },
    file: { type: "string" },
    audience: { type: "string" },
  },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
    const textArg = opt(values, "text");
    const file = opt(values, "file");
    if ((textArg === undefined) === (file === undefined))
      throw new UsageError("give either --text <t> or --file <path>");
    let audience: ReturnType<typeof parseAudience>;
    try {
      audience = parseAudience(opt(values, "audience") ?? "active");
    } catch (err) {
      throw cliError(err);
    }
    let text = textArg;
    if (file !== undefined) {
      text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`--file ${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
      });
    }
    const env = await ctx.env();
    const { db } = await ctx.database();
    const created = await createBroadcasts({ db })
      .create(CLI, { channelId, text: text!, audience, limitPerDay: env.BROADCASTS_PER_CHANNEL_PER_DAY })
      .catch((err: unknown) => {
        throw cliError(err);
      });
    const final = await watch(ctx, created);
    ctx.print(broadcastJson(final), human(final));
  },
};

function byId(action: "status" | "cancel"): Command {
  return {
    path: ["broadcast", action],
    summary:
      action === "status"
        ? "Show a broadcast's progress."
        : "Stop a broadcast: recipients not reached yet get nothing.",
    usage: `broadcast ${action} <id> [--json]`,
    options: {},
    maxPositionals: 1,
    async run(ctx, _values, positionals) {
      if (positionals[0] === undefined) throw new UsageError("missing broadcast id");
      const id = rowId(positionals[0], "<id>");
      const { db } = await ctx.database();
      const broadcasts = createBroadcasts({ db });
      const b = await (action === "status" ? broadcasts.status(CLI, id) : broadcasts.cancel(CLI, id)).catch(
        (err: unknown) => {
          throw cliError(err);
        },
      );
      ctx.print(broadcastJson(b), human(b));
    },
  };
}

export const broadcastCommands: readonly Command[] = [send, byId("status"), byId("cancel")];
