import { accessGrants, auditLog, type DbOrTx, notices, orders, payments, subscriptions } from "@telepay/db";
import { and, asc, eq, gt, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { loadEvents } from "./lazy-events.ts";
import { paidItsOrder } from "./paid-its-order.ts";
import { DAY_MS, DEFAULT_REMINDER_DAYS, isLive, nextCheckAt } from "./subscription-rules.ts";

type Subscription = typeof subscriptions.$inferSelect;
type Grant = typeof accessGrants.$inferSelect;

/** What to reverse, and who says so. */
export interface ReverseInput {
  /** The paid order whose access is taken back (orders.id). */
  orderId: number;
  /** Who recorded it: `system` for a provider's report (IPN), `cli` for the operator, `owner`. */
  actor: Actor;
  /**
   * Why, for the audit log and the owner: e.g. `ipn_refunded` (NOWPayments said so),
   * `operator_refund` (`telepay payments refund`), `stars_refund` (a Telegram Stars refund).
   */
  cause: string;
  /** The provider's payment or charge id that was refunded, when known (audit, notices). */
  paymentId?: string | null;
}

/** What a reversal did (or found already done). */
export interface Reversal {
  orderId: number;
  orderReference: string;
  kind: "subscription" | "donation";
  userId: bigint;
  channelId: number;
  /** True when the order had been reversed before: nothing was withdrawn or written this time. */
  alreadyReversed: boolean;
  reversedAt: Date;
  /**
   * What became of the order's access grant: `reversed` (its days had been added and were taken
   * back), `voided` (refunded before its days were added: it never will be), `none` (a donation, or
   * a grant already void).
   */
  grant: "reversed" | "voided" | "none";
  /** Milliseconds of access withdrawn from the subscription (0 when none was left to take). */
  withdrawnMs: number;
  subscriptionId: number | null;
  previousExpiresAt: Date | null;
  expiresAt: Date | null;
  /** False when no time is left: the notifier removes the subscriber from the closed channel. */
  accessLeft: boolean;
  /** The payment.updated event that wakes the notifier, when this call wrote one. */
  eventId: string | null;
}

/**
 * How much of an order's time is still to come, i.e. what a reversal withdraws. docs/refunds.md.
 *
 * The order's days cover [end − days, end], `end` being the grant's expires_at (the subscription's
 * expiry right after those days were added, moved earlier when an earlier order was reversed). Only
 * the part after `now` and before the subscription's current expiry can be taken back: days already
 * used are not clawed back from other orders, and time an operator already cut is not cut twice.
 * An order from an earlier run of the subscription (it lapsed or was revoked and started again since)
 * has nothing left.
 */
export function unusedTime(
  sub: Pick<Subscription, "status" | "startsAt" | "expiresAt" | "remindersSent">,
  grantEnd: Date,
  days: number,
  now: Date,
): number {
  if (!isLive(sub, now)) return 0;
  const end = grantEnd.getTime();
  const start = end - days * DAY_MS;
  if (start < sub.startsAt.getTime()) return 0;
  return Math.max(0, Math.min(end, sub.expiresAt.getTime()) - Math.max(start, now.getTime()));
}

const actorFields = (actor: Actor) => ({
  actor: actor.kind,
  actorTelegramId: actor.kind === "owner" ? actor.telegramId : null,
});

/**
 * Refunds and reversals: the one place where a paid order's access is taken back
 * (docs/refunds.md). Providers and the operator reach it through `reverse`; the CLI's
 * `payments refund` through `refundPayment`; the notifier's re-drive through `resume`.
 */
export function createReversals(deps: CommerceDeps) {
  const core = coreOf(deps);
  const reminderDays = deps.reminderDays ?? DEFAULT_REMINDER_DAYS;

  async function reverseIn(tx: DbOrTx, input: ReverseInput, now: Date): Promise<Reversal> {
    // Lock order: grant, order, subscription — the notifier's grant application takes them in the
    // same order, so the two serialize instead of deadlocking.
    const [grant] = await tx
      .select()
      .from(accessGrants)
      .where(eq(accessGrants.orderId, input.orderId))
      .for("update");
    const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for("update");
    if (!order) throw new CommerceError("NOT_FOUND", `no order with id ${input.orderId}`);
    const base = {
      orderId: order.id,
      orderReference: order.reference,
      kind: order.kind,
      userId: order.userId,
      channelId: order.channelId,
    };
    if (order.reversedAt) {
      return {
        ...base,
        alreadyReversed: true,
        reversedAt: order.reversedAt,
        grant: grant?.state === "reversed" ? "reversed" : grant?.state === "void" ? "voided" : "none",
        withdrawnMs: 0,
        subscriptionId: grant?.subscriptionId ?? null,
        previousExpiresAt: null,
        expiresAt: null,
        accessLeft: false,
        eventId: null,
      };
    }
    if (order.paidAt === null || (order.status !== "finished" && order.status !== "refunded")) {
      throw new CommerceError(
        "CONFLICT",
        `order ${order.reference} was never paid (it is ${order.status}); there is nothing to reverse`,
      );
    }

    let grantOutcome: Reversal["grant"] = "none";
    let withdrawnMs = 0;
    let sub: Subscription | undefined;
    let previousExpiresAt: Date | null = null;
    let expiresAt: Date | null = null;
    if (grant && grant.state !== "void" && grant.state !== "reversed") {
      if (grant.subscriptionId === null || grant.expiresAt === null) {
        // Its days were never added: it never will be (the notifier finds it void, no invite).
        grantOutcome = "voided";
        await tx
          .update(accessGrants)
          .set({
            state: "void",
            lastError: "refunded before access was granted",
            leaseToken: null,
            leaseUntil: null,
            updatedAt: now,
          })
          .where(eq(accessGrants.id, grant.id));
      } else {
        grantOutcome = "reversed";
        ({ sub, withdrawnMs } = await withdraw(tx, grant, order.durationDays ?? 0, now));
        previousExpiresAt = sub.expiresAt;
        expiresAt = new Date(sub.expiresAt.getTime() - withdrawnMs);
      }
    }

    const moved = order.status === "finished";
    await tx
      .update(orders)
      .set({ status: "refunded", reversedAt: now, updatedAt: now })
      .where(eq(orders.id, order.id));

    const accessLeft = sub ? expiresAt!.getTime() > now.getTime() && sub.status === "active" : false;
    const facts = {
      cause: input.cause,
      grant: grantOutcome,
      withdrawnMs,
      expiresAt: expiresAt?.toISOString() ?? null,
      accessLeft,
    };
    await tx
      .insert(notices)
      .values([
        {
          key: `order:${order.id}:reversal_payer`,
          kind: "reversal_payer" as const,
          orderId: order.id,
          paymentId: input.paymentId ?? null,
          details: facts,
        },
        {
          key: `order:${order.id}:reversal_owner`,
          kind: "reversal_owner" as const,
          orderId: order.id,
          paymentId: input.paymentId ?? null,
          details: facts,
        },
      ])
      .onConflictDoNothing();

    // A provider's refunded report already wrote payment.updated with the order's move; a reversal
    // that moves the order itself (operator, Stars) wakes the notifier the same way.
    let eventId: string | null = null;
    if (moved) {
      const { enqueue, TOPICS } = await loadEvents();
      eventId = await enqueue(
        tx,
        TOPICS.paymentUpdated,
        {
          orderId: order.id,
          orderReference: order.reference,
          kind: order.kind,
          userId: order.userId.toString(),
          channelId: order.channelId,
          paymentId: input.paymentId ?? `order:${order.id}`,
          actuallyPaid: null,
          payCurrency: null,
          status: "refunded",
          previousStatus: "finished",
          priceAmount: null,
          priceCurrency: null,
          payAmount: null,
        },
        { orderingKey: order.reference },
      );
    }

    await tx.insert(auditLog).values({
      ...actorFields(input.actor),
      action: "order.reversed",
      channelId: order.channelId,
      subjectUserId: order.userId,
      details: {
        orderId: order.id,
        orderReference: order.reference,
        paymentId: input.paymentId ?? null,
        subscriptionId: sub?.id ?? null,
        previousExpiresAt: previousExpiresAt?.toISOString() ?? null,
        ...facts,
        ...(eventId ? { eventId } : {}),
      },
      createdAt: now,
    });
    return {
      ...base,
      alreadyReversed: false,
      reversedAt: now,
      grant: grantOutcome,
      withdrawnMs,
      subscriptionId: sub?.id ?? null,
      previousExpiresAt,
      expiresAt,
      accessLeft,
      eventId,
    };
  }

  /** Takes the order's unused time off its subscription; marks the grant reversed. */
  async function withdraw(
    tx: DbOrTx,
    grant: Grant,
    days: number,
    now: Date,
  ): Promise<{ sub: Subscription; withdrawnMs: number }> {
    const [sub] = await tx
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, grant.subscriptionId!))
      .for("update");
    if (!sub) throw new Error(`grant ${grant.id}: subscription ${grant.subscriptionId} is gone`);
    const withdrawnMs = unusedTime(sub, grant.expiresAt!, days, now);
    // Stops a delivery in flight: its fenced writes find the lease gone (no invite after this).
    await tx
      .update(accessGrants)
      .set({ state: "reversed", leaseToken: null, leaseUntil: null, updatedAt: now })
      .where(eq(accessGrants.id, grant.id));
    if (withdrawnMs > 0) {
      const expiresAt = new Date(sub.expiresAt.getTime() - withdrawnMs);
      const ends = expiresAt.getTime() <= now.getTime();
      await tx
        .update(subscriptions)
        .set({
          expiresAt,
          nextCheckAt: nextCheckAt(expiresAt, sub.remindersSent, reminderDays, now, sub.startsAt),
          endCause: ends ? "reversal" : sub.endCause,
          updatedAt: now,
        })
        .where(eq(subscriptions.id, sub.id));
      // Orders stacked after this one now start earlier by what was withdrawn.
      await tx
        .update(accessGrants)
        .set({ expiresAt: sql`${accessGrants.expiresAt} - ${withdrawnMs} * interval '1 millisecond'` })
        .where(
          and(
            eq(accessGrants.subscriptionId, sub.id),
            ne(accessGrants.id, grant.id),
            gt(accessGrants.expiresAt, grant.expiresAt!),
          ),
        );
    }
    return { sub, withdrawnMs };
  }

  /**
   * Takes back the access a paid order bought, for any provider (NOWPayments refund, an operator's
   * off-platform refund, a Telegram Stars refund): in one transaction, the order becomes `refunded`
   * (`reversed_at` set), its grant is voided if its days were never added (no invite ever) or
   * reversed, the order's unused time comes off the subscription (stacked renewals keep theirs:
   * `unusedTime`), the payer's and owner's notices are written, and it is audited. If no time is
   * left the subscription is due at once with end_cause `reversal`: the notifier's sweep removal
   * (ban + unban only_if_banned, claimed, retried) takes the subscriber out.
   *
   * Idempotent: an order reversed before is returned with `alreadyReversed` and nothing changes.
   * Refuses (CommerceError) an unknown order (NOT_FOUND) and an order never paid (CONFLICT).
   * Provider-specific checks (which payment paid the order, the provider's own refund call) are the
   * caller's. Rules and examples: docs/refunds.md.
   */
  async function reverse(input: ReverseInput): Promise<Reversal> {
    const now = core.now();
    const result = await core.db.transaction((tx) => reverseIn(tx, input, now));
    if (result.eventId) core.enqueued();
    return result;
  }

  return {
    reverse,

    /**
     * The operator's `telepay payments refund <payment id>`: a NOWPayments payment was refunded
     * outside TelePay (NOWPayments has no refund API for us). Checks that this payment is the one
     * that paid its order, then reverses the order. Refuses (CommerceError) an unknown payment
     * (NOT_FOUND), one that did not pay an order (CONFLICT) and an order already reversed (CONFLICT).
     * The provider's own refund call (Stars) and the owner's check are refunds.ts's (createRefunds).
     */
    async refundPayment(paymentId: string, actor: Actor, cause = "operator_refund"): Promise<Reversal> {
      const [payment] = await core.db.select().from(payments).where(eq(payments.paymentId, paymentId));
      if (!payment) throw new CommerceError("NOT_FOUND", `no payment ${paymentId}`);
      if (payment.orderId === null) {
        throw new CommerceError("CONFLICT", `payment ${paymentId} is not linked to any order`);
      }
      const [paidIt] = await core.db
        .select({ paid: paidItsOrder(payments.paymentId).mapWith(Boolean) })
        .from(payments)
        .where(eq(payments.paymentId, paymentId));
      const granted = paidIt?.paid === true;
      if (!granted) {
        throw new CommerceError(
          "CONFLICT",
          `payment ${paymentId} did not pay its order (status ${payment.status}${payment.reviewReason ? `, flagged ${payment.reviewReason}` : ""}); nothing to reverse`,
        );
      }
      const result = await reverse({ orderId: payment.orderId, actor, cause, paymentId });
      if (result.alreadyReversed) {
        // Same details as refunds.preview's refusal: the owner's press says "already refunded".
        throw new CommerceError(
          "CONFLICT",
          `order ${result.orderReference} was already reversed at ${result.reversedAt.toISOString()}`,
          { alreadyReversed: true },
        );
      }
      return result;
    },

    /**
     * Reverses every paid order a provider reported refunded whose reversal has not run (the
     * process died between recording the refund and reversing it, or the refund came by IPN and
     * the notifier had not picked it up yet). Called by the notifier for each payment event and by
     * its periodic re-drive. Returns what it reversed.
     */
    async resume(options: { orderIds?: readonly number[]; limit?: number } = {}): Promise<Reversal[]> {
      const rows = await core.db
        .select({ id: orders.id, reference: orders.reference })
        .from(orders)
        .where(
          and(
            eq(orders.status, "refunded"),
            isNotNull(orders.paidAt),
            isNull(orders.reversedAt),
            options.orderIds ? inArray(orders.id, [...options.orderIds]) : undefined,
          ),
        )
        .orderBy(asc(orders.updatedAt))
        .limit(options.limit ?? 500);
      const done: Reversal[] = [];
      for (const row of rows) {
        const [refunded] = await core.db
          .select({ paymentId: payments.paymentId })
          .from(payments)
          .where(and(eq(payments.orderId, row.id), eq(payments.status, "refunded")))
          .limit(1);
        const r = await reverse({
          orderId: row.id,
          actor: { kind: "system" },
          cause: "ipn_refunded",
          paymentId: refunded?.paymentId ?? null,
        });
        if (!r.alreadyReversed) done.push(r);
      }
      return done;
    },
  };
}

export type Reversals = ReturnType<typeof createReversals>;
