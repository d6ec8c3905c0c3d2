import type { Logger } from "@telepay/config";

// The buses and the relay log event ids and topics, never payloads (they may hold personal data).

/** Used when the caller gives no logger: dead letters and failures must never be silent. */
export const consoleLogger: Logger = {
  debug: () => {},
  info: () => {},
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
