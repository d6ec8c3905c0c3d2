import { createHash, randomUUID } from "node:crypto";
import {
  decidePayment,
  type OrderSnapshot,
  type OrderStatusValue,
  type PaymentDecision,
  type PaymentOutcome,
  type PaymentPolicy,
  type PaymentReport,
  type PaymentSnapshot,
} from "@telepay/payments";
import { type CommerceDeps, coreOf } from "./deps.ts";
import {
  paramsOf,
  type ReadRow,
  readStatement,
  type Statement,
  type WriteShape,
  writeStatement,
} from "./payment-statements.ts";
import { sqlRunner } from "./sql-runner.ts";

/** What recording one payment report did. */
export interface PaymentRecorded {
  outcome: PaymentOutcome;
  /** The order's id when the report named a known order. */
  orderId: number | null;
  orderStatus: OrderStatusValue | null;
  previousOrderStatus: OrderStatusValue | null;
  reviewReason: string | null;
  /** Events written to the outbox (the relay was kicked when > 0). */
  enqueued: number;
  /** Their event ids, in the order written. */
  eventIds: string[];
}

/** The bus only carries non-negative decimal strings: anything else travels as null. */
const busDecimal = (v: string | null) => (v !== null && /^\d+(\.\d+)?$/.test(v) ? v : null);

/**
 * payment.confirmed's event id, derived from the order reference (a UUID-shaped SHA-1). The outbox's
 * unique event_id then makes a second confirmation of the same order impossible even if the status
 * guard were ever bypassed: the transaction would fail instead of granting twice.
 */
export function confirmedEventId(orderReference: string): string {
  const h = createHash("sha1").update(`payment.confirmed:${orderReference}`).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Payment updates the payer is told about by DM (the others are not worth a message). */
const TOLD_STATUSES = new Set(["confirming", "partially_paid", "failed", "expired", "refunded"]);

type Work =
  | { kind: "grant" }
  | {
      kind: "owner_paid" | "donation_thanks" | "payment_update";
      key: string;
      details: Record<string, unknown>;
    };

/**
 * What an order's transition owes people: access and the owner's notice when it is paid, a thank-you
 * for a donation, a DM to the payer when their payment moved in a way they should hear about.
 */
function durableWork(
  order: { id: number; kind: "subscription" | "donation"; status: OrderStatusValue },
  report: PaymentReport,
  decision: PaymentDecision,
): Work[] {
  const amounts = {
    payAmount: busDecimal(report.payAmount),
    actuallyPaid: busDecimal(report.actuallyPaid),
    payCurrency: report.payCurrency,
  };
  if (decision.paid) {
    return [
      ...(order.kind === "subscription" ? [{ kind: "grant" as const }] : []),
      ...(order.kind === "donation"
        ? [{ kind: "donation_thanks" as const, key: `order:${order.id}:donation_thanks`, details: amounts }]
        : []),
      { kind: "owner_paid", key: `order:${order.id}:owner_paid`, details: amounts },
    ];
  }
  // A refund of a paid order is told by its reversal (what it took back), not by a second DM here.
  if (decision.userUpdate === "refunded" && order.status === "finished") return [];
  if (decision.userUpdate && TOLD_STATUSES.has(decision.userUpdate)) {
    return [
      {
        kind: "payment_update",
        key: `payment:${report.paymentId}:${decision.userUpdate}`,
        details: { status: decision.userUpdate, ...amounts },
      },
    ];
  }
  return [];
}

/**
 * The owner's review notice for a report that flags its payment for a reason it did not have yet,
 * when the report's order is the payment's own (an unknown order or a payment of another order has
 * no owner to ask: those are the operator's, `telepay review list`).
 */
function reviewNotice(
  order: { id: number } | null,
  existing: PaymentSnapshot | null,
  decision: PaymentDecision,
  report: PaymentReport,
): { key: string; kind: "owner_review"; details: Record<string, unknown> } | undefined {
  if (!order || !decision.needsReview || !decision.reviewReason) return undefined;
  if (decision.reviewReason === "order_mismatch" || decision.reviewReason === "unknown_order")
    return undefined;
  if (existing?.needsReview && existing.reviewReason === decision.reviewReason) return undefined;
  return {
    key: `payment:${report.paymentId}:review:${decision.reviewReason}`,
    kind: "owner_review",
    details: { reason: decision.reviewReason },
  };
}

type Events = typeof import("@telepay/events");
let events: Promise<Events> | undefined;
/**
 * @telepay/events, loaded on the first payment recorded: its index also pulls in the Pub/Sub client
 * (~0.5 s of start-up), which processes that use the core but never record a payment (the CLI)
 * should not pay for.
 */
const loadEvents = () => (events ??= import("@telepay/events"));

/** A guarded write lost to a concurrent report of the same order or payment: read again and redo. */
const MAX_ATTEMPTS = 20;

/**
 * The payments part of the core: the one writer of payments, payment_events and what a payment does
 * to its order (status, access grant, notices, outbox events).
 */
export function createPayments(deps: CommerceDeps) {
  const core = coreOf(deps);
  const run = sqlRunner(core.db);
  const query = (statement: Statement, values: Record<string, unknown>) =>
    run(statement.text, paramsOf(statement, values));

  return {
    /**
     * Records one verified payment report (payment, payment_events, order status, access grant, notices,
     * outbox event) in ONE statement guarded by the state it read; kicks the relay when it enqueued events.
     * Rules, guards and why: docs/decisions/payment-recording.md.
     */
    async record(report: PaymentReport, policy: PaymentPolicy): Promise<PaymentRecorded> {
      const now = core.now();
      const { parseEvent, TOPICS } = await loadEvents();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const [row] = (await query(readStatement(), {
          orderReference: report.orderReference,
          paymentId: report.paymentId,
        })) as unknown as ReadRow[];
        const result = await writeGuarded(query, report, row!, now, policy, parseEvent, TOPICS);
        if (result) {
          if (result.enqueued > 0) core.enqueued();
          return result;
        }
      }
      throw new Error(
        `payment ${report.paymentId} lost ${MAX_ATTEMPTS} races in a row; not recorded, retry it`,
      );
    },
  };
}

export type Payments = ReturnType<typeof createPayments>;

async function writeGuarded(
  query: (statement: Statement, values: Record<string, unknown>) => Promise<Record<string, unknown>[]>,
  report: PaymentReport,
  row: ReadRow,
  now: Date,
  policy: PaymentPolicy,
  parseEvent: Events["parseEvent"],
  TOPICS: Events["TOPICS"],
): Promise<PaymentRecorded | undefined> {
  const order =
    row.orderId !== null
      ? {
          id: row.orderId,
          reference: row.reference!,
          kind: row.kind!,
          userId: row.userId!,
          channelId: row.channelId!,
          tierId: row.tierId,
          amount: row.amount!,
          currency: row.currency!,
          durationDays: row.durationDays,
          status: row.orderStatus!,
        }
      : null;
  const existing: PaymentSnapshot | null =
    row.paymentStatus !== null
      ? {
          status: row.paymentStatus,
          orderId: row.paymentOrderId,
          needsReview: row.needsReview ?? false,
          reviewReason: row.reviewReason,
          providerUpdatedAt: row.remoteUpdatedAt === null ? null : Number(row.remoteUpdatedAt),
          payAmount: row.payAmount,
          payCurrency: row.payCurrency,
          paidOrder: row.paidOrder === true,
        }
      : null;
  const orderSnap: OrderSnapshot | null = order
    ? {
        id: order.id,
        status: order.status,
        amount: order.amount,
        currency: order.currency,
        invoiceId: row.invoiceId,
      }
    : null;
  const decision = decidePayment(report, orderSnap, existing, policy, now);

  const values: Record<string, unknown> = {
    at: now,
    raw: report.raw,
    paymentId: report.paymentId,
    // A payment that belongs to another order stays linked to the order it started with.
    linkedOrderId:
      decision.reviewReason === "order_mismatch"
        ? existing!.orderId
        : (order?.id ?? existing?.orderId ?? null),
    orderReference: report.orderReference,
    invoiceId: report.invoiceId,
    paymentStatus: decision.paymentStatus,
    payAddress: report.payAddress,
    priceAmount: report.priceAmount,
    priceCurrency: report.priceCurrency,
    payAmount: report.payAmount,
    actuallyPaid: report.actuallyPaid,
    payCurrency: report.payCurrency,
    outcomeAmount: report.outcomeAmount,
    outcomeCurrency: report.outcomeCurrency,
    purchaseId: report.purchaseId,
    parentPaymentId: report.parentPaymentId,
    needsReview: decision.needsReview,
    reviewReason: decision.reviewReason,
    providerUpdatedAt: decision.providerUpdatedAt,
    reportStatus: report.status,
    outcome: decision.outcome,
    orderId: order?.id ?? null,
    orderStatus: order?.status ?? null,
    storedStatus: existing?.status ?? null,
    storedOrderId: existing?.orderId ?? null,
  };
  const shape: WriteShape = {
    payment: !existing ? "insert" : decision.writePayment ? "update" : "lock",
    order: order !== null,
    orderMoves: false,
    paid: false,
    event: false,
    grant: false,
    notices: 0,
  };

  const eventIds: string[] = [];
  const previous = order?.status ?? null;
  if (order && decision.orderStatus && decision.orderStatus !== order.status) {
    shape.orderMoves = true;
    shape.paid = decision.paid;
    values.newOrderStatus = decision.orderStatus;
    const common = {
      orderId: order.id,
      orderReference: order.reference,
      kind: order.kind,
      userId: order.userId,
      channelId: order.channelId,
      paymentId: report.paymentId,
      actuallyPaid: busDecimal(report.actuallyPaid),
      payCurrency: report.payCurrency,
    };
    let event: { id: string; topic: string; payload: unknown } | undefined;
    if (decision.paid) {
      event = {
        id: confirmedEventId(order.reference),
        topic: TOPICS.paymentConfirmed,
        // Validated like enqueue() does: a producer bug fails the write instead of poisoning consumers.
        payload: parseEvent(TOPICS.paymentConfirmed, {
          ...common,
          tierId: order.tierId,
          amount: order.amount,
          currency: order.currency,
          durationDays: order.durationDays,
          paidAt: now.toISOString(),
        }),
      };
    } else if (decision.userUpdate) {
      event = {
        id: randomUUID(),
        topic: TOPICS.paymentUpdated,
        payload: parseEvent(TOPICS.paymentUpdated, {
          ...common,
          status: decision.userUpdate,
          previousStatus: previous,
          priceAmount: busDecimal(report.priceAmount),
          priceCurrency: report.priceCurrency,
          payAmount: busDecimal(report.payAmount),
        }),
      };
    }
    if (event) {
      shape.event = true;
      Object.assign(values, {
        eventId: event.id,
        topic: event.topic,
        orderingKey: order.reference,
        eventPayload: event.payload,
      });
      eventIds.push(event.id);
    }
    for (const work of durableWork(order, report, decision)) {
      if (work.kind === "grant") {
        shape.grant = true;
        continue;
      }
      const i = shape.notices++;
      values[`notice${i}Key`] = work.key;
      values[`notice${i}Kind`] = work.kind;
      values[`notice${i}Details`] = work.details;
    }
  }

  // A payment newly flagged for review about a known order: its owner is asked to decide (a DM with
  // grant / dismiss buttons, sent by the notifier like every notice). The operator sees every review.
  const ownerReview = reviewNotice(order, existing, decision, report);
  if (ownerReview) {
    const i = shape.notices++;
    values[`notice${i}Key`] = ownerReview.key;
    values[`notice${i}Kind`] = ownerReview.kind;
    values[`notice${i}Details`] = ownerReview.details;
  }

  const [done] = await query(writeStatement(shape), values);
  if (Number(done?.ok ?? 0) !== 1) return undefined;
  return {
    outcome: decision.outcome,
    orderId: order?.id ?? null,
    orderStatus: order ? (decision.orderStatus ?? order.status) : null,
    previousOrderStatus: previous,
    reviewReason: decision.needsReview ? decision.reviewReason : null,
    enqueued: eventIds.length,
    eventIds,
  };
}
