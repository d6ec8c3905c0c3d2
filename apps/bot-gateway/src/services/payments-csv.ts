import type { Db } from "@telepay/db";
import { orders, payments, tiers, trials } from "@telepay/db";
import { csvField } from "@telepay/security";
import { and, asc, eq, ne } from "drizzle-orm";

const COLUMNS = [
  "created_at",
  "order_reference",
  "kind",
  "user_id",
  "tier",
  "amount",
  "currency",
  "status",
  "paid_at",
  "payment_id",
  "actually_paid",
  "pay_currency",
] as const;

/**
 * Every order of a channel that reached NOWPayments, with its payment (if any), then every free
 * trial (kind and status `trial`, amount 0, no order), each part oldest first.
 */
export async function paymentsCsv(db: Db, channelId: number): Promise<{ csv: string; rows: number }> {
  const rows = await db
    .select({ order: orders, payment: payments, tierLabel: tiers.label })
    .from(orders)
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .leftJoin(tiers, eq(tiers.id, orders.tierId))
    .where(and(eq(orders.channelId, channelId), ne(orders.status, "created")))
    .orderBy(asc(orders.createdAt), asc(orders.id));
  const lines = [COLUMNS.join(",")];
  for (const { order, payment, tierLabel } of rows) {
    lines.push(
      [
        order.createdAt.toISOString(),
        order.reference,
        order.kind,
        order.userId.toString(),
        tierLabel,
        order.amount,
        order.currency,
        order.status,
        order.paidAt?.toISOString(),
        payment?.paymentId,
        payment?.actuallyPaid,
        payment?.payCurrency,
      ]
        .map(csvField)
        .join(","),
    );
  }
  const trialRows = await db
    .select()
    .from(trials)
    .where(eq(trials.channelId, channelId))
    .orderBy(asc(trials.createdAt), asc(trials.id));
  for (const trial of trialRows) {
    const row: Record<(typeof COLUMNS)[number], string> = {
      created_at: trial.createdAt.toISOString(),
      order_reference: "",
      kind: "trial",
      user_id: trial.userId.toString(),
      tier: `${trial.days} days`,
      amount: "0",
      currency: "",
      status: "trial",
      paid_at: "",
      payment_id: "",
      actually_paid: "",
      pay_currency: "",
    };
    lines.push(COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  return { csv: `${lines.join("\r\n")}\r\n`, rows: rows.length + trialRows.length };
}
