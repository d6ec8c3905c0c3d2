/** One missing or invalid variable. `message` never contains a secret's value. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Every problem found at start-up, thrown at once: loud and complete (docs/legacy-mistakes.md#lm-3). */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(
      `Invalid configuration (${count}):\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The text an operator sees: the problem list, without a stack trace. */
export function formatConfigError(err: ConfigError): string {
  return err.message;
}

interface ExitIo {
  stderr: { write(text: string): unknown };
  exit(code: number): never;
}

/**
 * For an app's main.ts: `loadConfig(...).catch(exitOnConfigError)`. A ConfigError is printed to
 * stderr as one message and the process exits 1; anything else is re-thrown unchanged.
 */
export function exitOnConfigError(err: unknown, io: ExitIo = process): never {
  if (err instanceof ConfigError) {
    io.stderr.write(`${formatConfigError(err)}\n`);
    return io.exit(1);
  }
  throw err;
}
