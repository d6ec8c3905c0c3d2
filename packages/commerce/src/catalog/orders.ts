import { type OrderKind, orders, type tiers } from "@telepay/db";
import { newOrderReference } from "@telepay/payments";
import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { type CommerceDeps, coreOf } from "../deps.ts";
import { CommerceError, CommerceErrorCode } from "../errors.ts";
import { claimPromo, discountedPrice, type PromoCode, requireUseLeft } from "./promos.ts";

export type Order = typeof orders.$inferSelect;

/** Telegram Stars' currency code: whole amounts, one price entry (docs/stars.md). */
export const STARS_CURRENCY = "XTR";
type Tier = typeof tiers.$inferSelect;

/** Statuses in which an order can still be paid, so a repeated tap reuses it. */
const OPEN_STATUSES = ["created", "waiting"] as const;
/**
 * Statuses after which the same idempotency key must not hand back the order. "finished" belongs
 * here: a paid order is done, so buying the same tier again (a renewal) or donating the same amount
 * again within the bucket is a new purchase, not the old order's status page.
 */
const TERMINAL_STATUSES = new Set(["finished", "failed", "expired", "refunded"]);

/** What is being bought. Prices always come from the database row, never from the request. */
export type OrderItem =
  | {
      kind: "subscription";
      channelId: number;
      tier: Pick<
        Tier,
        "id" | "channelId" | "price" | "currency" | "durationDays" | "position" | "starsPrice"
      >;
      /** Paid through NOWPayments (default) or in Telegram Stars (priced from tier.starsPrice, XTR). */
      rail?: "crypto" | "stars";
    }
  | {
      kind: "donation";
      channelId: number;
      /** The validated amount, in the channel's donation currency. */
      amount: string;
      currency: string;
    };

/** An order's price: the amount, its currency and, for a subscription, the days it buys. */
export interface OrderPrice {
  amount: string;
  currency: string;
  durationDays: number | null;
  /** The price before the promo code, when one applied. */
  listAmount: string | null;
  promoCodeId: number | null;
}

/**
 * The ONE place an order's price is computed (docs/legacy-mistakes.md#lm-8): the tier's price and
 * duration for a subscription, the chosen amount for a donation. Promo codes, trials and Stars
 * prices belong here.
 */
export function priceOrder(
  item: OrderItem,
  promo?: Pick<PromoCode, "id" | "code" | "percentOff" | "amountOff">,
): OrderPrice {
  if (item.kind === "subscription") {
    if (item.tier.channelId !== item.channelId)
      throw new CommerceError(CommerceErrorCode.INVALID, "the tier belongs to another channel", {
        field: "tierId",
      });
    if (item.rail === "stars") {
      // Stars are priced by the tier's own Stars price; promo codes are for the crypto price.
      if (item.tier.starsPrice === null || item.tier.starsPrice === undefined)
        throw new CommerceError(CommerceErrorCode.INVALID, "the tier has no Stars price", {
          field: "starsPrice",
        });
      return {
        amount: String(item.tier.starsPrice),
        currency: STARS_CURRENCY,
        durationDays: item.tier.durationDays,
        listAmount: null,
        promoCodeId: null,
      };
    }
    const base = { currency: item.tier.currency, durationDays: item.tier.durationDays };
    if (!promo) return { ...base, amount: item.tier.price, listAmount: null, promoCodeId: null };
    return {
      ...base,
      amount: discountedPrice(item.tier.price, promo),
      listAmount: item.tier.price,
      promoCodeId: promo.id,
    };
  }
  return {
    amount: item.amount,
    currency: item.currency,
    durationDays: null,
    listAmount: null,
    promoCodeId: null,
  };
}

/** Orders: opening one (priced once) and attaching its invoice. */
export function createOrders(deps: CommerceDeps) {
  const core = coreOf(deps);
  return {
    /**
     * Finds or creates the order for a purchase, so repeated taps and re-delivered updates never
     * lead to two invoices: an open order for the same thing within `reuseMs` is returned;
     * otherwise an insert keyed by (kind, user, item, price, time bucket) arbitrates concurrent
     * attempts through the unique idempotency key.
     */
    async open(input: {
      userId: bigint;
      item: OrderItem;
      reuseMs: number;
      /** A promo code the subscriber applies (subscriptions only); refused with details.reason. */
      promoCode?: string;
    }): Promise<Order> {
      const now = core.now();
      const { kind, channelId } = input.item;
      if (input.promoCode !== undefined && input.item.kind !== "subscription")
        throw new CommerceError(CommerceErrorCode.INVALID, "promo codes apply to subscriptions only", {
          field: "promoCode",
          reason: "donation",
        });
      const tierId = input.item.kind === "subscription" ? input.item.tier.id : null;
      const tierPosition = input.item.kind === "subscription" ? input.item.tier.position : null;
      // One transaction: with a code, its row stays locked from the use count to the order insert, so
      // the last use goes to exactly one of two racing orders (promos.ts claimPromo).
      return core.db.transaction(async (db) => {
        const promo =
          input.promoCode === undefined
            ? undefined
            : await claimPromo(db, { channelId, code: input.promoCode, tierPosition, now });
        const price = priceOrder(input.item, promo);
        const since = new Date(now.getTime() - input.reuseMs);
        const [open] = await db
          .select()
          .from(orders)
          .where(
            and(
              eq(orders.userId, input.userId),
              eq(orders.channelId, channelId),
              eq(orders.kind, kind),
              tierId === null ? isNull(orders.tierId) : eq(orders.tierId, tierId),
              eq(orders.amount, price.amount),
              eq(orders.currency, price.currency),
              price.promoCodeId === null
                ? isNull(orders.promoCodeId)
                : eq(orders.promoCodeId, price.promoCodeId),
              inArray(orders.status, [...OPEN_STATUSES]),
              gt(orders.createdAt, since),
            ),
          )
          .orderBy(desc(orders.createdAt))
          .limit(1);
        // A repeated tap reuses its order, and with it the use it already holds.
        if (open) return open;
        if (promo) await requireUseLeft(db, promo, now, input.userId);

        const bucket = Math.floor(now.getTime() / input.reuseMs);
        const baseKey = `${kind}:${input.userId}:${channelId}:${tierId ?? "-"}:${price.amount}:${price.currency}:${bucket}${promo ? `:p${promo.id}` : ""}`;
        const values = {
          reference: newOrderReference(),
          kind: kind as OrderKind,
          userId: input.userId,
          channelId,
          tierId,
          amount: price.amount,
          currency: price.currency,
          durationDays: price.durationDays,
          promoCodeId: price.promoCodeId,
          listAmount: price.listAmount,
          status: "created" as const,
          createdAt: now,
          updatedAt: now,
        };
        const [inserted] = await db
          .insert(orders)
          .values({ ...values, idempotencyKey: baseKey })
          .onConflictDoNothing({ target: orders.idempotencyKey })
          .returning();
        if (inserted) return inserted;
        const [existing] = await db.select().from(orders).where(eq(orders.idempotencyKey, baseKey));
        if (existing && !TERMINAL_STATUSES.has(existing.status)) return existing;
        // The earlier order in this bucket was paid, failed or expired: a new attempt is a new order.
        const [fresh] = await db
          .insert(orders)
          .values({ ...values, idempotencyKey: `${baseKey}:${values.reference}` })
          .returning();
        return fresh!;
      });
    },

    /**
     * Stores the order's invoice and marks it `waiting`. Only the first invoice is kept: a
     * concurrent second one (a retry, another instance) is never paid. Returns the order as stored.
     */
    async attachInvoice(orderId: number, invoice: { id: string; url: string }): Promise<Order> {
      const [updated] = await core.db
        .update(orders)
        .set({ invoiceId: invoice.id, invoiceUrl: invoice.url, status: "waiting", updatedAt: core.now() })
        .where(and(eq(orders.id, orderId), isNull(orders.invoiceId)))
        .returning();
      if (updated) return updated;
      const [current] = await core.db.select().from(orders).where(eq(orders.id, orderId));
      if (!current) throw new CommerceError(CommerceErrorCode.NOT_FOUND, `no order with id ${orderId}`);
      return current;
    },
  };
}
export type Orders = ReturnType<typeof createOrders>;
