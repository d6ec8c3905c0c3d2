import {
  accessGrants,
  auditLog,
  channels,
  type DbOrTx,
  notices,
  orders,
  payments,
  type ReviewDecision,
  reviewResolutions,
} from "@telepay/db";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { confirmedEventId } from "./payments.ts";

/** A payment flagged for review (payments.needs_review), with its order and how it was settled. */
export interface Review {
  /** The review's id: the NOWPayments payment id (`telepay review resolve <id>`). */
  id: string;
  paymentId: string;
  /** Why it was flagged: underpaid, paid_short, currency_mismatch, unknown_order, re_deposit, … */
  reason: string;
  /** open, or how it was resolved. */
  status: "open" | "granted" | "dismissed";
  paymentStatus: string;
  orderId: number | null;
  orderReference: string | null;
  orderStatus: string | null;
  kind: "subscription" | "donation" | null;
  channelId: number | null;
  /** The payer (the order's user); null for an unknown order. */
  userId: bigint | null;
  /** What the order cost. */
  amount: string | null;
  currency: string | null;
  /** What the provider reported. */
  priceAmount: string | null;
  priceCurrency: string | null;
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
  flaggedAt: Date;
  /** Whether "grant anyway" is possible: a known order, not paid yet, and money arrived. */
  canGrant: boolean;
  resolution: {
    decision: ReviewDecision;
    note: string | null;
    actor: string;
    actorTelegramId: bigint | null;
    at: Date;
  } | null;
}

/** What resolving a review did. */
export interface ReviewResolved {
  review: Review;
  /** The payment.confirmed event written by a grant (null for a dismissal). */
  eventId: string | null;
}

export interface ListReviewsOptions {
  /** Only reviews of this channel's orders. */
  channelId?: number;
  /** Only reviews of channels this Telegram user owns (the owner's view, e.g. the dashboard). */
  ownerTelegramId?: bigint;
  /** Also reviews already resolved (default: open ones only). */
  includeResolved?: boolean;
  /** One payment's review. */
  paymentId?: string;
}

export interface ResolveReviewInput {
  /** The review's id (its payment id). */
  paymentId: string;
  decision: ReviewDecision;
  note?: string | null;
  actor: Actor;
  /**
   * The reason the decision was made on (the owner's button carries it): if the payment was flagged
   * again for another reason meanwhile, the decision is refused rather than applied to facts the
   * actor did not see.
   */
  reason?: string;
}

/** Payment statuses that mean money arrived (a grant on a payment still waiting would be access without payment). */
const MONEY_ARRIVED = new Set(["finished", "partially_paid", "confirmed", "sending"]);
/** Reasons whose payment cannot pay the order it is linked to. */
const NEVER_GRANTABLE = new Set(["unknown_order", "order_mismatch"]);
const SETTLED_ORDER = new Set(["finished", "refunded"]);
export const MAX_NOTE_LENGTH = 500;

const reviewColumns = {
  paymentId: payments.paymentId,
  reason: payments.reviewReason,
  paymentStatus: payments.status,
  orderId: orders.id,
  orderReference: sql<string | null>`coalesce(${orders.reference}, ${payments.orderReference})`,
  orderStatus: orders.status,
  kind: orders.kind,
  channelId: orders.channelId,
  userId: orders.userId,
  amount: orders.amount,
  currency: orders.currency,
  priceAmount: payments.priceAmount,
  priceCurrency: payments.priceCurrency,
  payAmount: payments.payAmount,
  actuallyPaid: payments.actuallyPaid,
  payCurrency: payments.payCurrency,
  flaggedAt: payments.updatedAt,
  decision: reviewResolutions.decision,
  note: reviewResolutions.note,
  actor: reviewResolutions.actor,
  actorTelegramId: reviewResolutions.actorTelegramId,
  resolvedAt: reviewResolutions.createdAt,
};

type ReviewRow = {
  [K in keyof typeof reviewColumns]: unknown;
};

function toReview(r: ReviewRow): Review {
  const reason = r.reason as string;
  const orderStatus = (r.orderStatus as string | null) ?? null;
  const paymentStatus = r.paymentStatus as string;
  const decision = (r.decision as ReviewDecision | null) ?? null;
  return {
    id: r.paymentId as string,
    paymentId: r.paymentId as string,
    reason,
    status: decision === null ? "open" : decision === "grant" ? "granted" : "dismissed",
    paymentStatus,
    orderId: (r.orderId as number | null) ?? null,
    orderReference: (r.orderReference as string | null) ?? null,
    orderStatus,
    kind: (r.kind as Review["kind"]) ?? null,
    channelId: (r.channelId as number | null) ?? null,
    userId: (r.userId as bigint | null) ?? null,
    amount: (r.amount as string | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    priceAmount: (r.priceAmount as string | null) ?? null,
    priceCurrency: (r.priceCurrency as string | null) ?? null,
    payAmount: (r.payAmount as string | null) ?? null,
    actuallyPaid: (r.actuallyPaid as string | null) ?? null,
    payCurrency: (r.payCurrency as string | null) ?? null,
    flaggedAt: r.flaggedAt as Date,
    canGrant:
      decision === null &&
      r.orderId !== null &&
      !NEVER_GRANTABLE.has(reason) &&
      orderStatus !== null &&
      !SETTLED_ORDER.has(orderStatus) &&
      MONEY_ARRIVED.has(paymentStatus),
    resolution:
      decision === null
        ? null
        : {
            decision,
            note: (r.note as string | null) ?? null,
            actor: r.actor as string,
            actorTelegramId: (r.actorTelegramId as bigint | null) ?? null,
            at: r.resolvedAt as Date,
          },
  };
}

/**
 * Payments flagged for review, oldest first: open ones, or with `includeResolved` also those whose
 * current reason was resolved. A review is one payment and its current review_reason.
 */
export async function listReviews(db: DbOrTx, options: ListReviewsOptions = {}): Promise<Review[]> {
  const rows = await db
    .select(reviewColumns)
    .from(payments)
    .leftJoin(orders, eq(orders.id, payments.orderId))
    .leftJoin(channels, eq(channels.id, orders.channelId))
    .leftJoin(
      reviewResolutions,
      and(
        eq(reviewResolutions.paymentId, payments.paymentId),
        eq(reviewResolutions.reason, payments.reviewReason),
      ),
    )
    .where(
      and(
        eq(payments.needsReview, true),
        sql`${payments.reviewReason} is not null`,
        options.includeResolved ? undefined : isNull(reviewResolutions.id),
        options.channelId !== undefined ? eq(orders.channelId, options.channelId) : undefined,
        options.ownerTelegramId !== undefined
          ? eq(channels.ownerTelegramId, options.ownerTelegramId)
          : undefined,
        options.paymentId !== undefined ? eq(payments.paymentId, options.paymentId) : undefined,
      ),
    )
    .orderBy(asc(payments.updatedAt), asc(payments.paymentId));
  return rows.map(toReview);
}

const actorName = (actor: Actor) => actor.kind;
const actorId = (actor: Actor) => (actor.kind === "owner" ? actor.telegramId : null);

/**
 * Settles one review, for the channel's owner (bot buttons) and the operator (CLI) alike:
 * - `grant`: pays the order through the same rows a confirmed payment writes (order `finished`,
 *   access grant `owed`, the owner's and donor's notices, payment.confirmed with the order's derived
 *   event id), so the notifier delivers access exactly as for any paid order. Refused for an order
 *   already paid or refunded (never a second grant), for a payment that names no order or another
 *   one, and while no money has arrived.
 * - `dismiss`: records the decision (with its note) and changes nothing else.
 * Each review is resolved once (a second attempt is CONFLICT); an owner may only resolve reviews of
 * their own channels (FORBIDDEN). Every resolution is audited in the same transaction.
 */
export async function resolveReview(deps: CommerceDeps, input: ResolveReviewInput): Promise<ReviewResolved> {
  const core = coreOf(deps);
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note && note.length > MAX_NOTE_LENGTH) {
    throw new CommerceError("INVALID", `the note is longer than ${MAX_NOTE_LENGTH} characters`, {
      field: "note",
    });
  }
  const now = core.now();
  const result = await core.db.transaction(async (tx) => {
    // The payment row is the review's lock: two resolutions of the same review run one after the other.
    const [payment] = await tx
      .select()
      .from(payments)
      .where(eq(payments.paymentId, input.paymentId))
      .for("update");
    if (!payment) throw new CommerceError("NOT_FOUND", `no payment ${input.paymentId}`);
    if (!payment.needsReview || !payment.reviewReason) {
      throw new CommerceError("NOT_FOUND", `payment ${input.paymentId} is not flagged for review`);
    }
    const reason = payment.reviewReason;
    if (input.reason !== undefined && input.reason !== reason) {
      throw new CommerceError(
        "CONFLICT",
        `payment ${input.paymentId} was flagged again meanwhile (now: ${reason}); look at it again`,
        { reason },
      );
    }
    const [done] = await tx
      .select()
      .from(reviewResolutions)
      .where(and(eq(reviewResolutions.paymentId, payment.paymentId), eq(reviewResolutions.reason, reason)));
    if (done) {
      throw new CommerceError(
        "CONFLICT",
        `review ${payment.paymentId} was already resolved: ${done.decision === "grant" ? "granted" : "dismissed"} by ${done.actor} at ${done.createdAt.toISOString()}`,
        { decision: done.decision },
      );
    }
    const [linked] = payment.orderId
      ? await tx
          .select({ order: orders, channel: channels })
          .from(orders)
          .innerJoin(channels, eq(channels.id, orders.channelId))
          .where(eq(orders.id, payment.orderId))
          .for("update", { of: orders })
      : [];
    if (input.actor.kind === "owner" && linked?.channel.ownerTelegramId !== input.actor.telegramId) {
      throw new CommerceError("FORBIDDEN", `review ${payment.paymentId} is not about one of your channels`);
    }

    let eventId: string | null = null;
    if (input.decision === "grant") {
      if (!linked || NEVER_GRANTABLE.has(reason)) {
        throw new CommerceError(
          "CONFLICT",
          `payment ${payment.paymentId} (${reason}) cannot pay an order; dismiss it (and refund the payer)`,
        );
      }
      const order = linked.order;
      if (SETTLED_ORDER.has(order.status)) {
        throw new CommerceError(
          "CONFLICT",
          `order ${order.reference} is already ${order.status === "finished" ? "paid" : "refunded"}; a second grant is never made, dismiss it (and refund the payer)`,
        );
      }
      if (!MONEY_ARRIVED.has(payment.status)) {
        throw new CommerceError(
          "CONFLICT",
          `payment ${payment.paymentId} is '${payment.status}': no money has arrived yet, nothing to grant on`,
        );
      }
      eventId = await payOrder(tx, order, payment, now);
    }

    const [resolution] = await tx
      .insert(reviewResolutions)
      .values({
        paymentId: payment.paymentId,
        reason,
        decision: input.decision,
        note,
        actor: actorName(input.actor),
        actorTelegramId: actorId(input.actor),
        orderId: linked?.order.id ?? null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: reviewResolutions.id });
    if (!resolution) throw new CommerceError("CONFLICT", `review ${payment.paymentId} was already resolved`);
    await tx.insert(auditLog).values({
      actor: actorName(input.actor),
      actorTelegramId: actorId(input.actor),
      action: input.decision === "grant" ? "review.granted" : "review.dismissed",
      channelId: linked?.channel.id ?? null,
      subjectUserId: linked?.order.userId ?? null,
      details: {
        paymentId: payment.paymentId,
        reason,
        note,
        orderReference: linked?.order.reference ?? payment.orderReference,
        paymentStatus: payment.status,
        actuallyPaid: payment.actuallyPaid,
        payCurrency: payment.payCurrency,
        ...(eventId ? { eventId } : {}),
      },
      createdAt: now,
    });
    const [review] = await listReviews(tx, { paymentId: payment.paymentId, includeResolved: true });
    return { review: review!, eventId };
  });
  if (result.eventId) core.enqueued();
  return result;
}

type OrderRow = typeof orders.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

/**
 * The core's grant path for an order a person accepted: the same rows payments.record writes when a
 * payment confirms an order (docs/decisions/payment-recording.md). The order row is locked by the
 * caller; payment.confirmed's id is derived from the order reference and unique in the outbox, so a
 * second grant of the same order fails the transaction instead of inviting twice.
 */
async function payOrder(tx: DbOrTx, order: OrderRow, payment: PaymentRow, now: Date): Promise<string> {
  const moved = await tx
    .update(orders)
    .set({ status: "finished", paidAt: now, updatedAt: now })
    .where(and(eq(orders.id, order.id), eq(orders.status, order.status)))
    .returning({ id: orders.id });
  if (moved.length === 0) throw new CommerceError("CONFLICT", `order ${order.reference} changed meanwhile`);
  const amounts = {
    payAmount: decimalOrNull(payment.payAmount),
    actuallyPaid: decimalOrNull(payment.actuallyPaid),
    payCurrency: payment.payCurrency,
  };
  if (order.kind === "subscription") {
    await tx.insert(accessGrants).values({ orderId: order.id, state: "owed" }).onConflictDoNothing();
  }
  await tx
    .insert(notices)
    .values([
      ...(order.kind === "donation"
        ? [
            {
              key: `order:${order.id}:donation_thanks`,
              kind: "donation_thanks" as const,
              orderId: order.id,
              paymentId: payment.paymentId,
              details: amounts,
            },
          ]
        : []),
      {
        key: `order:${order.id}:owner_paid`,
        kind: "owner_paid" as const,
        orderId: order.id,
        paymentId: payment.paymentId,
        details: amounts,
      },
    ])
    .onConflictDoNothing();
  const { enqueue, TOPICS } = await import("@telepay/events");
  return enqueue(
    tx,
    TOPICS.paymentConfirmed,
    {
      orderId: order.id,
      orderReference: order.reference,
      kind: order.kind,
      userId: order.userId.toString(),
      channelId: order.channelId,
      tierId: order.tierId,
      amount: order.amount,
      currency: order.currency,
      durationDays: order.durationDays,
      paymentId: payment.paymentId,
      actuallyPaid: amounts.actuallyPaid,
      payCurrency: payment.payCurrency,
      paidAt: now.toISOString(),
    },
    { eventId: confirmedEventId(order.reference), orderingKey: order.reference },
  );
}

const decimalOrNull = (v: string | null) => (v !== null && /^\d+(\.\d+)?$/.test(v) ? v : null);

/** The review rules bound to the core (createCommerce's `reviews`). */
export function createReviews(deps: CommerceDeps) {
  return {
    /** See listReviews. */
    list: (options: ListReviewsOptions = {}) => listReviews(deps.db, options),
    /** See resolveReview. */
    resolve: (input: ResolveReviewInput) => resolveReview(deps, input),
  };
}
export type Reviews = ReturnType<typeof createReviews>;
