import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, instant, money, telegramId, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";

/**
 * In-chat checkouts of SETTLEMENT=direct (docs/settlement.md): one NOWPayments payment made with
 * POST /payment for an order in the coin the payer chose, paid out straight to the owner's wallet.
 * We create the payment, so its id is known from the start (reconciliation asks GET /payment/{id}
 * with the API key alone). The checkout message's chat and id are kept so status changes are edited
 * into that same message after any restart; `shown_status` says what it shows now, so the re-drive
 * finds every message still showing an old status.
 */
export const checkouts = pgTable(
  "checkouts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** NOWPayments' payment_id. */
    paymentId: text("payment_id").notNull().unique(),
    /** The coin the payer sends (lower-case ticker). */
    payCurrency: text("pay_currency").notNull(),
    /** The exact amount to send, in pay_currency. */
    payAmount: money("pay_amount").notNull(),
    payAddress: text("pay_address").notNull(),
    /** Memo / destination tag the payer must add, for coins that need one. */
    payinExtraId: text("payin_extra_id"),
    /** The owner's wallet the payment settles to (a copy: a later wallet change does not rewrite history). */
    payoutAddress: text("payout_address").notNull(),
    payoutCurrency: text("payout_currency").notNull(),
    expiresAt: instant("expires_at"),
    /** The checkout message (a photo with the QR code) in the payer's chat, once sent. */
    chatId: telegramId("chat_id"),
    messageId: integer("message_id"),
    /** The payment status the message shows now; the message is edited while it differs. */
    shownStatus: text("shown_status"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One payment per order and coin: a repeated tap on the same coin shows the same checkout.
    uniqueIndex("checkouts_order_coin_uq").on(t.orderId, t.payCurrency),
    index("checkouts_message_idx").on(t.orderId).where(sql`${t.messageId} IS NOT NULL`),
  ],
);
