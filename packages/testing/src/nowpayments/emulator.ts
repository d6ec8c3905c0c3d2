import { randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signIpnBody } from "./sign.ts";

export type PaymentStatus =
  | "waiting"
  | "confirming"
  | "confirmed"
  | "sending"
  | "partially_paid"
  | "finished"
  | "failed"
  | "refunded"
  | "expired";

/** An invoice as POST /v1/invoice answered it (ids and price_amount are strings, as in NOWPayments). */
export interface NowPaymentsInvoice {
  id: string;
  token_id: string;
  order_id: string | null;
  order_description: string | null;
  price_amount: string;
  price_currency: string;
  pay_currency: string | null;
  ipn_callback_url: string | null;
  invoice_url: string;
  success_url: string | null;
  cancel_url: string | null;
  partially_paid_url: string | null;
  payout_currency: string | null;
  created_at: string;
  updated_at: string;
  is_fixed_rate: boolean;
  is_fee_paid_by_user: boolean;
}

/** A payment made against an invoice; the body of its IPNs. Amounts are JSON numbers, as NOWPayments sends them. */
export interface NowPaymentsPayment {
  payment_id: number;
  /** null for a payment made with POST /v1/payment (no invoice). */
  invoice_id: number | null;
  parent_payment_id: number | null;
  payment_status: PaymentStatus | string;
  pay_address: string;
  payin_extra_id: string | null;
  price_amount: number;
  price_currency: string;
  pay_amount: number;
  actually_paid: number;
  actually_paid_at_fiat: number;
  pay_currency: string;
  order_id: string | null;
  order_description: string | null;
  purchase_id: string;
  outcome_amount: number;
  outcome_currency: string;
  fee: { currency: string; depositFee: number; withdrawalFee: number; serviceFee: number };
  /** Epoch milliseconds. */
  created_at: number;
  /** Epoch milliseconds; increases with every IPN so consumers can order them. */
  updated_at: number;
  [key: string]: unknown;
}

export interface IpnOverrides extends Partial<Record<string, unknown>> {
  /** Send this value as x-nowpayments-sig instead of the correct signature (a forged IPN). */
  signatureOverride?: string;
  /** Send no x-nowpayments-sig header at all. */
  skipSignature?: boolean;
}

export interface IpnOptions {
  /**
   * Lose this IPN: the payment moves to the status (GET /v1/payment shows it) but nothing is POSTed,
   * as when every retry of a delivery fails during an outage. Recorded in `ipns` with status 0.
   */
  drop?: boolean;
  /** Reuse (or force) this payment id instead of the invoice's first payment. */
  paymentId?: string | number;
  /** Deliver to this URL instead of the invoice's ipn_callback_url. */
  url?: string;
}

export interface IpnResult {
  /** HTTP status of the receiver, or 0 when it could not be reached or did not answer in time. */
  status: number;
  body: string;
  payload: Record<string, unknown>;
  signature: string | undefined;
  error?: string;
}

export interface IpnDelivery extends IpnResult {
  /** The invoice the payment belongs to; null for a payment made with POST /v1/payment. */
  invoiceId: string | null;
  paymentId: number;
  at: number;
}

/** A failure for the next API request(s): an HTTP status (with an optional body) or a delay. */
export type NowPaymentsFailure = { status: number; body?: unknown } | { delayMs: number };

export interface NowPaymentsEmulatorOptions {
  apiKey: string;
  ipnSecret: string;
  /** How long an IPN receiver may take before the delivery counts as failed. Default 3000 ms (NOWPayments' limit). */
  ipnTimeoutMs?: number;
  /**
   * The hosted payment page invoices link to: `invoice_url` is `<it>?iid=<invoice id>`. Default
   * NOWPayments' own `https://nowpayments.io/payment/`; a local checkout page (the sandbox's) goes here.
   */
  invoicePageUrl?: string;
  /**
   * The dashboard login `POST /v1/auth` accepts (default `merchant@example.com` / `emulator-password`).
   * Its token is what `GET /v1/payment` (the list) requires, as NOWPayments does.
   */
  email?: string;
  password?: string;
  /** How long a token from /v1/auth is accepted (default 5 minutes, as NOWPayments'). */
  tokenTtlMs?: number;
}

export interface NowPaymentsEmulator {
  /** e.g. http://127.0.0.1:40125/v1 */
  readonly apiBase: string;
  readonly invoices: NowPaymentsInvoice[];
  invoice(id: string | number): NowPaymentsInvoice | undefined;
  readonly payments: NowPaymentsPayment[];
  payment(id: string | number): NowPaymentsPayment | undefined;
  /** Every IPN sent, in order. */
  readonly ipns: IpnDelivery[];
  /** Every API request: method, path, status. */
  readonly requests: { method: string; path: string; status: number; body: unknown; at: number }[];
  /**
   * Moves the invoice's payment (created on first use) to `status` and POSTs a signed IPN to the
   * invoice's ipn_callback_url. `overrides` change or (with undefined) remove payload fields and stay
   * on the payment, so GET /v1/payment/:id agrees with the IPN.
   */
  sendIpn(
    invoiceId: string | number,
    status: PaymentStatus | string,
    overrides?: IpnOverrides,
    options?: IpnOptions,
  ): Promise<IpnResult>;
  /** Sends the usual status sequence in order and returns each delivery. */
  payInvoice(invoiceId: string | number, statuses?: (PaymentStatus | string)[]): Promise<IpnResult[]>;
  failNext(failure: NowPaymentsFailure, count?: number): void;
  /**
   * An IPN outage: while on, every sendIpn behaves as with `{ drop: true }` (the payment moves, no
   * IPN arrives), as when NOWPayments' retries all fail.
   */
  dropIpns(on: boolean): void;
  /**
   * Direct payments (POST /v1/payment, docs/settlement.md): moves the payment to `status` and POSTs a
   * signed IPN to its ipn_callback_url, like sendIpn does for an invoice's payment.
   */
  sendPaymentIpn(
    paymentId: string | number,
    status: PaymentStatus | string,
    overrides?: IpnOverrides,
    options?: Omit<IpnOptions, "paymentId">,
  ): Promise<IpnResult>;
  /** Sends the usual status sequence for a direct payment. */
  payPayment(paymentId: string | number, statuses?: (PaymentStatus | string)[]): Promise<IpnResult[]>;
  /**
   * Addresses POST /v1/payout/validate-address (and payout_address on POST /v1/payment) refuse on
   * top of the per-coin format rules, e.g. a well-formed wallet NOWPayments cannot pay out to.
   */
  rejectAddress(address: string): void;
  /** Tokens issued by POST /v1/auth so far. */
  readonly tokensIssued: number;
  stop(): Promise<void>;
}

/** Units of crypto per unit of fiat: rough but fixed, so amounts are reproducible. */
const RATES: Record<string, number> = {
  btc: 0.0000105,
  eth: 0.00031,
  ltc: 0.012,
  trx: 4.1,
  usdttrc20: 1,
  usdterc20: 1,
  usdc: 1,
  xmr: 0.0061,
  ton: 0.19,
};

/**
 * Address formats per payout coin: rough, but they tell a wallet of one chain from another's, as
 * NOWPayments' validation does. A coin not listed is not supported for payouts.
 */
const ADDRESS_FORMATS: Record<string, RegExp> = {
  btc: /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/,
  eth: /^0x[0-9a-fA-F]{40}$/,
  usdterc20: /^0x[0-9a-fA-F]{40}$/,
  usdc: /^0x[0-9a-fA-F]{40}$/,
  ltc: /^(ltc1[02-9ac-hj-np-z]{11,71}|[LM3][1-9A-HJ-NP-Za-km-z]{26,33})$/,
  trx: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
  usdttrc20: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
  xmr: /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/,
  ton: /^(EQ|UQ)[A-Za-z0-9_-]{46}$/,
};

/** Made-up deposit addresses of the right shape per pay coin. */
function depositAddress(currency: string): string {
  const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const pick = (n: number) => Array.from({ length: n }, () => base58[randomInt(base58.length)]).join("");
  switch (currency) {
    case "eth":
    case "usdterc20":
    case "usdc":
      return `0x${randomBytes(20).toString("hex")}`;
    case "trx":
    case "usdttrc20":
      return `T${pick(33)}`;
    case "ltc":
      return `ltc1q${randomBytes(19)
        .toString("hex")
        .replace(/[bio1]/g, "q")}`;
    default:
      return `bc1q${randomBytes(19)
        .toString("hex")
        .replace(/[bio1]/g, "q")}`;
  }
}

const round8 = (n: number) => Math.round(n * 1e8) / 1e8;
const round2 = (n: number) => Math.round(n * 100) / 100;

// Characters a URI may hold unescaped (RFC 3986); NOWPayments rejects others (docs/legacy-mistakes.md#lm-2).
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]*$/;
const PERCENT = /%(?![0-9A-Fa-f]{2})/;

function isStrictHttpUri(value: unknown): boolean {
  if (
    typeof value !== "string" ||
    !URI_CHARS.test(value.replace(/%[0-9A-Fa-f]{2}/g, "")) ||
    PERCENT.test(value)
  ) {
    return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Marks an answer sent as the bare text OK. */
const OK_TEXT = Symbol("OK");

class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.body = { status: false, statusCode: status, code, message };
  }
}

const badParams = (message: string) => new HttpError(400, "INVALID_REQUEST_PARAMS", message);

/**
 * Starts a local NOWPayments API on 127.0.0.1 (random port): creates invoices with NOWPayments'
 * validation, answers payment status, and sends correctly signed IPNs to an invoice's
 * ipn_callback_url when a test says the customer paid.
 */
export async function startNowPaymentsEmulator(
  options: NowPaymentsEmulatorOptions,
): Promise<NowPaymentsEmulator> {
  if (!options?.apiKey || !options.ipnSecret)
    throw new Error("startNowPaymentsEmulator: apiKey and ipnSecret are required");
  const ipnTimeoutMs = options.ipnTimeoutMs ?? 3000;
  const invoicePage = new URL(options.invoicePageUrl ?? "https://nowpayments.io/payment/");
  if (invoicePage.protocol !== "https:" && invoicePage.protocol !== "http:")
    throw new Error("startNowPaymentsEmulator: invoicePageUrl must be an http(s) URL");
  const invoiceUrlOf = (id: string) => {
    const url = new URL(invoicePage);
    url.searchParams.set("iid", id);
    return url.toString();
  };
  const invoices: NowPaymentsInvoice[] = [];
  const payments: NowPaymentsPayment[] = [];
  const paymentsByInvoice = new Map<string, number[]>();
  /** ipn_callback_url of each direct payment (POST /v1/payment). */
  const paymentIpnUrls = new Map<number, string | null>();
  const rejectedAddresses = new Set<string>();
  const ipns: IpnDelivery[] = [];
  const requests: NowPaymentsEmulator["requests"] = [];
  const failures: { failure: NowPaymentsFailure; remaining: number }[] = [];
  const inflight = new Set<AbortController>();
  const login = {
    email: options.email ?? "merchant@example.com",
    password: options.password ?? "emulator-password",
  };
  const tokenTtlMs = options.tokenTtlMs ?? 5 * 60_000;
  const tokens = new Map<string, number>();
  let tokensIssued = 0;
  let outage = false;
  let nextInvoiceId = 4_000_000_000 + randomInt(1_000_000) * 100;
  let nextPaymentId = 5_000_000_000 + randomInt(1_000_000) * 100;

  const findInvoice = (id: string | number) => invoices.find((i) => i.id === String(id));
  const findPayment = (id: string | number) => payments.find((p) => String(p.payment_id) === String(id));

  const requireKey = (req: IncomingMessage) => {
    const key = req.headers["x-api-key"];
    if (typeof key !== "string" || !constantTimeEqual(key, options.apiKey)) {
      throw new HttpError(403, "INVALID_API_KEY", "Invalid api key");
    }
  };

  const requireToken = (req: IncomingMessage) => {
    const auth = req.headers.authorization;
    const token = typeof auth === "string" ? /^Bearer (\S+)$/.exec(auth)?.[1] : undefined;
    const until = token === undefined ? undefined : tokens.get(token);
    if (until === undefined || until < Date.now()) {
      throw new HttpError(
        401,
        "AUTH_REQUIRED",
        "Authorization header is empty (Bearer JWTtoken is required)",
      );
    }
  };

  const authenticate = (raw: string) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badParams("Invalid JSON body");
    }
    if (
      typeof body?.email !== "string" ||
      typeof body.password !== "string" ||
      !constantTimeEqual(body.email, login.email) ||
      !constantTimeEqual(body.password, login.password)
    ) {
      throw new HttpError(401, "INVALID_CREDENTIALS", "Invalid email or password");
    }
    const token = `eyJ${randomBytes(24).toString("base64url")}`;
    tokens.set(token, Date.now() + tokenTtlMs);
    tokensIssued++;
    return { token };
  };

  const createInvoice = (raw: string): NowPaymentsInvoice => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badParams("Invalid JSON body");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) throw badParams("Invalid JSON body");
    // Keep the amount exactly as written, not as a float round trip.
    const literal = /"price_amount"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(raw)?.[1];
    const price = body.price_amount;
    if (price === undefined || price === null) throw badParams('"price_amount" is required');
    const priceNumber =
      typeof price === "number" ? price : typeof price === "string" ? Number(price) : Number.NaN;
    if (!Number.isFinite(priceNumber)) throw badParams('"price_amount" must be a number');
    if (priceNumber <= 0) throw badParams('"price_amount" must be a positive number');
    if (typeof body.price_currency !== "string" || body.price_currency === "")
      throw badParams('"price_currency" is required');
    if (!/^[a-z0-9]{2,20}$/i.test(body.price_currency)) throw badParams('"price_currency" is invalid');
    if (
      body.pay_currency !== undefined &&
      body.pay_currency !== null &&
      !/^[a-z0-9]{2,20}$/i.test(String(body.pay_currency))
    ) {
      throw badParams('"pay_currency" is invalid');
    }
    for (const field of ["ipn_callback_url", "success_url", "cancel_url", "partially_paid_url"]) {
      const value = body[field];
      if (value !== undefined && value !== null && !isStrictHttpUri(value))
        throw badParams(`"${field}" must be a valid uri`);
    }
    for (const field of ["order_id", "order_description"]) {
      const value = body[field];
      if (value !== undefined && value !== null && typeof value !== "string")
        throw badParams(`"${field}" must be a string`);
    }
    const now = new Date().toISOString();
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    const id = String(nextInvoiceId);
    nextInvoiceId += 1 + randomInt(50);
    const invoice: NowPaymentsInvoice = {
      id,
      token_id: randomBytes(6).toString("base64url"),
      order_id: str(body.order_id),
      order_description: str(body.order_description),
      price_amount: typeof price === "string" ? price : (literal ?? String(priceNumber)),
      price_currency: body.price_currency.toLowerCase(),
      pay_currency: typeof body.pay_currency === "string" ? body.pay_currency.toLowerCase() : null,
      ipn_callback_url: str(body.ipn_callback_url),
      invoice_url: invoiceUrlOf(id),
      success_url: str(body.success_url),
      cancel_url: str(body.cancel_url),
      partially_paid_url: str(body.partially_paid_url),
      payout_currency: null,
      created_at: now,
      updated_at: now,
      is_fixed_rate: body.is_fixed_rate === true,
      is_fee_paid_by_user: body.is_fee_paid_by_user === true,
    };
    invoices.push(invoice);
    return invoice;
  };

  /** Why NOWPayments would refuse to pay out to this wallet, or undefined when it would not. */
  const addressProblem = (address: unknown, currency: unknown): string | undefined => {
    if (typeof address !== "string" || address === "") return '"address" is required';
    if (typeof currency !== "string" || currency === "") return '"currency" is required';
    const format = ADDRESS_FORMATS[currency.toLowerCase()];
    if (!format) return `Currency ${currency} is not supported for payouts`;
    if (!format.test(address) || rejectedAddresses.has(address)) return `Invalid payout_address: ${address}`;
    return undefined;
  };

  const validateAddress = (raw: string) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badParams("Invalid JSON body");
    }
    const problem = addressProblem(body?.address, body?.currency);
    if (problem) throw new HttpError(400, "BAD_CREATE_WITHDRAWAL_REQUEST", problem);
  };

  /** POST /v1/payment: a payment with its own deposit address, paid out to payout_address when set. */
  const createDirectPayment = (raw: string) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badParams("Invalid JSON body");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) throw badParams("Invalid JSON body");
    const price = typeof body.price_amount === "number" ? body.price_amount : Number(body.price_amount);
    if (body.price_amount === undefined || !Number.isFinite(price) || price <= 0)
      throw badParams('"price_amount" must be a positive number');
    if (typeof body.price_currency !== "string" || !/^[a-z0-9]{2,20}$/i.test(body.price_currency))
      throw badParams('"price_currency" is required');
    if (typeof body.pay_currency !== "string" || !/^[a-z0-9]{2,20}$/i.test(body.pay_currency))
      throw badParams('"pay_currency" is required');
    const payCurrency = body.pay_currency.toLowerCase();
    if (RATES[payCurrency] === undefined)
      throw new HttpError(400, "CURRENCY_UNAVAILABLE", `Currency ${payCurrency} is unavailable`);
    const url = body.ipn_callback_url;
    if (url !== undefined && url !== null && !isStrictHttpUri(url))
      throw badParams('"ipn_callback_url" must be a valid uri');
    for (const field of ["order_id", "order_description", "payout_extra_id"]) {
      const value = body[field];
      if (value !== undefined && value !== null && typeof value !== "string")
        throw badParams(`"${field}" must be a string`);
    }
    if (body.payout_address !== undefined) {
      if (typeof body.payout_currency !== "string")
        throw badParams('"payout_currency" is required with "payout_address"');
      const problem = addressProblem(body.payout_address, body.payout_currency);
      if (problem) throw new HttpError(400, "BAD_CREATE_PAYMENT_REQUEST", problem);
    }
    const now = Date.now();
    const paymentId = nextPaymentId;
    nextPaymentId += 1 + randomInt(50);
    const payAmount = round8(price * (RATES[payCurrency] ?? 1));
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    const payoutCurrency = str(body.payout_currency)?.toLowerCase() ?? payCurrency;
    const payment: NowPaymentsPayment = {
      payment_id: paymentId,
      invoice_id: null,
      parent_payment_id: null,
      payment_status: "waiting",
      pay_address: depositAddress(payCurrency),
      payin_extra_id: null,
      price_amount: price,
      price_currency: body.price_currency.toLowerCase(),
      pay_amount: payAmount,
      actually_paid: 0,
      actually_paid_at_fiat: 0,
      pay_currency: payCurrency,
      order_id: str(body.order_id),
      order_description: str(body.order_description),
      purchase_id: String(paymentId + 900_000_000 + randomInt(1000)),
      outcome_amount: round8(payAmount * 0.995),
      outcome_currency: payoutCurrency,
      fee: { currency: payCurrency, depositFee: 0, withdrawalFee: 0, serviceFee: round8(payAmount * 0.005) },
      created_at: now,
      updated_at: now,
      payout_address: str(body.payout_address),
      payout_currency: str(body.payout_currency),
      payout_extra_id: str(body.payout_extra_id),
    };
    payments.push(payment);
    paymentIpnUrls.set(paymentId, str(url));
    const expires = new Date(now + 20 * 60_000).toISOString();
    // As NOWPayments answers: ids as strings here, amounts as numbers.
    return {
      payment_id: String(paymentId),
      payment_status: "waiting",
      pay_address: payment.pay_address,
      price_amount: price,
      price_currency: payment.price_currency,
      pay_amount: payAmount,
      amount_received: payment.outcome_amount,
      pay_currency: payCurrency,
      order_id: payment.order_id,
      order_description: payment.order_description,
      payin_extra_id: null,
      ipn_callback_url: str(url),
      created_at: new Date(now).toISOString(),
      updated_at: new Date(now).toISOString(),
      purchase_id: payment.purchase_id,
      smart_contract: null,
      network: payCurrency,
      network_precision: null,
      time_limit: null,
      burning_percent: null,
      expiration_estimate_date: expires,
      valid_until: expires,
      is_fixed_rate: false,
      is_fee_paid_by_user: false,
      type: "crypto2crypto",
      product: "api",
    };
  };

  /** A payment as GET /v1/payment/:id shows it (timestamps as ISO strings). */
  const paymentView = (p: NowPaymentsPayment) => ({
    ...p,
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
    payout_hash: null,
    payin_hash: null,
    burning_percent: null,
    type: "crypto2crypto",
    payment_extra_ids: null,
  });

  async function route(
    req: IncomingMessage,
    url: URL,
    raw: string,
  ): Promise<{ status: number; body: unknown }> {
    const failure = failures[0];
    if (failure) {
      if (--failure.remaining <= 0) failures.shift();
      if ("delayMs" in failure.failure) {
        await new Promise((r) => setTimeout(r, (failure.failure as { delayMs: number }).delayMs));
      } else {
        const { status, body } = failure.failure;
        return {
          status,
          body: body ?? {
            status: false,
            statusCode: status,
            code: "INTERNAL_ERROR",
            message: "Internal server error",
          },
        };
      }
    }
    const path = url.pathname.replace(/\/+$/, "");
    if (req.method === "GET" && path === "/v1/status") return { status: 200, body: { message: "OK" } };
    if (req.method === "POST" && path === "/v1/invoice") {
      requireKey(req);
      return { status: 200, body: createInvoice(raw) };
    }
    if (req.method === "POST" && path === "/v1/payment") {
      requireKey(req);
      return { status: 201, body: createDirectPayment(raw) };
    }
    if (req.method === "POST" && path === "/v1/payout/validate-address") {
      requireKey(req);
      validateAddress(raw);
      return { status: 200, body: OK_TEXT };
    }
    const single = /^\/v1\/payment\/([^/]+)$/.exec(path);
    if (req.method === "GET" && single) {
      requireKey(req);
      const payment = findPayment(decodeURIComponent(single[1]!));
      if (!payment) throw new HttpError(404, "PAYMENT_NOT_FOUND", "Payment not found");
      return { status: 200, body: paymentView(payment) };
    }
    if (req.method === "POST" && path === "/v1/auth") return { status: 200, body: authenticate(raw) };
    if (req.method === "GET" && path === "/v1/payment") {
      // As NOWPayments: the list needs the API key AND a JWT from POST /v1/auth.
      requireKey(req);
      requireToken(req);
      const invoiceId = url.searchParams.get("invoiceId");
      const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 10) || 10, 1), 500);
      const page = Math.max(Number(url.searchParams.get("page") ?? 0) || 0, 0);
      const all = payments.filter((p) => invoiceId === null || String(p.invoice_id) === invoiceId);
      const data = all.slice(page * limit, (page + 1) * limit).map(paymentView);
      return {
        status: 200,
        body: { data, limit, page, pagesCount: Math.ceil(all.length / limit), total: all.length },
      };
    }
    throw new HttpError(404, "NOT_FOUND", `Cannot ${req.method} ${url.pathname}`);
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await route(req, url, Buffer.concat(chunks).toString("utf8")));
    } catch (error) {
      if (error instanceof HttpError) ({ status, body } = error);
      else {
        status = 500;
        body = { status: false, statusCode: 500, code: "INTERNAL_ERROR", message: String(error) };
      }
    }
    requests.push({ method: req.method ?? "GET", path: url.pathname, status, body, at: Date.now() });
    if (!res.destroyed) {
      // validate-address answers a bare OK, not JSON, as NOWPayments does.
      const text = body === OK_TEXT;
      res.writeHead(status, {
        "content-type": text ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      });
      res.end(text ? "OK" : JSON.stringify(body));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const createPayment = (invoice: NowPaymentsInvoice, paymentId: number): NowPaymentsPayment => {
    const payCurrency = invoice.pay_currency ?? "btc";
    const rate = RATES[payCurrency] ?? 1;
    const price = Number(invoice.price_amount);
    const payAmount = round8(price * rate);
    const now = Date.now();
    const payment: NowPaymentsPayment = {
      payment_id: paymentId,
      invoice_id: Number(invoice.id),
      parent_payment_id: null,
      payment_status: "waiting",
      pay_address: `bc1q${randomBytes(19).toString("hex")}`,
      payin_extra_id: null,
      price_amount: price,
      price_currency: invoice.price_currency,
      pay_amount: payAmount,
      actually_paid: 0,
      actually_paid_at_fiat: 0,
      pay_currency: payCurrency,
      order_id: invoice.order_id,
      order_description: invoice.order_description,
      purchase_id: String(nextPaymentId + 900_000_000 + randomInt(1000)),
      outcome_amount: round8(payAmount * 0.995),
      outcome_currency: payCurrency,
      fee: { currency: payCurrency, depositFee: 0, withdrawalFee: 0, serviceFee: round8(payAmount * 0.005) },
      created_at: now,
      updated_at: now,
    };
    payments.push(payment);
    const list = paymentsByInvoice.get(invoice.id) ?? [];
    list.push(paymentId);
    paymentsByInvoice.set(invoice.id, list);
    return payment;
  };

  const paidFraction = (status: string): number => {
    switch (status) {
      case "confirming":
      case "confirmed":
      case "sending":
      case "finished":
      case "refunded":
        return 1;
      case "partially_paid":
        return 0.5;
      default:
        return 0;
    }
  };

  const emulator: NowPaymentsEmulator = {
    apiBase: `http://127.0.0.1:${port}/v1`,
    invoices,
    invoice: (id) => findInvoice(id),
    payments,
    payment: (id) => findPayment(id),
    ipns,
    requests,

    async sendIpn(invoiceId, status, overrides = {}, ipnOptions = {}) {
      const invoice = findInvoice(invoiceId);
      if (!invoice) throw new Error(`sendIpn: no invoice ${invoiceId}`);
      const url = ipnOptions.url ?? invoice.ipn_callback_url;
      if (!url) throw new Error(`sendIpn: invoice ${invoiceId} has no ipn_callback_url`);
      let payment: NowPaymentsPayment | undefined;
      if (ipnOptions.paymentId !== undefined) {
        const forced = Number(ipnOptions.paymentId);
        if (!Number.isSafeInteger(forced) || forced <= 0)
          throw new Error(`sendIpn: paymentId must be a positive integer`);
        payment = findPayment(forced) ?? createPayment(invoice, forced);
      } else {
        const first = paymentsByInvoice.get(invoice.id)?.[0];
        payment = first === undefined ? undefined : findPayment(first);
        if (!payment) {
          payment = createPayment(invoice, nextPaymentId);
          nextPaymentId += 1 + randomInt(50);
        }
      }
      return deliver(payment, url, invoice.id, status, overrides, ipnOptions);
    },

    async sendPaymentIpn(paymentId, status, overrides = {}, ipnOptions = {}) {
      const payment = findPayment(paymentId);
      if (!payment || !paymentIpnUrls.has(payment.payment_id))
        throw new Error(`sendPaymentIpn: no direct payment ${paymentId}`);
      const url = ipnOptions.url ?? paymentIpnUrls.get(payment.payment_id);
      if (!url) throw new Error(`sendPaymentIpn: payment ${paymentId} has no ipn_callback_url`);
      return deliver(payment, url, null, status, overrides, ipnOptions);
    },

    async payPayment(paymentId, statuses = ["waiting", "confirming", "confirmed", "sending", "finished"]) {
      const results: IpnResult[] = [];
      for (const status of statuses) results.push(await emulator.sendPaymentIpn(paymentId, status));
      return results;
    },

    rejectAddress(address) {
      rejectedAddresses.add(address);
    },

    async payInvoice(invoiceId, statuses = ["waiting", "confirming", "confirmed", "sending", "finished"]) {
      const results: IpnResult[] = [];
      for (const status of statuses) results.push(await emulator.sendIpn(invoiceId, status));
      return results;
    },

    failNext(failure, count = 1) {
      if (!Number.isInteger(count) || count < 1)
        throw new Error("failNext: count must be a positive integer");
      failures.push({ failure, remaining: count });
    },

    dropIpns(on) {
      outage = on;
    },

    get tokensIssued() {
      return tokensIssued;
    },

    async stop() {
      for (const controller of inflight) controller.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  /** Moves the payment to `status` and POSTs its signed IPN (or loses it: drop, outage). */
  async function deliver(
    payment: NowPaymentsPayment,
    url: string,
    invoiceId: string | null,
    status: string,
    overrides: IpnOverrides,
    ipnOptions: IpnOptions,
  ): Promise<IpnResult> {
    const fraction = paidFraction(status);
    payment.payment_status = status;
    payment.actually_paid = round8(payment.pay_amount * fraction);
    payment.actually_paid_at_fiat = round2(payment.price_amount * fraction);
    payment.updated_at = Math.max(Date.now(), payment.updated_at + 1);
    const { signatureOverride, skipSignature, ...fields } = overrides;
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete payment[key];
      else payment[key] = value;
    }
    const payload: Record<string, unknown> = { ...payment };
    const signature = skipSignature
      ? undefined
      : (signatureOverride ?? signIpnBody(payload, options.ipnSecret));
    if (ipnOptions.drop || outage) {
      const lost: IpnResult = { status: 0, body: "", payload, signature, error: "IPN dropped (outage)" };
      ipns.push({ ...lost, invoiceId, paymentId: payment.payment_id, at: Date.now() });
      return lost;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signature !== undefined) headers["x-nowpayments-sig"] = signature;
    const controller = new AbortController();
    inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), ipnTimeoutMs);
    const result: IpnResult = { status: 0, body: "", payload, signature };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      result.status = res.status;
      result.body = await res.text();
    } catch (error) {
      result.error = controller.signal.aborted
        ? `IPN receiver did not answer within ${ipnTimeoutMs} ms`
        : `IPN delivery failed: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
      inflight.delete(controller);
    }
    ipns.push({ ...result, invoiceId, paymentId: payment.payment_id, at: Date.now() });
    return result;
  }
  return emulator;
}
