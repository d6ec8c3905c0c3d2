import { isDecimalString, toDecimalString } from "./decimal.ts";
import { describeIssues, type IpnPayload, ipnPayloadSchema } from "./ipn-payload.ts";

export type NowPaymentsErrorKind = "auth" | "bad_request" | "unavailable" | "timeout";

/**
 * A failed NOWPayments call. `kind` says what the caller can do: `auth` (fix the key), `bad_request`
 * (fix the input; retrying will not help), `unavailable` / `timeout` (retry later). The message
 * never contains the API key.
 */
export class NowPaymentsError extends Error {
  readonly kind: NowPaymentsErrorKind;
  /** HTTP status, or 0 when no response arrived (network error, timeout, rejected input). */
  readonly status: number;
  constructor(kind: NowPaymentsErrorKind, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NowPaymentsError";
    this.kind = kind;
    this.status = status;
  }
}

export interface NowPaymentsClientOptions {
  apiKey: string;
  /** e.g. https://api.nowpayments.io/v1 or the sandbox; a trailing slash is ignored. */
  baseUrl: string;
  /** Per-request timeout; default 10 000 ms. */
  timeoutMs?: number;
  /** Injected fetch (tests point it at the emulator); default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface CreateInvoiceInput {
  /** Decimal string in `priceCurrency`, e.g. "4.99". */
  priceAmount: string;
  priceCurrency: string;
  /** Our opaque order reference. */
  orderId: string;
  orderDescription?: string;
  ipnCallbackUrl: string;
  successUrl?: string;
  cancelUrl?: string;
  payCurrency?: string;
  isFeePaidByUser?: boolean;
}

export interface Invoice {
  id: string;
  invoiceUrl: string;
  orderId: string;
  priceAmount: string;
  priceCurrency: string;
  raw: unknown;
}

export interface NowPaymentsClient {
  /** POST /invoice: a hosted invoice page for the order. */
  createInvoice(input: CreateInvoiceInput): Promise<Invoice>;
  /** GET /payment/{id}: the payment's current state, shaped like an IPN (for reconciliation). */
  getPayment(paymentId: string): Promise<IpnPayload>;
  /** GET /status: true when the API answers "OK"; never throws. */
  status(): Promise<boolean>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Creates a NOWPayments API client. Options are checked here, so a bad config fails at start-up. */
export function createNowPaymentsClient(options: NowPaymentsClientOptions): NowPaymentsClient {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) throw new TypeError("createNowPaymentsClient: apiKey is required");
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new TypeError(`createNowPaymentsClient: baseUrl is not a URL: ${options.baseUrl}`);
  }
  const baseUrl = base.toString().replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError("createNowPaymentsClient: timeoutMs must be a positive number");
  }
  const doFetch = options.fetch ?? globalThis.fetch;

  const scrub = (text: string) => text.split(apiKey).join("[redacted]");

  async function call(method: "GET" | "POST", path: string, body?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          "x-api-key": apiKey,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new NowPaymentsError(
          "timeout",
          0,
          `NOWPayments ${method} ${path} timed out after ${timeoutMs} ms`,
          {
            cause: err,
          },
        );
      }
      throw new NowPaymentsError(
        "unavailable",
        0,
        scrub(`NOWPayments ${method} ${path} failed: ${(err as Error)?.message ?? String(err)}`),
        { cause: err },
      );
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      const name = (err as Error)?.name;
      throw new NowPaymentsError(
        name === "TimeoutError" || name === "AbortError" ? "timeout" : "unavailable",
        res.status,
        `NOWPayments ${method} ${path}: response body could not be read`,
        { cause: err },
      );
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const detail =
        json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string"
          ? (json as { message: string }).message
          : text.slice(0, 200);
      const kind: NowPaymentsErrorKind =
        res.status === 401 || res.status === 403
          ? "auth"
          : res.status === 429 || res.status >= 500
            ? "unavailable"
            : "bad_request";
      throw new NowPaymentsError(
        kind,
        res.status,
        scrub(`NOWPayments ${method} ${path} → ${res.status}: ${detail}`),
      );
    }
    if (json === undefined) {
      throw new NowPaymentsError(
        "unavailable",
        res.status,
        `NOWPayments ${method} ${path}: response is not JSON`,
      );
    }
    return json;
  }

  return {
    async createInvoice(input) {
      const body = invoiceBody(input);
      const json = await call("POST", "/invoice", body);
      return parseInvoice(json, input);
    },

    async getPayment(paymentId) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(paymentId)) {
        throw new NowPaymentsError("bad_request", 0, `not a payment id: ${JSON.stringify(paymentId)}`);
      }
      const json = await call("GET", `/payment/${encodeURIComponent(paymentId)}`);
      const parsed = ipnPayloadSchema.safeParse(json);
      if (!parsed.success) {
        throw new NowPaymentsError(
          "unavailable",
          200,
          `NOWPayments GET /payment: unexpected answer (${describeIssues(parsed.error)})`,
        );
      }
      return parsed.data;
    },

    async status() {
      try {
        const json = await call("GET", "/status");
        return (json as { message?: unknown })?.message === "OK";
      } catch {
        return false;
      }
    },
  };
}

function absoluteUrl(field: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http(s)");
    // URL serialisation percent-encodes the query, so deep links survive (docs/legacy-mistakes.md#lm-2).
    return url.toString();
  } catch {
    throw new NowPaymentsError("bad_request", 0, `${field} is not an absolute http(s) URL`);
  }
}

/**
 * The invoice request as JSON text. `price_amount` is written as a JSON number literal copied from
 * the validated decimal string, so the amount NOWPayments receives is exactly the order's amount
 * (no float round trip).
 */
function invoiceBody(input: CreateInvoiceInput): string {
  const price = toDecimalString(input.priceAmount);
  if (!isDecimalString(input.priceAmount) || price === undefined || price === "0" || price.startsWith("-")) {
    throw new NowPaymentsError("bad_request", 0, `priceAmount must be a positive decimal string`);
  }
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(input.priceCurrency)) {
    throw new NowPaymentsError("bad_request", 0, "priceCurrency is not a currency ticker");
  }
  if (!input.orderId) throw new NowPaymentsError("bad_request", 0, "orderId is required");
  const rest: Record<string, unknown> = {
    price_currency: input.priceCurrency.toLowerCase(),
    order_id: input.orderId,
    ipn_callback_url: absoluteUrl("ipnCallbackUrl", input.ipnCallbackUrl),
  };
  if (input.orderDescription !== undefined) rest.order_description = input.orderDescription;
  if (input.successUrl !== undefined) rest.success_url = absoluteUrl("successUrl", input.successUrl);
  if (input.cancelUrl !== undefined) rest.cancel_url = absoluteUrl("cancelUrl", input.cancelUrl);
  if (input.payCurrency !== undefined) rest.pay_currency = input.payCurrency.toLowerCase();
  if (input.isFeePaidByUser !== undefined) rest.is_fee_paid_by_user = input.isFeePaidByUser;
  return `{"price_amount":${price},${JSON.stringify(rest).slice(1)}`;
}

function parseInvoice(json: unknown, input: CreateInvoiceInput): Invoice {
  const o = (json ?? {}) as Record<string, unknown>;
  const id = typeof o.id === "number" || typeof o.id === "string" ? String(o.id) : "";
  const invoiceUrl = typeof o.invoice_url === "string" ? o.invoice_url : "";
  if (!id || !invoiceUrl) {
    throw new NowPaymentsError(
      "unavailable",
      200,
      "NOWPayments POST /invoice: answer lacks id or invoice_url",
    );
  }
  const priceAmount =
    typeof o.price_amount === "number" || typeof o.price_amount === "string"
      ? (toDecimalString(o.price_amount) ?? input.priceAmount)
      : input.priceAmount;
  return {
    id,
    invoiceUrl,
    orderId: typeof o.order_id === "string" && o.order_id ? o.order_id : input.orderId,
    priceAmount,
    priceCurrency: typeof o.price_currency === "string" ? o.price_currency : input.priceCurrency,
    raw: json,
  };
}
