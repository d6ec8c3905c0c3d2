import { orders, payments } from "@telepay/db";
import { csvField } from "@telepay/security/csv";
import { and, asc, count, eq, gte, type SQL, sql } from "drizzle-orm";
import { isoInstant, rowId } from "../args.ts";
import { type Command, opt } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { createProgress, toJsonLine } from "../output.ts";
import { reconcileCommand } from "./reconcile.ts";
import { refundCommand } from "./refund.ts";

const BATCH = 500;

/** Export columns, in order: data-model names; money stays the database's decimal string. */
const COLUMNS = [
  "paymentId",
  "orderReference",
  "orderId",
  "kind",
  "channelId",
  "userId",
  "status",
  "priceAmount",
  "priceCurrency",
  "payAmount",
  "actuallyPaid",
  "payCurrency",
  "outcomeAmount",
  "outcomeCurrency",
  "orderAmount",
  "orderCurrency",
  "needsReview",
  "parentPaymentId",
  "invoiceId",
  "createdAt",
  "updatedAt",
] as const;

const exportCommand: Command = {
  path: ["payments", "export"],
  summary: "Write every payment (latest IPN state + its order) as CSV to stdout, oldest first.",
  usage: "payments export [--channel <id>] [--since <ISO time>] [--json]",
  details: [
    "  --channel  only payments of this channel's orders",
    "  --since    only payments created at or after this instant (ISO 8601 with a zone)",
    "  --json     one JSON object per line (NDJSON) instead of CSV",
    "Streams in batches of 500; progress goes to stderr when it is a terminal.",
  ].join("\n"),
  options: { channel: { type: "string" }, since: { type: "string" } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelArg = opt(values, "channel");
    const sinceArg = opt(values, "since");
    const channelId = channelArg === undefined ? undefined : rowId(channelArg, "channel");
    const since = sinceArg === undefined ? undefined : isoInstant(sinceArg, "since");
    const { db } = await ctx.database();
    if (channelId !== undefined) await requireChannel(db, channelId);

    const filters: SQL[] = [];
    if (channelId !== undefined) filters.push(eq(orders.channelId, channelId));
    if (since !== undefined) filters.push(gte(payments.createdAt, since));
    const [{ total } = { total: 0 }] = await db
      .select({ total: count() })
      .from(payments)
      .leftJoin(orders, eq(orders.id, payments.orderId))
      .where(and(...filters));
    const progress = createProgress(ctx.stderr, "exported payments");
    if (!ctx.json) ctx.stdout.write(`${COLUMNS.join(",")}\n`);

    // Keyset pagination on (created_at, payment_id): stable under concurrent inserts, no OFFSET scans.
    // The cursor keeps created_at as Postgres text: a JS Date would cut microseconds to milliseconds
    // and make the next page start inside the previous one.
    let after: { createdAt: string; paymentId: string } | undefined;
    let done = 0;
    for (;;) {
      const page = await db
        .select({ payment: payments, order: orders, cursor: sql<string>`${payments.createdAt}::text` })
        .from(payments)
        .leftJoin(orders, eq(orders.id, payments.orderId))
        .where(
          and(
            ...filters,
            after
              ? sql`(${payments.createdAt}, ${payments.paymentId}) > (${after.createdAt}::timestamptz, ${after.paymentId})`
              : undefined,
          ),
        )
        .orderBy(asc(payments.createdAt), asc(payments.paymentId))
        .limit(BATCH);
      if (page.length === 0) break;
      let chunk = "";
      for (const { payment: p, order: o } of page) {
        const row: Record<(typeof COLUMNS)[number], unknown> = {
          paymentId: p.paymentId,
          orderReference: p.orderReference ?? o?.reference ?? null,
          orderId: p.orderId,
          kind: o?.kind ?? null,
          channelId: o?.channelId ?? null,
          userId: o?.userId ?? null,
          status: p.status,
          priceAmount: p.priceAmount,
          priceCurrency: p.priceCurrency,
          payAmount: p.payAmount,
          actuallyPaid: p.actuallyPaid,
          payCurrency: p.payCurrency,
          outcomeAmount: p.outcomeAmount,
          outcomeCurrency: p.outcomeCurrency,
          orderAmount: o?.amount ?? null,
          orderCurrency: o?.currency ?? null,
          needsReview: p.needsReview,
          parentPaymentId: p.parentPaymentId,
          invoiceId: p.invoiceId,
          createdAt: p.createdAt,
          updatedAt: p.updatedAt,
        };
        chunk += ctx.json ? `${toJsonLine(row)}\n` : `${COLUMNS.map((c) => csvField(row[c])).join(",")}\n`;
      }
      await writeChunk(ctx.stdout, chunk);
      done += page.length;
      progress.update(done, Number(total));
      const last = page[page.length - 1]!;
      after = { createdAt: last.cursor, paymentId: last.payment.paymentId };
      if (page.length < BATCH) break;
    }
    progress.done();
  },
};

/** Writes and waits for drain, so a slow consumer (a pipe to gzip) does not make us buffer everything. */
function writeChunk(stream: { write(text: string): unknown; once?: unknown }, chunk: string): Promise<void> {
  const ok = stream.write(chunk);
  const s = stream as NodeJS.WritableStream;
  if (ok === false && typeof s.once === "function") return new Promise((resolve) => s.once("drain", resolve));
  return Promise.resolve();
}

export const paymentsCommands: readonly Command[] = [exportCommand, reconcileCommand, refundCommand];
