import { createHash } from "node:crypto";
import { type Db, orders, paymentEvents, payments, type Tx } from "@telepay/db";
import { enqueue, TOPICS } from "@telepay/events";
import type { IpnPayload, OrderStatusValue } from "@telepay/payments";
import { eq } from "drizzle-orm";
import { decideIpn, type IpnOutcome, type OrderSnapshot, type PaymentSnapshot } from "./ipn-decision.ts";

export interface IpnResult {
  outcome: IpnOutcome;
  /** The order's id when the IPN named a known order. */
  orderId: number | null;
  orderStatus: OrderStatusValue | null;
  previousOrderStatus: OrderStatusValue | null;
  reviewReason: string | null;
  /** Events written to the outbox (the caller kicks the relay when > 0). */
  enqueued: number;
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

/**
 * Records one verified IPN in a single transaction: locks the order (FOR UPDATE), upserts the
 * payment by payment_id, appends the IPN to payment_events, advances the order when the status
 * model allows, and writes payment.confirmed / payment.updated to the outbox. Concurrent copies of
 * an IPN queue on the order lock (or the payment row for unknown orders), so the transition to
 * `finished`, and with it payment.confirmed, happens at most once per order.
 */
export async function processIpn(db: Db, ipn: IpnPayload, now: Date = new Date()): Promise<IpnResult> {
  return db.transaction(async (tx) => {
    // Lock order first, payment second, everywhere: no lock-order deadlocks between IPNs.
    const order = ipn.orderId
      ? ((await tx.select().from(orders).where(eq(orders.reference, ipn.orderId)).for("update"))[0] ?? null)
      : null;
    let existing = await lockPayment(tx, ipn.paymentId);
    const orderSnap: OrderSnapshot | null = order
      ? { id: order.id, status: order.status, amount: order.amount, currency: order.currency }
      : null;

    let decision = decideIpn(ipn, orderSnap, existing);
    const row = (d: typeof decision) => ({
      orderId:
        d.outcome === "review" && d.reviewReason === "order_mismatch"
          ? existing!.orderId
          : (order?.id ?? existing?.orderId ?? null),
      orderReference: ipn.orderId,
      invoiceId: ipn.invoiceId,
      status: d.paymentStatus,
      payAddress: ipn.payAddress,
      priceAmount: ipn.priceAmount,
      priceCurrency: ipn.priceCurrency,
      payAmount: ipn.payAmount,
      actuallyPaid: ipn.actuallyPaid,
      payCurrency: ipn.payCurrency,
      outcomeAmount: ipn.outcomeAmount,
      outcomeCurrency: ipn.outcomeCurrency,
      purchaseId: ipn.purchaseId,
      parentPaymentId: ipn.parentPaymentId,
      needsReview: d.needsReview,
      reviewReason: d.reviewReason,
      raw: ipn.raw,
      remoteUpdatedAt: ipn.updatedAt,
      updatedAt: now,
    });

    if (!existing) {
      const inserted = await tx
        .insert(payments)
        .values({ paymentId: ipn.paymentId, ...row(decision) })
        .onConflictDoNothing({ target: payments.paymentId })
        .returning({ paymentId: payments.paymentId });
      if (inserted.length === 0) {
        // Another transaction created the payment in between (possible only without an order lock).
        existing = await lockPayment(tx, ipn.paymentId);
        decision = decideIpn(ipn, orderSnap, existing);
        if (decision.writePayment)
          await tx.update(payments).set(row(decision)).where(eq(payments.paymentId, ipn.paymentId));
      }
    } else if (decision.writePayment) {
      await tx.update(payments).set(row(decision)).where(eq(payments.paymentId, ipn.paymentId));
    }

    await tx.insert(paymentEvents).values({
      paymentId: ipn.paymentId,
      status: ipn.paymentStatus,
      payload: ipn.raw,
      outcome: decision.outcome,
      receivedAt: now,
    });

    let enqueued = 0;
    const previous = order?.status ?? null;
    if (order && decision.orderStatus && decision.orderStatus !== order.status) {
      await tx
        .update(orders)
        .set({ status: decision.orderStatus, updatedAt: now, ...(decision.paid ? { paidAt: now } : {}) })
        .where(eq(orders.id, order.id));
      const common = {
        orderId: order.id,
        orderReference: order.reference,
        kind: order.kind,
        userId: order.userId.toString(),
        channelId: order.channelId,
        paymentId: ipn.paymentId,
        actuallyPaid: busDecimal(ipn.actuallyPaid),
        payCurrency: ipn.payCurrency,
      };
      if (decision.paid) {
        await enqueue(
          tx,
          TOPICS.paymentConfirmed,
          {
            ...common,
            tierId: order.tierId,
            amount: order.amount,
            currency: order.currency,
            durationDays: order.durationDays,
            paidAt: now.toISOString(),
          },
          { orderingKey: order.reference, eventId: confirmedEventId(order.reference) },
        );
        enqueued++;
      } else if (decision.userUpdate) {
        await enqueue(
          tx,
          TOPICS.paymentUpdated,
          {
            ...common,
            status: decision.userUpdate,
            previousStatus: previous,
            priceAmount: busDecimal(ipn.priceAmount),
            priceCurrency: ipn.priceCurrency,
            payAmount: busDecimal(ipn.payAmount),
          },
          { orderingKey: order.reference },
        );
        enqueued++;
      }
    }
    return {
      outcome: decision.outcome,
      orderId: order?.id ?? null,
      orderStatus: order ? (decision.orderStatus ?? order.status) : null,
      previousOrderStatus: previous,
      reviewReason: decision.needsReview ? decision.reviewReason : null,
      enqueued,
    };
  });
}

async function lockPayment(tx: Tx, paymentId: string): Promise<PaymentSnapshot | null> {
  const [p] = await tx
    .select({
      status: payments.status,
      orderId: payments.orderId,
      needsReview: payments.needsReview,
      reviewReason: payments.reviewReason,
      remoteUpdatedAt: payments.remoteUpdatedAt,
    })
    .from(payments)
    .where(eq(payments.paymentId, paymentId))
    .for("update");
  return p ?? null;
}
