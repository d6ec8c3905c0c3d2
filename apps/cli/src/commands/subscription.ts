import { type AccessChanged, CommerceError, createAccess } from "@telepay/commerce";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus, subscriptions } from "@telepay/db";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { CliError, days, isoInstant, required, rowId, telegramUserId, UsageError } from "../args.ts";
import { type ArgValues, type Command, type CommandContext, opt } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { finishWait, WAIT_HELP, WAIT_OPTIONS, waitForOutcome, waitOption } from "../outcome.ts";
import { table } from "../output.ts";

type SubscriptionRow = typeof subscriptions.$inferSelect;

function subscriptionJson(s: SubscriptionRow) {
  return {
    id: s.id,
    userId: s.userId,
    channelId: s.channelId,
    tierId: s.tierId,
    status: s.status,
    /** A free trial (no payment) rather than a paid period. */
    trial: s.trial,
    startsAt: s.startsAt,
    expiresAt: s.expiresAt,
    remindersSent: s.remindersSent,
    removalAttempts: s.removalAttempts,
    lastError: s.lastError,
  };
}

const list: Command = {
  path: ["subscription", "list"],
  summary: "List subscriptions, optionally of one channel and/or one status.",
  usage: `subscription list [--channel <id>] [--status ${SUBSCRIPTION_STATUSES.join("|")}] [--user <tg id>] [--json]`,
  options: { channel: { type: "string" }, status: { type: "string" }, user: { type: "string" } },
  maxPositionals: 0,
  async run(ctx, values) {
    const filters: SQL[] = [];
    const channelArg = opt(values, "channel");
    const status = opt(values, "status");
    const userArg = opt(values, "user");
    if (status !== undefined && !SUBSCRIPTION_STATUSES.includes(status as SubscriptionStatus)) {
      throw new UsageError(`--status must be one of ${SUBSCRIPTION_STATUSES.join(", ")}, got '${status}'`);
    }
    const channelId = channelArg === undefined ? undefined : rowId(channelArg, "channel");
    const userId = userArg === undefined ? undefined : telegramUserId(userArg, "user");
    const { db } = await ctx.database();
    if (channelId !== undefined) {
      await requireChannel(db, channelId);
      filters.push(eq(subscriptions.channelId, channelId));
    }
    if (status !== undefined) filters.push(eq(subscriptions.status, status as SubscriptionStatus));
    if (userId !== undefined) filters.push(eq(subscriptions.userId, userId));
    const rows = await db
      .select()
      .from(subscriptions)
      .where(and(...filters))
      .orderBy(asc(subscriptions.expiresAt), asc(subscriptions.id));
    const data = rows.map(subscriptionJson);
    ctx.print(data, table(data, ["id", "userId", "channelId", "status", "trial", "startsAt", "expiresAt"]));
  },
};

type Action = "grant" | "extend" | "revoke";

const SUMMARIES: Record<Action, string> = {
  grant: "Give a user access to a channel for --days or until --until (the notifier sends the invite).",
  extend: "Extend a user's active subscription by --days, or move its expiry to --until.",
  revoke: "End a user's subscription now (the notifier removes them from the closed channel).",
};

function change(action: Action): Command {
  return {
    path: ["subscription", action],
    summary: SUMMARIES[action],
    usage:
      action === "revoke"
        ? "subscription revoke --channel <id> --user <tg id> [--no-wait | --timeout <seconds>] [--json]"
        : `subscription ${action} --channel <id> --user <tg id> (--days <n> | --until <ISO time>)${action === "extend" ? " [--allow-earlier]" : ""} [--no-wait | --timeout <seconds>] [--json]`,
    details:
      action === "revoke"
        ? `${WAIT_HELP}\nExits 1 with Telegram's reason when the user could not be removed.`
        : `${WAIT_HELP}\nExits 1 with the reason when the notifier could not deliver (e.g. no right to create invite links).\n` +
          "  --days   whole days added to the current expiry (or to now when not active)\n" +
          "  --until  exact new expiry, ISO 8601 with a zone, e.g. 2026-12-31T23:59:59Z; must be in the future" +
          (action === "extend"
            ? "\n  --allow-earlier  with --until: accept an expiry before the current one, even in the past (shortens\n" +
              "                   the subscription; the sweep then reminds and removes on the new date, e.g. to correct\n" +
              "                   a mistaken grant; audited with the previous expiry)"
            : ""),
    options: {
      channel: { type: "string" },
      user: { type: "string" },
      days: { type: "string" },
      until: { type: "string" },
      ...WAIT_OPTIONS,
      ...(action === "extend" ? { "allow-earlier": { type: "boolean" as const, default: false } } : {}),
    },
    maxPositionals: 0,
    run: (ctx, values) => changeSubscription(ctx, values, action),
  };
}

async function changeSubscription(ctx: CommandContext, values: ArgValues, action: Action) {
  const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
  const userId = telegramUserId(required(opt(values, "user"), "user"), "user");
  const daysArg = opt(values, "days");
  const untilArg = opt(values, "until");
  const allowEarlier = values["allow-earlier"] === true;
  const wait = waitOption(values);
  const now = new Date();
  let byDays: number | undefined;
  let until: Date | undefined;
  if (action === "revoke") {
    if (daysArg !== undefined || untilArg !== undefined)
      throw new UsageError("revoke takes no --days or --until");
  } else {
    if (daysArg !== undefined && untilArg !== undefined)
      throw new UsageError("give either --days or --until, not both");
    if (daysArg === undefined && untilArg === undefined)
      throw new UsageError("give --days <n> or --until <ISO time>");
    if (daysArg !== undefined) byDays = days(daysArg, "days");
    if (allowEarlier && untilArg === undefined) throw new UsageError("--allow-earlier goes with --until");
    if (untilArg !== undefined) {
      until = isoInstant(untilArg, "until");
      // An operator's correction (extend --allow-earlier) may end it in the past: the sweep removes
      // the user on its next run. Anything else in the past is a typo.
      if (until.getTime() <= now.getTime() && !(action === "extend" && allowEarlier)) {
        throw new UsageError(
          `--until ${until.toISOString()} is in the past${action === "extend" ? " (add --allow-earlier to end the subscription in the past on purpose)" : ""}`,
        );
      }
    }
  }

  const { db } = await ctx.database();
  const env = await ctx.env();
  await requireChannel(db, channelId);
  const access = createAccess({ db, reminderDays: env.REMINDER_DAYS });
  const input = { channelId, userId, actor: { kind: "cli" as const } };
  const timeChange = byDays !== undefined ? { days: byDays } : { until: until! };
  let result: AccessChanged;
  try {
    result =
      action === "revoke"
        ? await access.revoke(input)
        : action === "grant"
          ? await access.grant({ ...input, change: timeChange })
          : await access.extend({ ...input, change: timeChange, allowEarlier });
  } catch (err) {
    // The core's refusals (a live subscription granted again, …) are one-line reasons for the operator.
    if (err instanceof CommerceError) throw new CliError(err.message);
    throw err;
  }
  const row = result.subscription;
  const verb = { grant: "Granted", extend: "Extended", revoke: "Revoked" }[action];
  const human =
    action === "revoke"
      ? `Revoked subscription ${row.id} of user ${userId} to channel ${channelId}`
      : `${verb} subscription ${row.id}: user ${userId} in channel ${channelId} until ${row.expiresAt.toISOString()}`;
  const data = {
    ...subscriptionJson(row),
    action,
    previousExpiresAt: result.previousExpiresAt,
    eventId: result.eventId,
  };
  if (wait === undefined) {
    ctx.print(
      { ...data, outcome: "queued" },
      `${human}; the notifier ${action === "revoke" ? "removes them" : "tells them"} (not waiting; check: telepay events status ${result.eventId}).`,
    );
    return;
  }
  const waited = await waitForOutcome(ctx, result.eventId, wait);
  // The database change is made either way: a failure here is about Telegram, and says so.
  finishWait(
    ctx,
    `${human.replace(/^\w+/, (v) => v.toLowerCase())}, but telling Telegram`,
    waited,
    data,
    (status) => `${human}; ${telegramSide(action, status.details)}.`,
  );
}

/** What the notifier did on Telegram, from the details it recorded with the outcome. */
function telegramSide(action: Action, d: Record<string, unknown>): string {
  if (action === "revoke") {
    return d.removal === "removed"
      ? "removed from the closed channel"
      : "they were not in the closed channel";
  }
  if (d.member === true) {
    return d.notice === "sent"
      ? "already in the channel, told by DM"
      : "already in the channel (the DM did not reach them: they have not started the bot or blocked it)";
  }
  return d.invite === "sent"
    ? "invite link sent by DM"
    : `invite link created but the DM did not reach them (they have not started the bot or blocked it); give them ${String(d.inviteLink)} or ask them to open /subscriptions`;
}

export const subscriptionCommands: readonly Command[] = [
  list,
  change("grant"),
  change("extend"),
  change("revoke"),
];
