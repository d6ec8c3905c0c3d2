import { CommerceError, createCommerce, type Reversal, type StarsRefunder } from "@telepay/commerce";
import { CliError, UsageError } from "../args.ts";
import { createCliBotApi } from "../bot-api.ts";
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
 * `telepay payments refund <payment id | Stars charge id>`: for crypto, the operator records a refund
 * made outside TelePay (NOWPayments offers no refund API to merchants); for a Stars charge, Telegram
 * gives the Stars back (refundStarPayment) first. The core reversal does the rest (docs/refunds.md).
 */
export const refundCommand: Command = {
  path: ["payments", "refund"],
  summary: "Record that a paid payment was refunded: take back the access its order bought.",
  usage: "payments refund <payment id | Stars charge id> [--json]",
  details: [
    "  <payment id>  the NOWPayments payment_id that paid the order (see `telepay payments export`),",
    "                or a Stars charge's telegram_payment_charge_id: its Stars are refunded through",
    "                Telegram first (needs TELEGRAM_BOT_TOKEN)",
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
    const env = await ctx.env();
    // The one refund path (commerce refunds.ts): for a Stars charge Telegram gives the Stars back
    // first; the bot's owner Refund button calls the same function.
    const stars: StarsRefunder | undefined = env.TELEGRAM_BOT_TOKEN
      ? {
          refundStarPayment: (userId, chargeId) =>
            createCliBotApi(env.TELEGRAM_BOT_TOKEN!, env.TELEGRAM_API_ROOT).refundStarPayment(
              BigInt(userId),
              chargeId,
            ),
        }
      : undefined;
    let reversal: Reversal;
    try {
      ({ reversal } = await createCommerce({ db }).refunds.refund({ paymentId }, { kind: "cli" }, stars));
    } catch (err) {
      if (err instanceof CommerceError && err.details.needsBot) {
        throw new CliError(
          `payment ${paymentId} is a Stars charge, refunded through Telegram: set TELEGRAM_BOT_TOKEN`,
        );
      }
      if (err instanceof CommerceError) throw new CliError(err.message);
      throw err;
    }
    ctx.print({ paymentId, ...reversalJson(reversal) }, summary(paymentId, reversal));
  },
};
