import pino from "pino";
import type { LogLevel } from "./schemas/logging.ts";
import { SECRET_VARIABLES } from "./secrets.ts";

/**
 * The one logger type of TelePay: structured fields first, then the message (pino's order). The
 * pino logger from {@link createLogger} satisfies it; tests pass a recording one. Log objects carry
 * ids, never secrets or personal data.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** pino level → Cloud Logging severity (https://cloud.google.com/logging/docs/structured-logging). */
const SEVERITY: Record<string, string> = {
  trace: "DEBUG",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};

/** Keys whose values never reach a log line, at any of the first three levels of nesting. */
export const REDACTED_KEYS = [
  "token",
  "botToken",
  "apiKey",
  "api_key",
  "secret",
  "ipnSecret",
  "signingSecret",
  "webhookSecret",
  "password",
  "authorization",
  "Authorization",
  "cookie",
  "x-api-key",
  "x-nowpayments-sig",
  "x-telegram-bot-api-secret-token",
  "x-signature",
  "databaseUrl",
  "connectionString",
  // Every secret environment variable, from the one list loadConfig resolves secrets by.
  ...SECRET_VARIABLES,
] as const;

function redactPaths(keys: readonly string[]): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
    const top = segment.startsWith(".") ? segment.slice(1) : segment;
    paths.push(top, `*${segment}`, `*.*${segment}`);
  }
  return paths;
}

const REDACT_PATHS = redactPaths(REDACTED_KEYS);

export interface CreateLoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  level?: LogLevel | undefined;
  /** Cloud Logging trace name for every line (`projects/P/traces/T`); per request use `cloudTraceFields`. */
  trace?: string | undefined;
  /** Where lines go; stdout by default (tests pass a stream). */
  destination?: pino.DestinationStream | undefined;
}

/**
 * A pino logger writing JSON Cloud Logging understands: `severity`, `message`, ISO `time`,
 * `service`, and secret-like keys replaced by "[redacted]".
 */
export function createLogger(options: CreateLoggerOptions): pino.Logger {
  const base: Record<string, unknown> = { service: options.service };
  if (options.trace) base["logging.googleapis.com/trace"] = options.trace;
  return pino(
    {
      level: options.level ?? "info",
      base,
      messageKey: "message",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ severity: SEVERITY[label] ?? "DEFAULT", level: label }),
      },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * Fields that tie a log line to a request's trace in Cloud Logging, from Cloud Run's
 * `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` or a W3C `traceparent` header. Empty when absent.
 */
export function cloudTraceFields(
  header: string | undefined,
  projectId: string | undefined,
): Record<string, string | boolean> {
  if (!header || !projectId) return {};
  const w3c = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/i.exec(header.trim());
  const legacy = /^([\da-f]{32})(?:\/(\d+))?(?:;o=([01]))?$/i.exec(header.trim());
  if (w3c) {
    return {
      "logging.googleapis.com/trace": `projects/${projectId}/traces/${w3c[1]}`,
      "logging.googleapis.com/spanId": w3c[2]!,
      "logging.googleapis.com/trace_sampled": (Number.parseInt(w3c[3]!, 16) & 1) === 1,
    };
  }
  if (legacy) {
    const fields: Record<string, string | boolean> = {
      "logging.googleapis.com/trace": `projects/${projectId}/traces/${legacy[1]}`,
    };
    if (legacy[2]) fields["logging.googleapis.com/spanId"] = BigInt(legacy[2]).toString(16).padStart(16, "0");
    if (legacy[3]) fields["logging.googleapis.com/trace_sampled"] = legacy[3] === "1";
    return fields;
  }
  return {};
}
