import { checkouts, orders, paymentChecks, payments } from "@telepay/db";
import {
  type IpnPayload,
  ipnToPaymentReport,
  type NowPaymentsClient,
  NowPaymentsError,
  type PaymentOutcome,
  type PaymentPolicy,
} from "@telepay/payments";
import { and, asc, eq, inArray, isNotNull, lte, ne, or, sql } from "drizzle-orm";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import { type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { createPayments } from "./payments.ts";

/** Order statuses that still wait for NOWPayments to say how the payment ended. */
export const OPEN_ORDER_STATUSES = [
  "created",
  "waiting",
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
] as const;

/** What the reconciler asks NOWPayments (the client's read calls). */
export type PaymentSource = Pick<NowPaymentsClient, "getPayment" | "listPayments" | "canListPayments">;

export interface ReconcileSettings {
  /** An order is first asked about this long after it was created (its IPNs had their chance). Default 3 min. */
  minAgeMs?: number;
  /**
   * Orders older than this are no longer asked about: their invoice has expired, so no payment can
   * start any more (RECONCILE_MAX_AGE_HOURS; default 7 days, NOWPayments' invoice lifetime is
   * shorter). A payment still confirming then is finished by its IPN or `payments reconcile --order`.
   */
  maxAgeMs?: number;
  /** First wait between two checks of one order; doubles per check (default 2 min). */
  backoffBaseMs?: number;
  /** Longest wait between two checks (default 6 h). */
  backoffMaxMs?: number;
  /** Orders checked per run at most (default 500; the rest wait for the next run). */
  batchSize?: number;
  /** NOWPayments calls in flight at once (default 4). */
  concurrency?: number;
}

export interface ReconcileDeps extends CommerceDeps {
  source: PaymentSource;
  policy: PaymentPolicy;
  settings?: ReconcileSettings;
}

export interface ReconcileOptions {
  /** Check only this order, at once: no minimum age, backoff or status filter. */
  orderReference?: string;
  /** Ask NOWPayments, record nothing: report what differs. */
  dryRun?: boolean;
}

/** One payment NOWPayments reported for an order, and what recording it did. */
export interface ReconciledPayment {
  paymentId: string;
  remoteStatus: string;
  /** null on a dry run. */
  outcome: PaymentOutcome | null;
}

export interface ReconciledOrder {
  orderReference: string;
  orderId: number;
  /** The order's status before and after (the same on a dry run). */
  statusBefore: string;
  statusAfter: string;
  payments: ReconciledPayment[];
  /** "recorded" (a status changed), "unchanged", "no_payment", "skipped" (cannot be asked), "error". */
  result: "recorded" | "unchanged" | "no_payment" | "skipped" | "error";
  error?: string;
}

export interface ReconcileResult {
  dryRun: boolean;
  checked: number;
  /** Orders whose status moved because of what NOWPayments said. */
  recorded: number;
  errors: number;
  skipped: number;
  orders: ReconciledOrder[];
}

const MINUTE = 60_000;
const DEFAULTS: Required<ReconcileSettings> = {
  minAgeMs: 3 * MINUTE,
  maxAgeMs: 7 * 24 * 60 * MINUTE,
  backoffBaseMs: 2 * MINUTE,
  backoffMaxMs: 6 * 60 * MINUTE,
  batchSize: 500,
  concurrency: 4,
};
/** A claimed order is left alone by other checkers this long (a run takes seconds). */
const CLAIM_MS = 5 * MINUTE;

/** Wait before the next check after `attempts` checks: base · 2^(attempts-1), capped. */
export function reconcileBackoffMs(attempts: number, settings: ReconcileSettings = {}): number {
  const base = settings.backoffBaseMs ?? DEFAULTS.backoffBaseMs;
  const max = settings.backoffMaxMs ?? DEFAULTS.backoffMaxMs;
  return Math.min(max, base * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}

interface Candidate {
  id: number;
  reference: string;
  invoiceId: string | null;
  status: string;
}

/**
 * Reconciliation: a lost IPN never loses a payment. Finds orders that have an invoice or a payment
 * but no final status a few minutes after they were made, asks NOWPayments for their payments
 * (`GET /payment/{id}` with the API key for payments we know, the payment list by invoice with the
 * JWT for invoices whose every IPN was lost), and records each answer through the very call an IPN
 * goes through (`payments.record`), so the outcome is the same whether or not the IPN arrived.
 * Checks back off per order until the invoice has expired. docs/decisions/reconciliation.md.
 */
export function createReconciler(deps: ReconcileDeps) {
  const core = coreOf(deps);
  const settings = { ...DEFAULTS, ...deps.settings };
  const recorder = createPayments(deps);
  const { source, policy } = deps;

  /** Due orders, oldest check first (orders_open_idx, payment_checks_next_idx). */
  async function dueOrders(now: Date): Promise<Candidate[]> {
    const rows = await core.db
      .select({
        id: orders.id,
        reference: orders.reference,
        invoiceId: orders.invoiceId,
        status: orders.status,
      })
      .from(orders)
      .leftJoin(paymentChecks, eq(paymentChecks.orderId, orders.id))
      .where(
        and(
          inArray(orders.status, [...OPEN_ORDER_STATUSES]),
          // Stars orders are Telegram's to report (reconcileStars), never NOWPayments'.
          ne(orders.currency, STARS_CURRENCY),
          lte(orders.createdAt, new Date(now.getTime() - settings.minAgeMs)),
          sql`${orders.createdAt} > ${new Date(now.getTime() - settings.maxAgeMs).toISOString()}::timestamptz`,
          or(
            isNotNull(orders.invoiceId),
            sql`exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id})`,
            // SETTLEMENT=direct: we made the payment, so its id is known before any IPN.
            sql`exists (select 1 from ${checkouts} where ${checkouts.orderId} = ${orders.id})`,
          ),
          or(sql`${paymentChecks.orderId} is null`, lte(paymentChecks.nextCheckAt, now)),
        ),
      )
      .orderBy(sql`coalesce(${paymentChecks.nextCheckAt}, ${orders.createdAt})`, asc(orders.id))
      .limit(settings.batchSize);
    return rows;
  }

  /**
   * Claims an order for one check: its next check is pushed out first, so another instance's run
   * skips it; false when someone else claimed it since we read it.
   */
  async function claim(orderId: number, now: Date, force: boolean): Promise<boolean> {
    const until = new Date(now.getTime() + CLAIM_MS);
    const rows = await core.db
      .insert(paymentChecks)
      .values({ orderId, nextCheckAt: until, updatedAt: now })
      .onConflictDoUpdate({
        target: paymentChecks.orderId,
        set: { nextCheckAt: until, updatedAt: now },
        ...(force ? {} : { setWhere: lte(paymentChecks.nextCheckAt, now) }),
      })
      .returning({ attempts: paymentChecks.attempts });
    return rows.length > 0;
  }

  async function settle(
    orderId: number,
    now: Date,
    result: ReconciledOrder["result"],
    error?: string,
  ): Promise<void> {
    await core.db
      .update(paymentChecks)
      .set({
        attempts: sql`${paymentChecks.attempts} + 1`,
        // base · 2^attempts (attempts before this check), capped; computed in SQL from the row.
        nextCheckAt: sql`${now.toISOString()}::timestamptz + least(${settings.backoffMaxMs}, ${settings.backoffBaseMs} * power(2, least(${paymentChecks.attempts}, 30))) * interval '1 millisecond'`,
        lastCheckedAt: now,
        lastResult: result,
        lastError: error ?? null,
        updatedAt: now,
      })
      .where(eq(paymentChecks.orderId, orderId));
  }

  /** What NOWPayments says about the order's payments. */
  async function ask(order: Candidate): Promise<IpnPayload[] | "skipped"> {
    // A Stars order (asked for with --order): NOWPayments knows nothing of it.
    if (order.invoiceId?.startsWith("xtr:")) return "skipped";
    if (order.invoiceId && source.canListPayments) {
      const listed = await source.listPayments({ invoiceId: order.invoiceId });
      // The list is filtered by the order's own invoice: a payment that does not echo an order id
      // is this order's. One that names another order goes through as it is (and to review).
      return listed.map((p) => (p.orderId === null ? { ...p, orderId: order.reference } : p));
    }
    // Payment ids we know: from earlier reports, and from the direct payments we created ourselves
    // (checkouts: GET /payment/{id} needs only the API key, even when every IPN was lost).
    const reported = await core.db
      .select({ paymentId: payments.paymentId })
      .from(payments)
      .where(eq(payments.orderId, order.id))
      .orderBy(asc(payments.createdAt));
    const created = await core.db
      .select({ paymentId: checkouts.paymentId })
      .from(checkouts)
      .where(eq(checkouts.orderId, order.id))
      .orderBy(asc(checkouts.id));
    const known = [...new Set([...reported, ...created].map((k) => k.paymentId))];
    if (known.length === 0) return "skipped";
    const out: IpnPayload[] = [];
    for (const paymentId of known) {
      const answer = await source.getPayment(paymentId);
      // A direct payment always echoes our order id; fill it in if an answer ever leaves it out.
      out.push(answer.orderId === null ? { ...answer, orderId: order.reference } : answer);
    }
    return out;
  }

  async function check(order: Candidate, dryRun: boolean, now: Date): Promise<ReconciledOrder> {
    const item: ReconciledOrder = {
      orderReference: order.reference,
      orderId: order.id,
      statusBefore: order.status,
      statusAfter: order.status,
      payments: [],
      result: "unchanged",
    };
    try {
      const answers = await ask(order);
      if (answers === "skipped") {
        item.result = "skipped";
        item.error =
          "no payment id known yet and no NOWPAYMENTS_EMAIL/NOWPAYMENTS_PASSWORD for the payment list";
      } else if (answers.length === 0) {
        item.result = "no_payment";
      } else {
        for (const ipn of answers) {
          if (dryRun) {
            item.payments.push({ paymentId: ipn.paymentId, remoteStatus: ipn.paymentStatus, outcome: null });
            continue;
          }
          // The same call the IPN route makes: one decision, one guarded write, the same events.
          const recorded = await recorder.record(ipnToPaymentReport(ipn), policy);
          item.payments.push({
            paymentId: ipn.paymentId,
            remoteStatus: ipn.paymentStatus,
            outcome: recorded.outcome,
          });
          if (recorded.orderId === order.id && recorded.orderStatus) item.statusAfter = recorded.orderStatus;
        }
        if (item.statusAfter !== item.statusBefore) item.result = "recorded";
      }
    } catch (err) {
      item.result = "error";
      item.error = err instanceof NowPaymentsError ? `${err.kind}: ${err.message}` : String(err);
    }
    if (!dryRun) await settle(order.id, now, item.result, item.error);
    return item;
  }

  return {
    /**
     * One reconciliation pass (the timer, the Cloud Run job, `telepay payments reconcile`). Never
     * throws for one order's failure: it is reported and that order is asked again after its backoff.
     */
    async run(options: ReconcileOptions = {}): Promise<ReconcileResult> {
      const now = core.now();
      const dryRun = options.dryRun === true;
      let candidates: Candidate[];
      if (options.orderReference !== undefined) {
        const [order] = await core.db
          .select({
            id: orders.id,
            reference: orders.reference,
            invoiceId: orders.invoiceId,
            status: orders.status,
          })
          .from(orders)
          .where(eq(orders.reference, options.orderReference));
        if (!order) {
          throw new CommerceError("NOT_FOUND", `no order with reference '${options.orderReference}'`);
        }
        candidates = [order];
      } else {
        candidates = await dueOrders(now);
      }
      const result: ReconcileResult = { dryRun, checked: 0, recorded: 0, errors: 0, skipped: 0, orders: [] };
      const force = options.orderReference !== undefined;
      let next = 0;
      const worker = async () => {
        while (next < candidates.length) {
          const order = candidates[next++]!;
          if (!dryRun && !(await claim(order.id, now, force))) continue;
          const item = await check(order, dryRun, now);
          result.orders.push(item);
          result.checked++;
          if (item.result === "recorded") result.recorded++;
          else if (item.result === "error") result.errors++;
          else if (item.result === "skipped") result.skipped++;
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(settings.concurrency, candidates.length) }, () => worker()),
      );
      result.orders.sort((a, b) => a.orderId - b.orderId);
      return result;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
