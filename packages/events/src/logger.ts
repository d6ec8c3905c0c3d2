/**
 * The logging surface the buses and the relay need. A pino logger satisfies it (`(obj, msg)`), so
 * apps pass theirs; log objects carry event ids and topics, never payloads (they may hold personal data).
 */
export interface EventsLogger {
  info?(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Used when the caller gives no logger: dead letters and failures must never be silent. */
export const consoleLogger: EventsLogger = {
  warn: (obj, msg) => console.warn(`[events] ${msg}`, obj),
  error: (obj, msg) => console.error(`[events] ${msg}`, obj),
};

/** A short, single-line description of an unknown thrown value, for logs and outbox.last_error. */
export function describeError(error: unknown, max = 500): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === "string"
        ? error
        : String(error);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
