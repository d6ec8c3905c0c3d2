import { channels, checkouts, orders, payments } from "@telepay/db";
import type { CreatedPayment, CreatePaymentInput } from "@telepay/payments";
import { and, eq, inArray, sql } from "drizzle-orm";
import { STARS_CURRENCY } from "./catalog/orders.ts";
import { type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError, CommerceErrorCode } from "./errors.ts";

/** A checkout row. */
export type Checkout = typeof checkouts.$inferSelect;

/** What the core needs from NOWPayments to start a direct payment (the client's createPayment). */
export interface PaymentGateway {
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
}

/**
 * What a checkout message shows: the payment's latest status (NOWPayments' names, `waiting` before
 * any report), or `needs_review` when its order waits for a person.
 */
export type CheckoutStatus = string;

/** A checkout whose message shows something else than its payment's status now. */
export interface StaleCheckout {
  checkout: Checkout;
  status: CheckoutStatus;
  order: typeof orders.$inferSelect;
  channel: typeof channels.$inferSelect;
}

/** Orders a checkout may still be started for (nothing paid or settled yet). */
const STARTABLE = new Set(["created", "waiting"]);

/** The status a checkout shows, computed in SQL from its payment and its order. */
const DISPLAY_STATUS = sql<string>`case when ${orders.status} = 'needs_review' then 'needs_review' else coalesce(${payments.status}, 'waiting') end`;

/**
 * SETTLEMENT=direct checkouts (docs/settlement.md): the payer picks a coin, the core makes a
 * NOWPayments payment (POST /payment) whose payout_address is the channel's wallet, so it settles
 * straight to the owner, and keeps it with the checkout message that shows it. The IPN and
 * reconciliation then go through the very path invoice payments go through (payments.record).
 */
export function createCheckouts(deps: CommerceDeps) {
  const core = coreOf(deps);

  async function find(orderId: number, payCurrency: string): Promise<Checkout | undefined> {
    const [row] = await core.db
      .select()
      .from(checkouts)
      .where(and(eq(checkouts.orderId, orderId), eq(checkouts.payCurrency, payCurrency)));
    return row;
  }

  return {
    /**
     * The checkout of an order in a coin: the existing one (a repeated tap, a second instance), or a
     * new NOWPayments payment paid out to the channel's wallet. Only the payer may open it; a coin
     * outside `allowedCoins` is refused (INVALID, field payCurrency); an order already paid or closed
     * is a CONFLICT (details.status). Two racing starts keep the first stored payment; the other
     * payment is never shown, so never paid.
     */
    async open(input: {
      orderId: number;
      userId: bigint;
      payCurrency: string;
      allowedCoins: readonly string[];
      gateway: PaymentGateway;
      ipnCallbackUrl: string;
      orderDescription?: string;
    }): Promise<Checkout> {
      const coin = input.payCurrency.trim().toLowerCase();
      if (!input.allowedCoins.includes(coin))
        throw new CommerceError(CommerceErrorCode.INVALID, `coin '${coin}' is not offered`, {
          field: "payCurrency",
        });
      const [row] = await core.db
        .select({ order: orders, channel: channels })
        .from(orders)
        .innerJoin(channels, eq(channels.id, orders.channelId))
        .where(eq(orders.id, input.orderId));
      // Someone else's order is answered like a missing one: its existence is not theirs to learn.
      if (!row || row.order.userId !== input.userId)
        throw new CommerceError(CommerceErrorCode.NOT_FOUND, `no order with id ${input.orderId}`);
      const { order, channel } = row;
      if (order.currency === STARS_CURRENCY)
        throw new CommerceError(CommerceErrorCode.INVALID, "a Stars order is paid in Telegram", {
          field: "payCurrency",
        });
      const existing = await find(order.id, coin);
      if (existing) return existing;
      if (!STARTABLE.has(order.status) || order.invoiceId !== null)
        throw new CommerceError(CommerceErrorCode.CONFLICT, `order ${order.reference} is ${order.status}`, {
          status: order.status,
        });
      const created = await input.gateway.createPayment({
        priceAmount: order.amount,
        priceCurrency: order.currency.toLowerCase(),
        payCurrency: coin,
        orderId: order.reference,
        ...(input.orderDescription !== undefined ? { orderDescription: input.orderDescription } : {}),
        ipnCallbackUrl: input.ipnCallbackUrl,
        payoutAddress: channel.payoutWallet,
        payoutCurrency: channel.payoutCurrency,
        payoutExtraId: channel.payoutExtraId,
      });
      const now = core.now();
      const stored = await core.db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(checkouts)
          .values({
            orderId: order.id,
            paymentId: created.paymentId,
            payCurrency: coin,
            payAmount: created.payAmount,
            payAddress: created.payAddress,
            payinExtraId: created.payinExtraId,
            payoutAddress: channel.payoutWallet,
            payoutCurrency: channel.payoutCurrency,
            expiresAt: created.expiresAt,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (inserted)
          await tx
            .update(orders)
            .set({ status: "waiting", updatedAt: now })
            .where(and(eq(orders.id, order.id), eq(orders.status, "created")));
        return inserted;
      });
      if (stored) return stored;
      const winner = await find(order.id, coin);
      if (!winner) throw new CommerceError(CommerceErrorCode.CONFLICT, "checkout could not be stored");
      return winner;
    },

    /** The checkouts of an order, oldest first. */
    async ofOrder(orderId: number): Promise<Checkout[]> {
      return core.db.select().from(checkouts).where(eq(checkouts.orderId, orderId)).orderBy(checkouts.id);
    },

    /** The status a checkout shows now (see CheckoutStatus). */
    async statusOf(checkoutId: number): Promise<CheckoutStatus | undefined> {
      const [row] = await core.db
        .select({ status: DISPLAY_STATUS })
        .from(checkouts)
        .innerJoin(orders, eq(orders.id, checkouts.orderId))
        .leftJoin(payments, eq(payments.paymentId, checkouts.paymentId))
        .where(eq(checkouts.id, checkoutId));
      return row?.status;
    },

    /**
     * Records the message that shows the checkout and the status it shows. Kept in the database so
     * status edits reach the same message after a restart or on another instance.
     */
    async attachMessage(
      checkoutId: number,
      message: { chatId: bigint; messageId: number; shownStatus: string },
    ) {
      await core.db
        .update(checkouts)
        .set({ ...message, updatedAt: core.now() })
        .where(eq(checkouts.id, checkoutId));
    },

    /**
     * Checkout messages showing another status than their payment has now (what the notifier edits),
     * oldest first; `orderIds` narrows to those orders (an event's fast path).
     */
    async staleMessages(
      options: { orderIds?: readonly number[]; limit?: number } = {},
    ): Promise<StaleCheckout[]> {
      const rows = await core.db
        .select({ checkout: checkouts, status: DISPLAY_STATUS, order: orders, channel: channels })
        .from(checkouts)
        .innerJoin(orders, eq(orders.id, checkouts.orderId))
        .innerJoin(channels, eq(channels.id, orders.channelId))
        .leftJoin(payments, eq(payments.paymentId, checkouts.paymentId))
        .where(
          and(
            sql`${checkouts.messageId} is not null`,
            sql`${checkouts.shownStatus} is distinct from (${DISPLAY_STATUS})`,
            ...(options.orderIds ? [inArray(checkouts.orderId, [...options.orderIds])] : []),
          ),
        )
        .orderBy(checkouts.updatedAt, checkouts.id)
        .limit(options.limit ?? 200);
      return rows;
    },

    /**
     * Marks a checkout message as showing `status`, only if it still showed `previous` (two workers
     * editing at once: one records it). True when this call recorded it.
     */
    async markShown(checkoutId: number, previous: string | null, status: string): Promise<boolean> {
      const rows = await core.db
        .update(checkouts)
        .set({ shownStatus: status, updatedAt: core.now() })
        .where(
          and(eq(checkouts.id, checkoutId), sql`${checkouts.shownStatus} is not distinct from ${previous}`),
        )
        .returning({ id: checkouts.id });
      return rows.length > 0;
    },
  };
}
export type Checkouts = ReturnType<typeof createCheckouts>;
