import type { ParseArgsOptionsConfig } from "node:util";
import type { Database } from "@telepay/db";
import type { CliEnv } from "./env.ts";
import type { Writable } from "./output.ts";

export type ArgValues = Record<string, string | boolean | string[] | undefined>;

/** What a command gets: parsed env, output streams, and the database (opened on first use). */
export interface CommandContext {
  readonly json: boolean;
  readonly stdout: Writable;
  readonly stderr: Writable;
  env(): Promise<CliEnv>;
  database(): Promise<Database>;
  /** How the database was reached, for messages ("postgres", "embedded (direct)", …). */
  target(): string;
  /** Prints `data` as JSON with --json, else the human text. */
  print(data: unknown, human: string): void;
}

/** One `telepay <path…>` command. */
export interface Command {
  readonly path: readonly string[];
  readonly summary: string;
  /** The usage line after `telepay `. */
  readonly usage: string;
  /** Extra help: option meanings, examples. */
  readonly details?: string;
  readonly options: ParseArgsOptionsConfig;
  readonly maxPositionals: number;
  run(ctx: CommandContext, values: ArgValues, positionals: string[]): Promise<void>;
}

/** The string value of an option (parseArgs types are per-command; commands read them loosely). */
export function opt(values: ArgValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function optList(values: ArgValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}
