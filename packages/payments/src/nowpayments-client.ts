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
  /**
   * The dashboard login (NOWPAYMENTS_EMAIL / NOWPAYMENTS_PASSWORD): `POST /auth` turns it into the
   * JWT that the payment list (`listPayments`) needs. Without it only `getPayment` can reconcile.
   */
  login?: { email: string; password: string } | undefined;
  /** The clock (tests); default Date.now. */
  now?: () => number;
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

/** A payment made straight to an owner's wallet (SETTLEMENT=direct, docs/settlement.md). */
export interface CreatePaymentInput {
  /** Decimal string in `priceCurrency`, e.g. "4.99". */
  priceAmount: string;
  priceCurrency: string;
  /** The coin the payer sends, a NOWPayments ticker like btc or usdttrc20. */
  payCurrency: string;
  /** Our opaque order reference. */
  orderId: string;
  orderDescription?: string;
  ipnCallbackUrl: string;
  /** The owner's wallet: NOWPayments forwards the payment there instead of to the operator's account. */
  payoutAddress: string;
  /** The coin the owner is paid in (their wallet's ticker). */
  payoutCurrency: string;
  /** Memo / destination tag of the owner's wallet, when its coin needs one. */
  payoutExtraId?: string | null;
}

/** What POST /payment answered: where and how much the payer sends, and until when. */
export interface CreatedPayment {
  paymentId: string;
  paymentStatus: string;
  payAddress: string;
  /** Decimal string in `payCurrency`: the exact amount to send. */
  payAmount: string;
  payCurrency: string;
  /** Memo / destination tag the payer must add (some coins), or null. */
  payinExtraId: string | null;
  /** When NOWPayments stops waiting for the transfer (expiration_estimate_date / valid_until), if said. */
  expiresAt: Date | null;
  raw: unknown;
}

/** NOWPayments' verdict on a payout wallet (POST /payout/validate-address). */
export type AddressVerdict = { valid: true } | { valid: false; reason: string };

export interface NowPaymentsClient {
  /** POST /invoice: a hosted invoice page for the order. */
  createInvoice(input: CreateInvoiceInput): Promise<Invoice>;
  /**
   * POST /payment with payout_address / payout_currency / payout_extra_id: the payment settles
   * straight to that wallet (SETTLEMENT=direct). Its id is ours from the start, so reconciliation
   * needs only the API key (getPayment).
   */
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /**
   * POST /payout/validate-address: whether NOWPayments can pay out to this wallet in this coin.
   * A 400 is an answer (`valid: false` with NOWPayments' reason); other failures throw.
   */
  validateAddress(input: {
    address: string;
    currency: string;
    extraId?: string | null;
  }): Promise<AddressVerdict>;
  /** GET /payment/{id}: the payment's current state, shaped like an IPN (for reconciliation). */
  getPayment(paymentId: string): Promise<IpnPayload>;
  /**
   * GET /payment?invoiceId=…: every payment made against an invoice, each shaped like an IPN. Needs
   * the JWT from `POST /auth` (options.login) besides the API key; without a login it throws a
   * NowPaymentsError of kind `auth`.
   */
  listPayments(filter: { invoiceId: string }): Promise<IpnPayload[]>;
  /** Whether listPayments can work (a login is configured). */
  readonly canListPayments: boolean;
  /** GET /status: true when the API answers "OK"; never throws. */
  status(): Promise<boolean>;
}

/**
 * How long a JWT from POST /auth is used. NOWPayments' tokens live 5 minutes; renewing after 4
 * leaves a margin for clock skew and slow calls (a 401 also renews it once).
 */
const TOKEN_REUSE_MS = 4 * 60_000;
/** Payments per page of the list (NOWPayments' maximum is 500). */
const LIST_PAGE = 100;
/** Pages read at most for one invoice (an invoice has one payment, plus any re-deposits). */
const LIST_MAX_PAGES = 10;

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
  const now = options.now ?? Date.now;
  const login = options.login;
  if (login && (!login.email?.trim() || !login.password)) {
    throw new TypeError("createNowPaymentsClient: login needs both email and password");
  }
  const secrets = [apiKey, ...(login ? [login.password] : [])];
  let token: { value: string; until: number } | undefined;

  const scrub = (text: string) => {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[redacted]");
    if (token) out = out.split(token.value).join("[redacted]");
    return out;
  };

  async function call(
    method: "GET" | "POST",
    path: string,
    body?: string,
    bearer?: string,
  ): Promise<unknown> {
    const { json, status } = await callRaw(method, path, body, bearer);
    if (json === undefined) {
      throw new NowPaymentsError(
        "unavailable",
        status,
        `NOWPayments ${method} ${path}: response is not JSON`,
      );
    }
    return json;
  }

  /** One request: throws NowPaymentsError on a non-2xx answer; the body parsed when it is JSON. */
  async function callRaw(
    method: "GET" | "POST",
    path: string,
    body?: string,
    bearer?: string,
  ): Promise<{ json: unknown; text: string; status: number }> {
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          "x-api-key": apiKey,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
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
    return { json, text, status: res.status };
  }

  /** A JWT from POST /auth, reused for TOKEN_REUSE_MS (or fetched anew when `fresh`). */
  async function jwt(fresh: boolean): Promise<string> {
    if (!fresh && token && token.until > now()) return token.value;
    const json = await call(
      "POST",
      "/auth",
      JSON.stringify({ email: login!.email, password: login!.password }),
    );
    const value = (json as { token?: unknown })?.token;
    if (typeof value !== "string" || value === "") {
      throw new NowPaymentsError("auth", 200, "NOWPayments POST /auth: answer has no token");
    }
    token = { value, until: now() + TOKEN_REUSE_MS };
    return value;
  }

  return {
    async createInvoice(input) {
      const body = invoiceBody(input);
      const json = await call("POST", "/invoice", body);
      return parseInvoice(json, input);
    },

    async createPayment(input) {
      const json = await call("POST", "/payment", paymentBody(input));
      return parseCreatedPayment(json, input);
    },

    async validateAddress(input) {
      const address = input.address?.trim() ?? "";
      const currency = input.currency?.trim().toLowerCase() ?? "";
      if (!address || !/^[a-z0-9]{2,20}$/.test(currency)) {
        return { valid: false, reason: "an address and a currency ticker are required" };
      }
      const extra = input.extraId?.trim() || null;
      try {
        // The success answer is a bare OK (not always JSON): `call` is not used for the body.
        await callRaw(
          "POST",
          "/payout/validate-address",
          JSON.stringify({ address, currency, extra_id: extra }),
        );
        return { valid: true };
      } catch (err) {
        if (err instanceof NowPaymentsError && err.kind === "bad_request") {
          return {
            valid: false,
            reason: err.message.replace(/^NOWPayments POST \/payout\/validate-address → \d+: /, ""),
          };
        }
        throw err;
      }
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

    canListPayments: login !== undefined,

    async listPayments(filter) {
      if (!login) {
        throw new NowPaymentsError(
          "auth",
          0,
          "the payment list needs a JWT: set NOWPAYMENTS_EMAIL and NOWPAYMENTS_PASSWORD",
        );
      }
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(filter.invoiceId)) {
        throw new NowPaymentsError(
          "bad_request",
          0,
          `not an invoice id: ${JSON.stringify(filter.invoiceId)}`,
        );
      }
      const out: IpnPayload[] = [];
      for (let page = 0; page < LIST_MAX_PAGES; page++) {
        const path = `/payment/?invoiceId=${encodeURIComponent(filter.invoiceId)}&limit=${LIST_PAGE}&page=${page}&sortBy=created_at&orderBy=asc`;
        let json: unknown;
        try {
          json = await call("GET", path, undefined, await jwt(false));
        } catch (err) {
          // An expired or revoked token: log in again once.
          if (!(err instanceof NowPaymentsError) || err.status !== 401) throw err;
          json = await call("GET", path, undefined, await jwt(true));
        }
        const data = (json as { data?: unknown })?.data;
        if (!Array.isArray(data)) {
          throw new NowPaymentsError("unavailable", 200, "NOWPayments GET /payment: answer has no data list");
        }
        for (const item of data) {
          const parsed = ipnPayloadSchema.safeParse(item);
          if (!parsed.success) {
            throw new NowPaymentsError(
              "unavailable",
              200,
              `NOWPayments GET /payment: unexpected item (${describeIssues(parsed.error)})`,
            );
          }
          out.push(parsed.data);
        }
        const pages = Number((json as { pagesCount?: unknown }).pagesCount ?? 1);
        if (data.length < LIST_PAGE || !(page + 1 < pages)) break;
      }
      return out;
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

/** The payment request as JSON text; the amount is copied as a number literal, like invoiceBody's. */
function paymentBody(input: CreatePaymentInput): string {
  const price = toDecimalString(input.priceAmount);
  if (!isDecimalString(input.priceAmount) || price === undefined || price === "0" || price.startsWith("-")) {
    throw new NowPaymentsError("bad_request", 0, "priceAmount must be a positive decimal string");
  }
  for (const [field, value] of [
    ["priceCurrency", input.priceCurrency],
    ["payCurrency", input.payCurrency],
    ["payoutCurrency", input.payoutCurrency],
  ] as const) {
    if (!/^[A-Za-z0-9]{2,20}$/.test(value ?? "")) {
      throw new NowPaymentsError("bad_request", 0, `${field} is not a currency ticker`);
    }
  }
  if (!input.orderId) throw new NowPaymentsError("bad_request", 0, "orderId is required");
  const payout = input.payoutAddress?.trim();
  if (!payout) throw new NowPaymentsError("bad_request", 0, "payoutAddress is required");
  const rest: Record<string, unknown> = {
    price_currency: input.priceCurrency.toLowerCase(),
    pay_currency: input.payCurrency.toLowerCase(),
    order_id: input.orderId,
    ipn_callback_url: absoluteUrl("ipnCallbackUrl", input.ipnCallbackUrl),
    payout_address: payout,
    payout_currency: input.payoutCurrency.toLowerCase(),
  };
  if (input.payoutExtraId) rest.payout_extra_id = input.payoutExtraId;
  if (input.orderDescription !== undefined) rest.order_description = input.orderDescription;
  return `{"price_amount":${price},${JSON.stringify(rest).slice(1)}`;
}

function parseCreatedPayment(json: unknown, input: CreatePaymentInput): CreatedPayment {
  const o = (json ?? {}) as Record<string, unknown>;
  const id = typeof o.payment_id === "number" || typeof o.payment_id === "string" ? String(o.payment_id) : "";
  const payAddress = typeof o.pay_address === "string" ? o.pay_address : "";
  const payAmount =
    typeof o.pay_amount === "number" || typeof o.pay_amount === "string"
      ? toDecimalString(o.pay_amount)
      : undefined;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !payAddress || payAmount === undefined || payAmount === "0") {
    throw new NowPaymentsError(
      "unavailable",
      200,
      "NOWPayments POST /payment: answer lacks payment_id, pay_address or pay_amount",
    );
  }
  const when = [o.expiration_estimate_date, o.valid_until].find((v) => typeof v === "string" && v);
  const expiresAt = typeof when === "string" && !Number.isNaN(Date.parse(when)) ? new Date(when) : null;
  return {
    paymentId: id,
    paymentStatus: typeof o.payment_status === "string" ? o.payment_status : "waiting",
    payAddress,
    payAmount,
    payCurrency:
      typeof o.pay_currency === "string" ? o.pay_currency.toLowerCase() : input.payCurrency.toLowerCase(),
    payinExtraId: typeof o.payin_extra_id === "string" && o.payin_extra_id ? o.payin_extra_id : null,
    expiresAt,
    raw: json,
  };
}
