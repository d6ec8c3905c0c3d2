import { paymentEvents, reviewResolutions } from "@telepay/db";
import { getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * `"table"."column"`, always: drizzle prints columns bare in a one-table select, and a bare
 * `payment_id` inside the subqueries below would compare the subquery's table with itself.
 */
const qualified = (column: PgColumn): SQL =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/**
 * SQL boolean: whether the payment whose id is in `paymentId` (a column of the outer query) is the
 * one that paid its order — a report of it was recorded with the outcome `confirmed`, or a person
 * granted its review. Only that payment's refund takes the order's access back; another payment on
 * the same invoice (a second attempt, a partial deposit sent back) returns only its own money
 * (docs/refunds.md). String literals stay in the text so the payment writer's compiled statement
 * keeps only its named placeholders.
 */
export const paidItsOrder = (paymentId: PgColumn): SQL =>
  sql`(exists (select 1 from ${paymentEvents} where ${qualified(paymentEvents.paymentId)} = ${qualified(paymentId)} and ${qualified(paymentEvents.outcome)} = 'confirmed') or exists (select 1 from ${reviewResolutions} where ${qualified(reviewResolutions.paymentId)} = ${qualified(paymentId)} and ${qualified(reviewResolutions.decision)} = 'grant'))`;
