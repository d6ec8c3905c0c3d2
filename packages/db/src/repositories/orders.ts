import { eq } from "drizzle-orm";
import { orders } from "../schema/orders.ts";
import type { DbOrTx } from "../types.ts";

export type Order = typeof orders.$inferSelect;

/** The order an IPN or /start payload names: looked up, never parsed (docs/legacy-mistakes.md#lm-1). */
export async function findOrderByReference(db: DbOrTx, reference: string): Promise<Order | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.reference, reference)).limit(1);
  return row;
}
