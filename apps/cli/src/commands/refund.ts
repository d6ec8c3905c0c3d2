import { CommerceError, createCommerce, type Reversal } from "@telepay/commerce";
import { CliError, UsageError } from "../args.ts";
import type { Command } from "../command.ts";

const DAY_MS = 86_400_000;

/** The JSON shape of a reversal: camelCase, ids and instants as strings. */
export function reversalJson(r: Reversal) {
  return {
    orderId: r.orderId,
    orderReference: r.orderReference,
    kind: r.kind,
    userId: String(r.userId),
    channelId: r.channelId,
    status: "refunded",
    grant: r.grant,
    withdrawnMs: r.withdrawnMs,
    withdrawnDays: Math.round((r.withdrawnMs / DAY_MS) * 100) / 100,
    subscriptionId: r.subscriptionId,
    previousExpiresAt: r.previousExpiresAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    accessLeft: r.accessLeft,
    reversedAt: r.reversedAt.toISOString(),
    eventId: r.eventId,
  };
}

function summary(paymentId: string, r: Reversal): string {
  const head = `Reversed order ${r.orderReference} (payment ${paymentId}):`;
  if (r.grant === "voided") return `${head} refunded before access was granted; it never will be.`;
  if (r.withdrawnMs === 0) return `${head} no unused time was left to withdraw.`;
  const days = (r.withdrawnMs / DAY_MS).toFixed(2);
  return r.accessLeft
    ? `${head} ${days} days withdrawn; access now until ${r.expiresAt!.toISOString()}.`
    : `${head} ${days} days withdrawn; no time left, the notifier removes user ${r.userId} from the channel.`;
}

/**
 * `telepay payments refund <payment id>`: the operator records a refund made outside TelePay
 * (NOWPayments offers no refund API to merchants; docs/refunds.md). The core reversal does the rest.
 */
export const refundCommand: Command = {
  path: ["payments", "refund"],
  summary: "Record that a paid payment was refunded: take back the access its order bought.",
  usage: "payments refund <payment id> [--json]",
  details: [
    "  <payment id>  the NOWPayments payment_id that paid the order (see `telepay payments export`)",
    "The order becomes refunded; its unused days come off the subscription (other renewals keep",
    "theirs); with no time left the notifier removes the subscriber. Payer and owner are told, and",
    "it is audited. Refused for an unknown payment, one that paid no order, and an order already",
    "reversed. Rules: docs/refunds.md.",
  ].join("\n"),
  options: {},
  maxPositionals: 1,
  async run(ctx, _values, positionals) {
    const paymentId = positionals[0]?.trim();
    if (!paymentId)
      throw new UsageError("give the payment id that was refunded (see `telepay payments export`)");
    const { db } = await ctx.database();
    let reversal: Reversal;
    try {
      reversal = await createCommerce({ db }).reversals.refundPayment(paymentId, { kind: "cli" });
    } catch (err) {
      if (err instanceof CommerceError) throw new CliError(err.message);
      throw err;
    }
    ctx.print({ paymentId, ...reversalJson(reversal) }, summary(paymentId, reversal));
  },
};
