import { z } from "zod";
import { toDecimalString } from "./decimal.ts";

/**
 * The typed view of a NOWPayments IPN (or a `GET /payment/{id}` answer). NOWPayments sends some
 * numbers as JSON numbers and some as strings, and has changed which over time: every amount is
 * normalised to a decimal string and every id to a string, so nothing downstream sees a float.
 */
export interface IpnPayload {
  paymentId: string;
  invoiceId: string | null;
  /** Our opaque order reference (sent as `order_id` when the invoice was created). */
  orderId: string | null;
  orderDescription: string | null;
  /** One of PAYMENT_STATUSES, or a status NOWPayments added later (stored, never acted on). */
  paymentStatus: string;
  payAddress: string | null;
  priceAmount: string | null;
  priceCurrency: string | null;
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
  outcomeAmount: string | null;
  outcomeCurrency: string | null;
  purchaseId: string | null;
  /** Set on re-deposits and wrong-asset payments: these need review, never automatic access. */
  parentPaymentId: string | null;
  /** NOWPayments' own `updated_at` as epoch milliseconds, when present. */
  updatedAt: number | null;
  /** The payload exactly as received, unknown keys (e.g. the `fee` object) included. */
  raw: Record<string, unknown>;
}

const MAX_DEPTH = 16;
const MAX_TEXT = 512;

const amount = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === "") return null;
    const decimal = toDecimalString(value);
    if (decimal === undefined) {
      ctx.issues.push({ code: "custom", message: "not a decimal amount", input: value });
      return z.NEVER;
    }
    return decimal;
  });

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

const id = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === "") return null;
    if (typeof value === "number") {
      if (Number.isSafeInteger(value) && value >= 0) return String(value);
    } else if (ID_RE.test(value)) {
      return value;
    }
    ctx.issues.push({ code: "custom", message: "not an id", input: value });
    return z.NEVER;
  });

const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,32}$/, "not a currency ticker")
  .nullish()
  .transform((v) => v || null);

const text = z
  .string()
  .max(MAX_TEXT)
  .nullish()
  .transform((v) => v ?? null);

/** epoch ms (number or numeric string) or an ISO time; anything else is ignored, not rejected. */
const timestamp = z
  .unknown()
  .optional()
  .transform((value): number | null => {
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
    if (typeof value === "string" && value.trim()) {
      const n = Number(value);
      if (Number.isSafeInteger(n) && n > 0) return n;
      const t = Date.parse(value);
      if (Number.isFinite(t)) return t;
    }
    return null;
  });

const fieldsSchema = z.object({
  payment_id: id.refine((v) => v !== null, "payment_id is required"),
  invoice_id: id,
  order_id: z
    .union([z.string().max(128), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined || v === "" ? null : String(v))),
  order_description: text,
  payment_status: z
    .string()
    .regex(/^[a-z_]{1,32}$/, "not a payment status")
    .transform((v) => v),
  pay_address: text,
  price_amount: amount,
  price_currency: currency,
  pay_amount: amount,
  actually_paid: amount,
  pay_currency: currency,
  outcome_amount: amount,
  outcome_currency: currency,
  purchase_id: id,
  parent_payment_id: id,
  updated_at: timestamp,
});

/**
 * Why a parsed JSON value cannot be stored and read back as-is (Postgres text and jsonb reject NUL
 * characters and lone UTF-16 surrogates; a `__proto__` key does not survive being copied into a JS
 * object, so what we read would differ from what was signed; absurd nesting is not a payment):
 * a short reason, or undefined when fine.
 */
export function unstorableReason(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return "nested too deeply";
  if (typeof value === "string") {
    if (value.includes("\u0000")) return "contains a NUL character";
    if (!value.isWellFormed()) return "contains malformed unicode";
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unstorableReason(item, depth + 1);
      if (reason) return reason;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "__proto__") return "has a __proto__ key";
      const reason = unstorableReason(key, depth + 1) ?? unstorableReason(item, depth + 1);
      if (reason) return reason;
    }
  }
  return undefined;
}

/**
 * Validates an IPN body (already JSON-parsed) into an {@link IpnPayload}. Failing input yields a
 * ZodError whose issues name the offending fields, for a 400 with a reason.
 */
export const ipnPayloadSchema: z.ZodType<IpnPayload, unknown> = z
  .unknown()
  // Checked on the body itself: z.record's copy silently leaves out a top-level `__proto__`.
  .superRefine((body, ctx) => {
    const reason = unstorableReason(body);
    if (reason) ctx.addIssue({ code: "custom", message: `payload ${reason}`, input: body, abort: true });
  })
  .pipe(z.record(z.string(), z.unknown()))
  .transform((raw, ctx): IpnPayload => {
    const parsed = fieldsSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.issues.push({ code: "custom", message: issue.message, path: issue.path, input: raw });
      }
      return z.NEVER;
    }
    const f = parsed.data;
    return {
      paymentId: f.payment_id!,
      invoiceId: f.invoice_id,
      orderId: f.order_id,
      orderDescription: f.order_description,
      paymentStatus: f.payment_status,
      payAddress: f.pay_address,
      priceAmount: f.price_amount,
      priceCurrency: f.price_currency,
      payAmount: f.pay_amount,
      actuallyPaid: f.actually_paid,
      payCurrency: f.pay_currency,
      outcomeAmount: f.outcome_amount,
      outcomeCurrency: f.outcome_currency,
      purchaseId: f.purchase_id,
      parentPaymentId: f.parent_payment_id,
      updatedAt: f.updated_at,
      raw,
    };
  });

/** A one-line reason for a failed parse: "price_amount: not a decimal amount; …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
