import { CommerceError, createCommerce, MAX_NOTE_LENGTH, type Review } from "@telepay/commerce";
import { CliError, rowId, UsageError } from "../args.ts";
import { type Command, opt } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { table } from "../output.ts";

const COLUMNS = [
  "id",
  "reason",
  "status",
  "paymentStatus",
  "orderReference",
  "channelId",
  "userId",
  "amount",
  "currency",
  "actuallyPaid",
  "payCurrency",
  "canGrant",
  "flaggedAt",
];

/** The JSON shape of one review: camelCase, ids as strings, the resolution flattened. */
export function reviewJson(r: Review) {
  return {
    id: r.id,
    paymentId: r.paymentId,
    reason: r.reason,
    status: r.status,
    paymentStatus: r.paymentStatus,
    orderId: r.orderId,
    orderReference: r.orderReference,
    orderStatus: r.orderStatus,
    kind: r.kind,
    channelId: r.channelId,
    userId: r.userId,
    amount: r.amount,
    currency: r.currency,
    priceAmount: r.priceAmount,
    priceCurrency: r.priceCurrency,
    payAmount: r.payAmount,
    actuallyPaid: r.actuallyPaid,
    payCurrency: r.payCurrency,
    canGrant: r.canGrant,
    flaggedAt: r.flaggedAt,
    decision: r.resolution?.decision ?? null,
    note: r.resolution?.note ?? null,
    resolvedBy: r.resolution?.actor ?? null,
    resolvedByTelegramId: r.resolution?.actorTelegramId ?? null,
    resolvedAt: r.resolution?.at ?? null,
  };
}

const list: Command = {
  path: ["review", "list"],
  summary: "List payments waiting for a person (underpaid, overpaid, wrong currency, unknown order, …).",
  usage: "review list [--channel <id>] [--all] [--json]",
  details: [
    "  id       the review's id (the NOWPayments payment id), for `telepay review resolve <id>`",
    "  reason   underpaid, paid_short (actually_paid short of pay_amount), overpaid, currency_mismatch,",
    "           unknown_order, order_mismatch, re_deposit, duplicate_payment (a paid order paid again),",
    "           partially_paid, invoice_mismatch, pay_changed, missing_amount, unknown_status",
    "  canGrant whether --grant is possible (a known, unpaid order and money arrived)",
    "  --all    also reviews already resolved (with decision, note, resolvedBy, resolvedAt)",
  ].join("\n"),
  options: { channel: { type: "string" }, all: { type: "boolean", default: false } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelArg = opt(values, "channel");
    const channelId = channelArg === undefined ? undefined : rowId(channelArg, "channel");
    const { db } = await ctx.database();
    if (channelId !== undefined) await requireChannel(db, channelId);
    const reviews = await createCommerce({ db }).reviews.list({
      ...(channelId !== undefined ? { channelId } : {}),
      includeResolved: values.all === true,
    });
    const data = reviews.map(reviewJson);
    ctx.print(
      data,
      data.length === 0
        ? values.all === true
          ? "No payment was ever flagged for review."
          : "No payment is waiting for review."
        : `${data.length} review(s):\n${table(data, values.all === true ? [...COLUMNS, "decision", "note"] : COLUMNS)}`,
    );
  },
};

const resolve: Command = {
  path: ["review", "resolve"],
  summary:
    "Settle a review: --grant pays its order (access as for any paid order), --dismiss records why not.",
  usage: "review resolve <id> (--grant | --dismiss) [--note <text>] [--json]",
  details: [
    "  --grant    grant anyway: the order is paid through the core (one grant per order, never a second)",
    "  --dismiss  nothing is granted; say why with --note (e.g. 'refunded the payer')",
    `  --note     up to ${MAX_NOTE_LENGTH} characters, kept with the decision and in the audit log`,
    "A review is resolved once; a second resolve (by anyone, also the owner's buttons) is refused.",
  ].join("\n"),
  options: {
    grant: { type: "boolean", default: false },
    dismiss: { type: "boolean", default: false },
    note: { type: "string" },
  },
  maxPositionals: 1,
  async run(ctx, values, positionals) {
    const id = positionals[0];
    if (!id) throw new UsageError("give the review's id (see `telepay review list`)");
    if (values.grant === values.dismiss) throw new UsageError("give exactly one of --grant or --dismiss");
    const note = opt(values, "note");
    const { db } = await ctx.database();
    let resolved: Awaited<ReturnType<ReturnType<typeof createCommerce>["reviews"]["resolve"]>>;
    try {
      resolved = await createCommerce({ db }).reviews.resolve({
        paymentId: id,
        decision: values.grant === true ? "grant" : "dismiss",
        note: note ?? null,
        actor: { kind: "cli" },
      });
    } catch (err) {
      if (err instanceof CommerceError) {
        throw err.code === "INVALID" ? new UsageError(err.message) : new CliError(err.message);
      }
      throw err;
    }
    const r = resolved.review;
    ctx.print(
      { ...reviewJson(r), eventId: resolved.eventId },
      r.status === "granted"
        ? `Granted: order ${r.orderReference} is paid; the notifier delivers access (review ${r.id}, ${r.reason}).`
        : `Dismissed review ${r.id} (${r.reason})${r.resolution?.note ? `: ${r.resolution.note}` : ""}.`,
    );
  },
};

export const reviewCommands: readonly Command[] = [list, resolve];
