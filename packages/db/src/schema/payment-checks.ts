import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant, updatedAt } from "./columns.ts";
import { orders } from "./orders.ts";

/**
 * Reconciliation bookkeeping, one row per order asked about: when NOWPayments was last asked for
 * the order's payments, how often, and when to ask next (the backoff). An order without a row has
 * never been checked. Rows of orders that reached a final status are left as history.
 */
export const paymentChecks = pgTable(
  "payment_checks",
  {
    orderId: integer("order_id")
      .primaryKey()
      .references(() => orders.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    /** Not asked again before this; also the claim (a checker pushes it out before asking). */
    nextCheckAt: instant("next_check_at").notNull(),
    lastCheckedAt: instant("last_checked_at"),
    /** What the last check found: "unchanged", "recorded", "no_payment", or an error kind. */
    lastResult: text("last_result"),
    lastError: text("last_error"),
    updatedAt: updatedAt(),
  },
  (t) => [index("payment_checks_next_idx").on(t.nextCheckAt)],
);
