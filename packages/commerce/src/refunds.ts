import { channels, orders, payments } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { isRowId } from "./ids.ts";
import { paidItsOrder } from "./paid-its-order.ts";
import { createReversals, type Reversal } from "./reversals.ts";

/** The one Bot API call a Stars refund needs (grammY's Api and the CLI's client both have it). */
export interface StarsRefunder {
  refundStarPayment(userId: number, chargeId: string): Promise<unknown>;
}

/** Which paid payment to refund: by the provider's payment or charge id, or by the order it paid. */
export type RefundTarget = { paymentId: string } | { orderId: number };

/** What a refund did: the payment, whether Telegram gave Stars back, and the core reversal. */
export interface Refunded {
  paymentId: string;
  /** "stars": Telegram returned the Stars (refundStarPayment); "recorded": a refund made elsewhere. */
  method: "stars" | "recorded";
  /** The order's price (in XTR for Stars): what was refunded. */
  amount: string;
  currency: string;
  reversal: Reversal;
}

/** What the owner is about to refund (the confirm step shows it; nothing is changed by reading it). */
export interface RefundPreview {
  paymentId: string;
  orderId: number;
  orderReference: string;
  channelId: number;
  userId: bigint;
  amount: string;
  currency: string;
  method: "stars" | "recorded";
}

/** Telegram says the charge was refunded already: an earlier run got that far and died. */
const alreadyRefunded = (err: unknown) =>
  /CHARGE_ALREADY_REFUNDED/.test(err instanceof Error ? err.message : String(err));

/**
 * Refunds of paid payments, the one path behind the owner's Refund button and `telepay payments
 * refund` (docs/refunds.md, docs/stars.md). For a Stars charge Telegram gives the Stars back first
 * (refundStarPayment; CHARGE_ALREADY_REFUNDED means an earlier attempt got that far), then the core
 * reversal takes the access back; for crypto there is no refund API (NOWPayments has none for
 * merchants), so the refund made outside TelePay is recorded and the access taken back the same way.
 */
export function createRefunds(deps: CommerceDeps) {
  const core = coreOf(deps);
  const reversals = createReversals(deps);

  /**
   * The payment a refund names, its order and channel; refuses (CommerceError) what cannot be
   * refunded: unknown (NOT_FOUND), another owner's channel (FORBIDDEN), a payment that did not pay
   * its order and an order already reversed (CONFLICT). Changes nothing.
   */
  async function preview(target: RefundTarget, actor: Actor): Promise<RefundPreview> {
    if ("orderId" in target && !isRowId(target.orderId))
      throw new CommerceError("NOT_FOUND", `order ${target.orderId} has no payment that paid it`);
    const [row] = await core.db
      .select({
        paymentId: payments.paymentId,
        paymentStatus: payments.status,
        reviewReason: payments.reviewReason,
        orderId: orders.id,
        orderReference: orders.reference,
        channelId: orders.channelId,
        userId: orders.userId,
        amount: orders.amount,
        currency: orders.currency,
        reversedAt: orders.reversedAt,
        owner: channels.ownerTelegramId,
        paid: paidItsOrder(payments.paymentId).mapWith(Boolean),
      })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .innerJoin(channels, eq(channels.id, orders.channelId))
      .where(
        "paymentId" in target
          ? eq(payments.paymentId, target.paymentId)
          : and(eq(payments.orderId, target.orderId), paidItsOrder(payments.paymentId)),
      )
      .limit(1);
    if (!row) {
      if ("orderId" in target)
        throw new CommerceError("NOT_FOUND", `order ${target.orderId} has no payment that paid it`);
      // Unknown, or known but linked to no order: the core's own refusals say which.
      await reversals.refundPayment(target.paymentId, actor);
      throw new CommerceError("NOT_FOUND", `no payment ${target.paymentId}`);
    }
    // The owner only of their own channel; checked before anything (Telegram included) is touched.
    if (actor.kind === "owner" && row.owner !== actor.telegramId) {
      throw new CommerceError("FORBIDDEN", `order ${row.orderReference} is not in a channel of this owner`);
    }
    if (!row.paid) {
      throw new CommerceError(
        "CONFLICT",
        `payment ${row.paymentId} did not pay its order (status ${row.paymentStatus}${row.reviewReason ? `, flagged ${row.reviewReason}` : ""}); nothing to reverse`,
      );
    }
    if (row.reversedAt) {
      throw new CommerceError(
        "CONFLICT",
        `order ${row.orderReference} was already reversed at ${row.reversedAt.toISOString()}`,
        { alreadyReversed: true },
      );
    }
    return {
      paymentId: row.paymentId,
      orderId: row.orderId,
      orderReference: row.orderReference,
      channelId: row.channelId,
      userId: row.userId,
      amount: row.amount,
      currency: row.currency,
      method: row.currency === STARS_CURRENCY ? "stars" : "recorded",
    };
  }

  return {
    preview,

    /**
     * Refunds a paid payment: checks it (`preview`), gives Stars back through Telegram when it is a
     * Stars charge (money first: a Telegram refusal leaves the access paid for and changes nothing),
     * then reverses the order (reversals.refundPayment: days withdrawn, notices, audit). Twice is
     * one refund: the second finds the order reversed (CONFLICT), and one racing it past the check
     * gets CHARGE_ALREADY_REFUNDED from Telegram and then the reversal's row lock.
     */
    async refund(target: RefundTarget, actor: Actor, stars?: StarsRefunder): Promise<Refunded> {
      const p = await preview(target, actor);
      if (p.method === "stars") {
        if (!stars) {
          throw new CommerceError(
            "CONFLICT",
            `payment ${p.paymentId} is a Stars charge, refunded through Telegram: a bot token is needed`,
            { needsBot: true },
          );
        }
        try {
          await stars.refundStarPayment(Number(p.userId), p.paymentId);
        } catch (err) {
          if (!alreadyRefunded(err)) throw err;
        }
      }
      const cause =
        p.method === "stars" ? "stars_refund" : actor.kind === "owner" ? "owner_refund" : "operator_refund";
      const reversal = await reversals.refundPayment(p.paymentId, actor, cause);
      return { paymentId: p.paymentId, method: p.method, amount: p.amount, currency: p.currency, reversal };
    },
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
