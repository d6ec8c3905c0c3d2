/** Where a command writes; the real process streams, or buffers in tests. */
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** JSON with bigint ids as decimal strings and Dates as ISO strings (toJSON). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** One-line JSON (NDJSON rows). */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** A plain aligned table for humans; `null`/`undefined` print as "-". */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const cell = (v: unknown) =>
    v === null || v === undefined ? "-" : v instanceof Date ? v.toISOString() : String(v);
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(columns), ...cells.map(line)].join("\n");
}

/**
 * Progress on stderr, only when stderr is a terminal (never in pipes, logs or --json consumers).
 * Overwrites one line with \r and clears it when done.
 */
export function createProgress(stderr: Writable, label: string) {
  const enabled = stderr.isTTY === true;
  let last = 0;
  return {
    update(done: number, total?: number) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      stderr.write(`\r${label}: ${done}${total === undefined ? "" : `/${total}`}\x1b[K`);
    },
    done() {
      if (enabled) stderr.write("\r\x1b[K");
    },
  };
}
