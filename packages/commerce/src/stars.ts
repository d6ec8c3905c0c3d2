import {
  channels,
  type DbOrTx,
  orders,
  payments,
  starSubscriptions,
  subscriptions,
  tiers,
} from "@telepay/db";
import { newOrderReference, type PaymentReport } from "@telepay/payments";
import { and, eq, inArray } from "drizzle-orm";
import { audit } from "./catalog/audit.ts";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import { type Rails, sellsStars } from "./catalog/tiers.ts";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError, CommerceErrorCode } from "./errors.ts";
import { isRowId } from "./ids.ts";
import { createPayments, type PaymentRecorded } from "./payments.ts";

/** Telegram's only subscription period for Stars invoices (30 days, in seconds). */
export const STARS_SUBSCRIPTION_PERIOD_S = 2_592_000;
/** Tiers of exactly this many days are sold as auto-renewing Stars subscriptions. */
export const STARS_SUBSCRIPTION_DAYS = 30;

/** Open statuses a Stars order may be paid in. */
const PAYABLE = new Set(["created", "waiting"]);
/** An order paid (or settled) by its first charge: a later recurring charge is a renewal. */
const SETTLED = new Set(["finished", "needs_review", "refunded"]);

/** Why a pre-checkout query is refused (each has a catalog text in the bot). */
export type CheckoutRefusal =
  | "unknown_order"
  | "not_yours"
  | "price_changed"
  | "unavailable"
  | "already_paid";

/** One Stars charge as Telegram reports it (a successful_payment, or a transaction when reconciling). */
export interface StarsCharge {
  userId: bigint;
  /** The invoice payload: our order reference. */
  payload: string;
  chargeId: string;
  currency: string;
  totalAmount: number;
  /** A charge of a subscription (first or renewal). */
  isRecurring: boolean;
  /** The subscription's first charge. */
  isFirstRecurring: boolean;
  /** subscription_expiration_date: when the next renewal is due. */
  periodEnd: Date | null;
  raw: Record<string, unknown>;
}

/** What recording a charge did: the payment outcome, and whether it was a renewal. */
export type StarsChargeRecorded = PaymentRecorded & { renewal: boolean; orderReference: string };

/** How a Stars invoice for an order is made: a 30-day subscription, or a one-off. */
export function starsInvoiceKind(durationDays: number | null): "subscription" | "one_off" {
  return durationDays === STARS_SUBSCRIPTION_DAYS ? "subscription" : "one_off";
}

/** The invoice id stored on a Stars order (Telegram has none: the payload is the reference). */
export const starsInvoiceId = (reference: string) => `xtr:${reference}`;

/** A Stars charge as the provider-neutral payment report the core records (same path as an IPN). */
export function starsChargeReport(charge: StarsCharge, orderReference: string): PaymentReport {
  const amount = String(charge.totalAmount);
  return {
    provider: "telegram_stars",
    paymentId: charge.chargeId,
    orderReference,
    invoiceId: starsInvoiceId(orderReference),
    status: "finished",
    priceAmount: amount,
    priceCurrency: charge.currency,
    payAmount: amount,
    actuallyPaid: amount,
    payCurrency: charge.currency,
    outcomeAmount: amount,
    outcomeCurrency: charge.currency,
    payAddress: null,
    purchaseId: null,
    parentPaymentId: null,
    providerUpdatedAt: null,
    raw: charge.raw,
  };
}

/** Stars are whole: tolerance has no meaning. */
const STARS_POLICY = { underpaidTolerancePercent: "0" };

type StarSubscription = typeof starSubscriptions.$inferSelect;

/**
 * The Telegram Stars rail on the core (docs/stars.md): checking a pre-checkout query, turning a
 * charge into the same payment report as an IPN (first charge, renewal, redelivery, lost update),
 * and the auto-renewal state the sweep and /subscriptions read.
 */
export function createStars(deps: CommerceDeps) {
  const core = coreOf(deps);
  const payments$ = createPayments(deps);

  async function renewalOrder(tx: DbOrTx, first: typeof orders.$inferSelect, chargeId: string) {
    const key = `stars-renewal:${chargeId}`;
    const now = core.now();
    await tx
      .insert(orders)
      .values({
        reference: newOrderReference(),
        kind: "subscription",
        userId: first.userId,
        channelId: first.channelId,
        tierId: first.tierId,
        amount: first.amount,
        currency: first.currency,
        durationDays: first.durationDays,
        status: "waiting",
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: orders.idempotencyKey });
    const [row] = await tx.select().from(orders).where(eq(orders.idempotencyKey, key));
    return row!;
  }

  return {
    /**
     * The pre-checkout answer: the order the payload names is this user's open Stars order, at the
     * price asked, for a tier and channel still on sale for Stars. One indexed read (the answer is
     * due within 10 s).
     */
    async checkout(query: {
      userId: bigint;
      payload: string;
      currency: string;
      totalAmount: number;
    }): Promise<{ ok: true } | { ok: false; reason: CheckoutRefusal }> {
      const [row] = await core.db
        .select({ order: orders, tierActive: tiers.active, rails: channels.rails, status: channels.status })
        .from(orders)
        .innerJoin(channels, eq(channels.id, orders.channelId))
        .leftJoin(tiers, eq(tiers.id, orders.tierId))
        .where(eq(orders.reference, query.payload));
      if (!row) return { ok: false, reason: "unknown_order" };
      const { order } = row;
      if (order.userId !== query.userId) return { ok: false, reason: "not_yours" };
      if (!PAYABLE.has(order.status)) return { ok: false, reason: "already_paid" };
      if (
        query.currency !== STARS_CURRENCY ||
        order.currency !== STARS_CURRENCY ||
        order.amount !== String(query.totalAmount)
      )
        return { ok: false, reason: "price_changed" };
      if (row.status !== "active" || !sellsStars(row.rails as Rails) || row.tierActive !== true)
        return { ok: false, reason: "unavailable" };
      return { ok: true };
    },

    /**
     * Records one Stars charge through the core's payment writer, idempotent by the charge id: a
     * redelivered charge is a duplicate, a subscription's recurring charge for an order already paid
     * becomes its own renewal order (same tier, amount and days) so the grant stacks exactly once
     * per charge. A charge whose amount or currency differs from the order is flagged for review.
     */
    async recordCharge(charge: StarsCharge): Promise<StarsChargeRecorded> {
      const [known] = await core.db
        .select({ reference: payments.orderReference })
        .from(payments)
        .where(eq(payments.paymentId, charge.chargeId));
      let reference = known?.reference ?? charge.payload;
      let renewal = false;
      if (!known) {
        const [first] = await core.db.select().from(orders).where(eq(orders.reference, charge.payload));
        if (
          first &&
          charge.isRecurring &&
          !charge.isFirstRecurring &&
          first.kind === "subscription" &&
          first.currency === STARS_CURRENCY &&
          first.userId === charge.userId &&
          SETTLED.has(first.status)
        ) {
          reference = (await renewalOrder(core.db, first, charge.chargeId)).reference;
          renewal = true;
        }
      }
      const recorded = await payments$.record(starsChargeReport(charge, reference), STARS_POLICY);
      if (recorded.outcome === "confirmed" && charge.isRecurring) await keepSubscription(charge, renewal);
      return { ...recorded, renewal, orderReference: reference };
    },

    /** The user's Stars subscription to a channel, if they ever had one. */
    async subscriptionOf(userId: bigint, channelId: number): Promise<StarSubscription | undefined> {
      if (!isRowId(channelId)) return undefined;
      const [row] = await core.db
        .select()
        .from(starSubscriptions)
        .where(and(eq(starSubscriptions.userId, userId), eq(starSubscriptions.channelId, channelId)));
      return row;
    },

    /**
     * Records that renewal was switched off (`canceled`) or on again (`renewing`), after Telegram
     * accepted editUserStarSubscription. The sweep looks at the subscription again at once (its
     * schedule depends on it). Audited as `stars.renewal_canceled` / `stars.renewal_resumed`.
     */
    async setRenewal(actor: Actor, userId: bigint, channelId: number, renew: boolean) {
      const now = core.now();
      return core.db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(starSubscriptions)
          .where(and(eq(starSubscriptions.userId, userId), eq(starSubscriptions.channelId, channelId)))
          .for("update");
        if (!row)
          throw new CommerceError(CommerceErrorCode.NOT_FOUND, "no Stars subscription for this channel");
        if (row.state === "lapsed")
          throw new CommerceError(CommerceErrorCode.CONFLICT, "the Stars subscription has lapsed");
        const state = renew ? "renewing" : "canceled";
        const [updated] = await tx
          .update(starSubscriptions)
          .set({ state, updatedAt: now })
          .where(eq(starSubscriptions.id, row.id))
          .returning();
        await rescheduleSweep(tx, userId, channelId, now);
        await audit(tx, actor, renew ? "stars.renewal_resumed" : "stars.renewal_canceled", channelId, {
          userId: String(userId),
          chargeId: row.chargeId,
        });
        return updated!;
      });
    },

    /** The charge ids of `ids` already recorded (reconciliation). */
    async knownCharges(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await core.db
        .select({ id: payments.paymentId })
        .from(payments)
        .where(inArray(payments.paymentId, [...ids]));
      return new Set(rows.map((r) => r.id));
    },
  };

  /** A subscription charge was confirmed: remember (or refresh) the auto-renewing subscription. */
  async function keepSubscription(charge: StarsCharge, renewal: boolean) {
    const now = core.now();
    const [order] = await core.db.select().from(orders).where(eq(orders.reference, charge.payload));
    if (!order) return;
    if (renewal) {
      await core.db
        .update(starSubscriptions)
        .set({ state: "renewing", periodEnd: charge.periodEnd, updatedAt: now })
        .where(
          and(eq(starSubscriptions.userId, order.userId), eq(starSubscriptions.channelId, order.channelId)),
        );
      return;
    }
    await core.db
      .insert(starSubscriptions)
      .values({
        userId: order.userId,
        channelId: order.channelId,
        chargeId: charge.chargeId,
        orderId: order.id,
        state: "renewing",
        periodEnd: charge.periodEnd,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [starSubscriptions.userId, starSubscriptions.channelId],
        set: {
          chargeId: charge.chargeId,
          orderId: order.id,
          state: "renewing",
          periodEnd: charge.periodEnd,
          updatedAt: now,
        },
      });
  }
}

/** The subscription's next sweep look moves to now (its schedule depends on the renewal state). */
async function rescheduleSweep(tx: DbOrTx, userId: bigint, channelId: number, now: Date) {
  await tx
    .update(subscriptions)
    .set({ nextCheckAt: now, updatedAt: now })
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.channelId, channelId),
        eq(subscriptions.status, "active"),
      ),
    );
}

export type Stars = ReturnType<typeof createStars>;
