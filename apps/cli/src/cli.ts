import { ConfigError, toDbConfig } from "@telepay/config";
import { connectEmbedded, createDb, type Database, EmbeddedBusyError } from "@telepay/db";
import { CliError, COMMON_OPTIONS, parseCommandArgs, UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { auditCommands } from "./commands/audit.ts";
import { broadcastCommands } from "./commands/broadcast.ts";
import { channelCommands } from "./commands/channel.ts";
import { dbCommands } from "./commands/db.ts";
import { eventsCommands } from "./commands/events.ts";
import { grantsCommands } from "./commands/grants.ts";
import { paymentsCommands } from "./commands/payments.ts";
import { payoutsCommands } from "./commands/payouts.ts";
import { promoCommands } from "./commands/promo.ts";
import { reviewCommands } from "./commands/review.ts";
import { subscriptionCommands } from "./commands/subscription.ts";
import { sweepCommands } from "./commands/sweep.ts";
import { type CliEnv, loadCliEnv } from "./env.ts";
import { toJson, type Writable } from "./output.ts";

// Why node:util parseArgs and not a CLI framework: a dozen commands with flat options need strict
// parsing, repeatable options and booleans — all built in — and every dependency here ships in
// the migration job's image too.

export const COMMANDS: readonly Command[] = [
  ...dbCommands,
  ...channelCommands,
  ...subscriptionCommands,
  ...sweepCommands,
  ...paymentsCommands,
  ...payoutsCommands,
  ...promoCommands,
  ...grantsCommands,
  ...eventsCommands,
  ...reviewCommands,
  ...auditCommands,
  ...broadcastCommands,
];

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed request, 2 bad command line). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { command, rest } = findCommand(argv);
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  if (!command) {
    const prefix = argv.filter((a) => !a.startsWith("-"));
    if (wantsHelp || argv.length === 0) {
      io.stdout.write(`${generalHelp(prefix)}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    const group = COMMANDS.some((c) => c.path[0] === prefix[0]);
    io.stderr.write(
      `telepay: error: ${group ? `unknown or missing ${prefix[0]} subcommand` : `unknown command '${prefix[0] ?? argv[0]}'`} (see telepay --help)\n`,
    );
    return 2;
  }
  if (wantsHelp) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }

  let json = rest.includes("--json");
  let database: Database | undefined;
  let closeDatabase: (() => Promise<void>) | undefined;
  let target = "";
  let env: CliEnv | undefined;
  const ctx: CommandContext = {
    get json() {
      return json;
    },
    stdout: io.stdout,
    stderr: io.stderr,
    async env() {
      env ??= await loadCliEnv(io.env);
      return env;
    },
    async database() {
      if (database) return database;
      const e = await ctx.env();
      const config = toDbConfig(e);
      if (config.url || config.cloudSql) {
        // A CLI command needs one connection (two while migrating, which opens its own).
        database = await createDb({ ...config, pool: { ...config.pool, size: 1, maxOverflow: 0 } });
        target = config.url ? "postgres" : "cloud sql";
        closeDatabase = () => database!.close();
      } else {
        if (e.DATA_DIR === "memory://") {
          throw new CliError("DATA_DIR=memory:// is private to one process; point DATA_DIR at a folder");
        }
        const embedded = await connectEmbedded(e.DATA_DIR);
        database = embedded.database;
        target =
          embedded.via === "socket"
            ? `embedded ${e.DATA_DIR} (via the running telepay)`
            : `embedded ${e.DATA_DIR}`;
        closeDatabase = () => embedded.close();
      }
      return database;
    },
    target: () => target,
    print(data, human) {
      io.stdout.write(`${json ? toJson(data) : human}\n`);
    },
  };

  try {
    const { values, positionals } = parseCommandArgs(
      rest,
      { ...command.options, ...COMMON_OPTIONS },
      command.maxPositionals,
    );
    json = values.json === true;
    await command.run(ctx, values as Record<string, string | boolean | string[] | undefined>, positionals);
    return 0;
  } catch (error) {
    const { message, code } = describeError(error);
    io.stderr.write(`telepay: error: ${message}\n`);
    return code;
  } finally {
    await closeDatabase?.().catch(() => {});
  }
}

function findCommand(argv: string[]): { command: Command | undefined; rest: string[] } {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.path.every((part, i) => argv[i] === part);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return { command: best, rest: best ? argv.slice(best.path.length) : argv };
}

function describeError(error: unknown): { message: string; code: number } {
  if (error instanceof CliError) return { message: oneLine(error.message), code: error.exitCode };
  if (error instanceof ConfigError) {
    return {
      message: `invalid environment: ${error.problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`,
      code: 2,
    };
  }
  if (error instanceof EmbeddedBusyError) return { message: oneLine(error.message), code: 1 };
  const root = rootCause(error);
  const code = (root as { code?: string }).code;
  if (code === "42P01") {
    return { message: "the database has no TelePay tables yet: run `telepay db migrate` first", code: 1 };
  }
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "CONNECT_TIMEOUT") {
    return { message: `cannot reach the database: ${oneLine((root as Error).message)}`, code: 1 };
  }
  return { message: oneLine(root instanceof Error ? root.message : String(root)), code: 1 };
}

function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof Error && e.cause !== undefined && e.cause !== e) e = e.cause;
  return e;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function commandHelp(command: Command): string {
  return [
    `Usage: telepay ${command.usage}`,
    "",
    command.summary,
    ...(command.details ? ["", command.details] : []),
    "",
    "Common options:",
    "  --json      machine-readable output (camelCase fields, ids as strings)",
    "  -h, --help  show this help",
  ].join("\n");
}

function generalHelp(prefix: string[]): string {
  const shown = COMMANDS.filter((c) => prefix.length === 0 || c.path[0] === prefix[0]);
  const list = (shown.length > 0 ? shown : COMMANDS).map((c) => `  ${c.usage.padEnd(0)}\n      ${c.summary}`);
  return [
    "Usage: telepay <command> [options]   (through pnpm: pnpm -s telepay …)",
    "",
    "Commands:",
    ...list,
    "",
    "Database: DATABASE_URL, or CLOUD_SQL_CONNECTION_NAME + DB_USER/DB_PASSWORD/DB_NAME, else the embedded",
    "database in DATA_DIR (default .data at the repository root) — also while `pnpm start` is running.",
    "Every command takes --json and --help. Exit codes: 0 ok, 1 request failed, 2 bad command line.",
  ].join("\n");
}

export { UsageError };
