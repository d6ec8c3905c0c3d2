import type { Logger } from "@telepay/config";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/** Machine-readable error codes; every error body is `{ error: { code, message, requestId } }`. */
export const ErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "RATE_LIMITED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status each code answers with. */
export const ERROR_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string };
}

/** The request id set by hono's requestId middleware, or "" when it is not installed. */
export function requestIdOf(c: Context): string {
  return (c.get("requestId" as never) as string | undefined) ?? "";
}

/** Builds an error response (`{ error: { code, message, requestId } }`) with the code's status. */
export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  init: { status?: ContentfulStatusCode; headers?: Record<string, string> } = {},
): Response {
  const body: ErrorBody = { error: { code, message, requestId: requestIdOf(c) } };
  return c.json(body, init.status ?? ERROR_STATUS[code], init.headers);
}

/**
 * An HTTPException that carries an {@link ErrorCode}: throw it from handlers and middleware; the
 * error handler turns it into the standard body.
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly headers: Record<string, string> | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(ERROR_STATUS[code], { message, cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.headers = options.headers;
  }
}

/** One line naming the first invalid fields of a ZodError. */
function zodMessage(err: z.core.$ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/**
 * Hono `onError` handler: ApiError and HTTPException keep their status, a ZodError is a 400 naming
 * the bad fields, anything else is a 500 whose body says nothing about internals (the details go
 * to the logger with the request id).
 */
export function createErrorHandler(options: { logger?: Pick<Logger, "error"> } = {}): ErrorHandler {
  return function onError(err, c) {
    if (err instanceof ApiError) {
      return errorResponse(c, err.code, err.message, { ...(err.headers ? { headers: err.headers } : {}) });
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const code = CODE_BY_STATUS.get(status) ?? (status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
      const headers: Record<string, string> = {};
      // Keep protocol headers a built-in middleware put on its own response (WWW-Authenticate, Allow, …).
      err.res?.headers.forEach((value, key) => {
        if (key !== "content-type" && key !== "content-length") headers[key] = value;
      });
      if (status >= 500) options.logger?.error({ err, requestId: requestIdOf(c) }, "request failed");
      return errorResponse(c, code, err.message || defaultMessage(code), { status, headers });
    }
    if (err instanceof z.core.$ZodError) {
      return errorResponse(c, "BAD_REQUEST", zodMessage(err));
    }
    options.logger?.error({ err, requestId: requestIdOf(c) }, "unhandled error");
    return errorResponse(c, "INTERNAL_SERVER_ERROR", "internal error");
  };
}

/** The error handler without logging (prefer {@link createErrorHandler} with the app's logger). */
export const onError: ErrorHandler = createErrorHandler();

/** Hono `notFound` handler answering the standard error body. */
export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, "NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`);

function defaultMessage(code: ErrorCode): string {
  return code.toLowerCase().replaceAll("_", " ");
}
