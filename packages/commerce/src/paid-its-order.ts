import { paymentEvents, reviewResolutions } from "@telepay/db";
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * SQL boolean: whether the payment `paymentId` is the one that paid its order — a report of it was
 * recorded with the outcome `confirmed`, or a person granted its review. Only that payment's refund
 * takes the order's access back; another payment on the same invoice (a second attempt, a partial
 * deposit sent back) returns only its own money (docs/refunds.md). String literals stay in the text
 * so the payment writer's compiled statement keeps only its named placeholders.
 */
export const paidItsOrder = (paymentId: PgColumn | SQL): SQL =>
  sql`(exists (select 1 from ${paymentEvents} where ${paymentEvents.paymentId} = ${paymentId} and ${paymentEvents.outcome} = 'confirmed') or exists (select 1 from ${reviewResolutions} where ${reviewResolutions.paymentId} = ${paymentId} and ${reviewResolutions.decision} = 'grant'))`;
