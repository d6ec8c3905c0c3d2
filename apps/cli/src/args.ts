import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/**
 * A failure the operator caused or can fix, printed as one line. `exitCode` 2 = the command line
 * itself is wrong (unknown option, malformed value); 1 = the request is well-formed but cannot be
 * done (unknown channel, nothing to revoke, database unreachable).
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** A malformed command line (exit code 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsOptionsConfig;

/**
 * node:util parseArgs in strict mode: unknown options, missing option values and stray positionals
 * become UsageErrors with parseArgs's own (already one-line) message.
 */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(
  args: string[],
  options: O,
  maxPositionals: number,
) {
  // parseArgs reads "-100123…" after "--open" as an option, but chat ids of channels are negative:
  // glue a negative number to the string option before it, so `--open -1001234567890` just works.
  const glued: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      glued.push(`${arg}=${next}`);
      i++;
    } else {
      glued.push(arg);
    }
  }
  args = glued;
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs appends a long hint about "--" to unknown-option errors; keep the first sentence.
    const message = (error as Error).message.split("\n")[0]!;
    const missing = /^Option '(--[\w-]+)[^']*' argument (missing|is ambiguous)/.exec(message);
    if (missing) throw new UsageError(`${missing[1]} needs a value`);
    throw new UsageError(message.replace(/^(Unknown option '[^']*')\..*$/, "$1"));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
  }
  return parsed;
}

/** A required option's value, or a UsageError naming it. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

const INTEGER = /^-?\d{1,20}$/;
const INT64_MAX = 9_223_372_036_854_775_807n;

function int64(value: string, name: string, what: string): bigint {
  const v = value.trim();
  if (!INTEGER.test(v)) throw new UsageError(`--${name} must be ${what}, got '${value}'`);
  const n = BigInt(v);
  if (n > INT64_MAX || n < -INT64_MAX) throw new UsageError(`--${name} is out of range, got '${value}'`);
  return n;
}

/** A Telegram user id: a positive whole number (64-bit). */
export function telegramUserId(value: string, name: string): bigint {
  const n = int64(value, name, "a Telegram user id (a positive whole number)");
  if (n <= 0n)
    throw new UsageError(`--${name} must be a Telegram user id (a positive whole number), got '${value}'`);
  return n;
}

/**
 * A channel's chat id: Telegram gives channels and supergroups ids of the form -100xxxxxxxxxx.
 * A positive id is a user; a short negative one is a basic group, which cannot be a paid channel.
 */
export function channelChatId(value: string, name: string): bigint {
  const n = int64(value, name, "a channel chat id like -1001234567890");
  if (!/^-100\d{5,}$/.test(value.trim())) {
    throw new UsageError(`--${name} must be a channel chat id like -1001234567890, got '${value}'`);
  }
  return n;
}

/** Any chat id (a user's DM or a group/channel): a non-zero whole number. */
export function anyChatId(value: string, name: string): bigint {
  const n = int64(value, name, "a chat id (a whole number)");
  if (n === 0n) throw new UsageError(`--${name} must be a chat id (a non-zero whole number), got '${value}'`);
  return n;
}

/** Our own row id (channel id): a positive 32-bit integer. */
export function rowId(value: string, name: string): number {
  const v = value.trim();
  if (!/^\d{1,10}$/.test(v) || Number(v) < 1 || Number(v) > 2_147_483_647) {
    throw new UsageError(
      `${name.startsWith("<") ? name : `--${name}`} must be a channel id (a positive whole number), got '${value}'`,
    );
  }
  return Number(v);
}

/** A whole number of days in [1, 3650]. */
export function days(value: string, name: string): number {
  const v = value.trim();
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 3650) {
    throw new UsageError(`--${name} must be a whole number of days between 1 and 3650, got '${value}'`);
  }
  return Number(v);
}

/**
 * An ISO 8601 instant WITH a time zone (Z or ±hh:mm): a naive local time is ambiguous, and the
 * legacy system's expiry bugs came from exactly that (docs/legacy-mistakes.md#lm-10).
 */
export function isoInstant(value: string, name: string): Date {
  const v = value.trim();
  const shape = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!shape.test(v) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--${name} must be an ISO 8601 time with a zone, like 2026-01-31T12:00:00Z (or a date, read as UTC), got '${value}'`,
    );
  }
  return date;
}
