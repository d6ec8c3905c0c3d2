import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant, money, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";

/** One row per NOWPayments payment_id with the latest IPN's fields. */
export const payments = pgTable(
  "payments",
  {
    paymentId: text("payment_id").primaryKey(),
    /** Null when the IPN named an order we do not know: stored for review, never granted. */
    orderId: integer("order_id").references(() => orders.id),
    orderReference: text("order_reference"),
    invoiceId: text("invoice_id"),
    status: text("status").notNull(),
    payAddress: text("pay_address"),
    priceAmount: money("price_amount"),
    priceCurrency: text("price_currency"),
    payAmount: money("pay_amount"),
    actuallyPaid: money("actually_paid"),
    payCurrency: text("pay_currency"),
    outcomeAmount: money("outcome_amount"),
    outcomeCurrency: text("outcome_currency"),
    purchaseId: text("purchase_id"),
    parentPaymentId: text("parent_payment_id"),
    needsReview: boolean("needs_review").notNull().default(false),
    reviewReason: text("review_reason"),
    raw: jsonb("raw").notNull(),
    /** NOWPayments' own updated_at (ms epoch) when present, to order IPNs that arrive out of order. */
    remoteUpdatedAt: bigint("remote_updated_at", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("payments_order_idx").on(t.orderId),
    index("payments_review_idx").on(t.needsReview),
    // The dashboard's review list: only the (few) payments waiting for a decision.
    index("payments_needs_review_idx").on(t.orderId).where(sql`${t.needsReview}`),
  ],
);

/** Every IPN received, in arrival order: the auditable history of a payment's statuses. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    paymentId: text("payment_id").notNull(),
    status: text("status").notNull(),
    payload: jsonb("payload").notNull(),
    /** What the IPN did: applied, ignored_regression, duplicate, unknown_order, review. */
    outcome: text("outcome").notNull(),
    receivedAt: instant("received_at").notNull().defaultNow(),
  },
  (t) => [index("payment_events_payment_idx").on(t.paymentId, t.id)],
);
