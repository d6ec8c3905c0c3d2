import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@telepay/db";
import { parseEvent, TOPICS } from "@telepay/events";
import type { IpnPayload, OrderStatusValue } from "@telepay/payments";
import {
  decideIpn,
  type IpnOutcome,
  type IpnPolicy,
  type OrderSnapshot,
  type PaymentSnapshot,
} from "./ipn-decision.ts";
import { type RunSql, sqlRunner } from "./sql-runner.ts";

export interface IpnResult {
  outcome: IpnOutcome;
  /** The order's id when the IPN named a known order. */
  orderId: number | null;
  orderStatus: OrderStatusValue | null;
  previousOrderStatus: OrderStatusValue | null;
  reviewReason: string | null;
  /** Events written to the outbox (the caller kicks the relay when > 0). */
  enqueued: number;
}

/** The bus only carries non-negative decimal strings: anything else travels as null. */
const busDecimal = (v: string | null) => (v !== null && /^\d+(\.\d+)?$/.test(v) ? v : null);

/**
 * payment.confirmed's event id, derived from the order reference (a UUID-shaped SHA-1). The outbox's
 * unique event_id then makes a second confirmation of the same order impossible even if the status
 * guard were ever bypassed: the transaction would fail instead of granting twice.
 */
export function confirmedEventId(orderReference: string): string {
  const h = createHash("sha1").update(`payment.confirmed:${orderReference}`).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Payment updates the payer is told about by DM (the others are not worth a message). */
const TOLD_STATUSES = new Set(["confirming", "partially_paid", "failed", "expired", "refunded"]);

type Work =
  | { kind: "grant" }
  | {
      kind: "owner_paid" | "donation_thanks" | "payment_update";
      key: string;
      details: Record<string, unknown>;
    };

/**
 * What an order's transition owes people: access and the owner's notice when it is paid, a thank-you
 * for a donation, a DM to the payer when their payment moved in a way they should hear about.
 */
function durableWork(
  order: { id: number; kind: "subscription" | "donation" },
  ipn: IpnPayload,
  decision: ReturnType<typeof decideIpn>,
): Work[] {
  const amounts = {
    payAmount: busDecimal(ipn.payAmount),
    actuallyPaid: busDecimal(ipn.actuallyPaid),
    payCurrency: ipn.payCurrency,
  };
  if (decision.paid) {
    return [
      ...(order.kind === "subscription" ? [{ kind: "grant" as const }] : []),
      ...(order.kind === "donation"
        ? [{ kind: "donation_thanks" as const, key: `order:${order.id}:donation_thanks`, details: amounts }]
        : []),
      { kind: "owner_paid", key: `order:${order.id}:owner_paid`, details: amounts },
    ];
  }
  if (decision.userUpdate && TOLD_STATUSES.has(decision.userUpdate)) {
    return [
      {
        kind: "payment_update",
        key: `payment:${ipn.paymentId}:${decision.userUpdate}`,
        details: { status: decision.userUpdate, ...amounts },
      },
    ];
  }
  return [];
}

/** A guarded write lost to a concurrent IPN of the same order or payment: read again and redo. */
const MAX_ATTEMPTS = 20;

/** The row the read statement returns (text casts keep postgres.js and PGlite alike). */
interface ReadRow {
  order_id: number | null;
  reference: string | null;
  kind: "subscription" | "donation" | null;
  user_id: string | null;
  channel_id: number | null;
  tier_id: number | null;
  amount: string | null;
  currency: string | null;
  duration_days: number | null;
  order_status: OrderStatusValue | null;
  payment_status: string | null;
  payment_order_id: number | null;
  needs_review: boolean | null;
  review_reason: string | null;
  remote_updated_at: string | null;
}

const READ_SQL = `select o.id as order_id, o.reference, o.kind, o.user_id::text as user_id, o.channel_id, o.tier_id,
  o.amount::text as amount, o.currency, o.duration_days, o.status as order_status,
  p.status as payment_status, p.order_id as payment_order_id, p.needs_review, p.review_reason,
  p.remote_updated_at::text as remote_updated_at
from (select 1) as one
left join orders o on o.reference = $1::text
left join payments p on p.payment_id = $2::text`;

/**
 * Records one verified IPN: upserts the payment by payment_id, appends the IPN to payment_events,
 * advances the order when the status model allows, and writes payment.confirmed /
 * payment.updated to the outbox — all in ONE statement, so it is atomic without a transaction
 * round trip and nothing is ever half-written.
 *
 * How concurrent copies stay correct: the state is read first, the decision is made in code
 * (decideIpn), and the write statement is guarded by that state. Its first step locks the order row
 * `FOR UPDATE` only if the order still has the status that was read, and the payment step only
 * touches a payment that still has the status (and order) that was read, or inserts one that still
 * does not exist. Every other step reads the payment step's output, so if any guard fails nothing is
 * written and the IPN is read and decided again. Under READ COMMITTED a guard blocked by another
 * writer re-checks the committed row, so of 200 identical `finished` IPNs exactly one finds the
 * order unpaid: the transition to `finished`, and with it payment.confirmed, happens once per order
 * (and payment.confirmed's event id, derived from the order reference, is unique besides).
 */
export async function processIpn(
  db: Db,
  ipn: IpnPayload,
  policy: IpnPolicy,
  now: Date = new Date(),
): Promise<IpnResult> {
  const run = sqlRunner(db);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [row] = (await run(READ_SQL, [ipn.orderId, ipn.paymentId])) as unknown as ReadRow[];
    const result = await writeGuarded(run, ipn, row!, now, policy);
    if (result) return result;
  }
  throw new Error(`IPN ${ipn.paymentId} lost ${MAX_ATTEMPTS} races in a row; answering 503 so it is retried`);
}

async function writeGuarded(
  run: RunSql,
  ipn: IpnPayload,
  row: ReadRow,
  now: Date,
  policy: IpnPolicy,
): Promise<IpnResult | undefined> {
  const order =
    row.order_id !== null
      ? {
          id: row.order_id,
          reference: row.reference!,
          kind: row.kind!,
          userId: row.user_id!,
          channelId: row.channel_id!,
          tierId: row.tier_id,
          amount: row.amount!,
          currency: row.currency!,
          durationDays: row.duration_days,
          status: row.order_status!,
        }
      : null;
  const existing: PaymentSnapshot | null =
    row.payment_status !== null
      ? {
          status: row.payment_status,
          orderId: row.payment_order_id,
          needsReview: row.needs_review ?? false,
          reviewReason: row.review_reason,
          remoteUpdatedAt: row.remote_updated_at === null ? null : Number(row.remote_updated_at),
        }
      : null;
  const orderSnap: OrderSnapshot | null = order
    ? { id: order.id, status: order.status, amount: order.amount, currency: order.currency }
    : null;
  const decision = decideIpn(ipn, orderSnap, existing, policy);

  const params: unknown[] = [];
  const $ = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const nowAt = $(now.toISOString(), "timestamptz");
  const paymentId = $(ipn.paymentId, "text");
  const raw = $(JSON.stringify(ipn.raw), "jsonb");
  const ctes: string[] = [];

  // g: the order row, locked, still in the status the decision was made on (or no order at all).
  ctes.push(
    order
      ? `g as (select 1 as ok from orders where id = ${$(order.id, "int")} and status = ${$(order.status, "text")} for update)`
      : "g as (select 1 as ok)",
  );

  // p: the payment written (or locked) under its guard; empty = someone else got there first.
  // A payment that belongs to another order stays linked to the order it started with.
  const linkedOrder =
    decision.reviewReason === "order_mismatch" ? existing!.orderId : (order?.id ?? existing?.orderId ?? null);
  // Built only where used: a placeholder the statement never mentions has no type and fails it.
  const fields = (): [string, string][] => [
    ["order_id", $(linkedOrder, "int")],
    ["order_reference", $(ipn.orderId, "text")],
    ["invoice_id", $(ipn.invoiceId, "text")],
    ["status", $(decision.paymentStatus, "text")],
    ["pay_address", $(ipn.payAddress, "text")],
    ["price_amount", $(ipn.priceAmount, "numeric")],
    ["price_currency", $(ipn.priceCurrency, "text")],
    ["pay_amount", $(ipn.payAmount, "numeric")],
    ["actually_paid", $(ipn.actuallyPaid, "numeric")],
    ["pay_currency", $(ipn.payCurrency, "text")],
    ["outcome_amount", $(ipn.outcomeAmount, "numeric")],
    ["outcome_currency", $(ipn.outcomeCurrency, "text")],
    ["purchase_id", $(ipn.purchaseId, "text")],
    ["parent_payment_id", $(ipn.parentPaymentId, "text")],
    ["needs_review", $(decision.needsReview, "boolean")],
    ["review_reason", $(decision.reviewReason, "text")],
    ["raw", raw],
    ["remote_updated_at", $(ipn.updatedAt, "bigint")],
    ["updated_at", nowAt],
  ];
  if (!existing) {
    const f = fields();
    ctes.push(
      `p as (insert into payments (payment_id, ${f.map(([c]) => c).join(", ")}, created_at)
        select ${paymentId}, ${f.map(([, v]) => v).join(", ")}, ${nowAt} from g
        on conflict (payment_id) do nothing returning 1 as ok)`,
    );
  } else {
    const guard = `payments.payment_id = ${paymentId} and payments.status = ${$(existing.status, "text")}
      and payments.order_id is not distinct from ${$(existing.orderId, "int")}`;
    ctes.push(
      decision.writePayment
        ? `p as (update payments set ${fields()
            .map(([c, v]) => `${c} = ${v}`)
            .join(", ")} from g where ${guard} returning 1 as ok)`
        : `p as (select 1 as ok from payments, g where ${guard} for update of payments)`,
    );
  }

  // Everything below reads p, so it happens only if the guards held.
  ctes.push(
    `e as (insert into payment_events (payment_id, status, payload, outcome, received_at)
      select ${paymentId}, ${$(ipn.paymentStatus, "text")}, ${raw}, ${$(decision.outcome, "text")}, ${nowAt} from p)`,
  );

  let enqueued = 0;
  const previous = order?.status ?? null;
  if (order && decision.orderStatus && decision.orderStatus !== order.status) {
    ctes.push(
      `u as (update orders set status = ${$(decision.orderStatus, "text")}, updated_at = ${nowAt}${decision.paid ? `, paid_at = ${nowAt}` : ""}
        where id = ${$(order.id, "int")} and exists (select 1 from p))`,
    );
    const common = {
      orderId: order.id,
      orderReference: order.reference,
      kind: order.kind,
      userId: order.userId,
      channelId: order.channelId,
      paymentId: ipn.paymentId,
      actuallyPaid: busDecimal(ipn.actuallyPaid),
      payCurrency: ipn.payCurrency,
    };
    let event: { id: string; topic: string; payload: unknown } | undefined;
    if (decision.paid) {
      event = {
        id: confirmedEventId(order.reference),
        topic: TOPICS.paymentConfirmed,
        // Validated like enqueue() does: a producer bug fails the write instead of poisoning consumers.
        payload: parseEvent(TOPICS.paymentConfirmed, {
          ...common,
          tierId: order.tierId,
          amount: order.amount,
          currency: order.currency,
          durationDays: order.durationDays,
          paidAt: now.toISOString(),
        }),
      };
    } else if (decision.userUpdate) {
      event = {
        id: randomUUID(),
        topic: TOPICS.paymentUpdated,
        payload: parseEvent(TOPICS.paymentUpdated, {
          ...common,
          status: decision.userUpdate,
          previousStatus: previous,
          priceAmount: busDecimal(ipn.priceAmount),
          priceCurrency: ipn.priceCurrency,
          payAmount: busDecimal(ipn.payAmount),
        }),
      };
    }
    if (event) {
      ctes.push(
        `x as (insert into outbox (event_id, topic, ordering_key, payload)
          select ${$(event.id, "uuid")}, ${$(event.topic, "text")}, ${$(order.reference, "text")}, ${$(JSON.stringify(event.payload), "jsonb")} from p)`,
      );
      enqueued++;
    }
    // The work the payment creates, as rows the notifier re-drives until done: the event above is
    // only a hint to start at once (docs/decisions/durable-work.md).
    for (const notice of durableWork(order, ipn, decision)) {
      if (notice.kind === "grant") {
        ctes.push(
          `ag as (insert into access_grants (order_id, state) select ${$(order.id, "int")}, 'owed' from p
            on conflict (order_id) do nothing)`,
        );
        continue;
      }
      const name = `n${ctes.length}`;
      ctes.push(
        `${name} as (insert into notices (key, kind, order_id, payment_id, details)
          select ${$(notice.key, "text")}, ${$(notice.kind, "text")}, ${$(order.id, "int")}, ${$(ipn.paymentId, "text")}, ${$(JSON.stringify(notice.details), "jsonb")} from p
          on conflict (key) do nothing)`,
      );
    }
  }

  const [done] = await run(`with ${ctes.join(",\n")}\nselect count(*)::int as ok from p`, params);
  if (Number(done?.ok ?? 0) !== 1) return undefined;
  return {
    outcome: decision.outcome,
    orderId: order?.id ?? null,
    orderStatus: order ? (decision.orderStatus ?? order.status) : null,
    previousOrderStatus: previous,
    reviewReason: decision.needsReview ? decision.reviewReason : null,
    enqueued,
  };
}
