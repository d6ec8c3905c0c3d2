import { accessGrants, notices, orders, outbox, paymentEvents, payments } from "@telepay/db";
import type { OrderStatusValue } from "@telepay/payments";
import {
  type DriverValueEncoder,
  is,
  type Name,
  Param,
  Placeholder,
  type SQL,
  type SQLChunk,
  sql,
} from "drizzle-orm";
import { type PgColumn, PgDialect } from "drizzle-orm/pg-core";
import { paidItsOrder } from "./paid-its-order.ts";

/**
 * The payment writer's two statements, written with drizzle's `sql` on the schema's tables and
 * columns. Each shape is compiled once, with named placeholders, and then only filled: building a
 * statement of this size costs more CPU than the rest of an IPN, and a constant text per shape is
 * what lets postgres.js keep it prepared per connection.
 */
export interface Statement {
  text: string;
  /** Compiled parameters: drizzle Params holding placeholders, or constants already encoded. */
  params: unknown[];
}

const dialect = new PgDialect();

function compile(statement: SQL): Statement {
  const query = dialect.sqlToQuery(statement);
  return { text: query.sql, params: query.params };
}

/**
 * The statement's parameters for `values` (by placeholder name), encoded as drizzle encodes the
 * column each is bound to; null stays SQL NULL (drizzle's own fillPlaceholders would encode a jsonb
 * null as 'null'). A placeholder without a value is a bug in the caller: it throws.
 */
export function paramsOf(statement: Statement, values: Readonly<Record<string, unknown>>): unknown[] {
  return statement.params.map((p) => {
    if (!is(p, Param) || !is(p.value, Placeholder)) return p;
    const key = p.value.name;
    if (!(key in values)) throw new Error(`payment statement: no value for ${key}`);
    const value = values[key];
    return value === null || value === undefined ? null : p.encoder.mapToDriverValue(value);
  });
}

/** The placeholder `key`, bound for `column`: encoded as drizzle encodes it, cast to the column's type. */
const bind = (column: PgColumn, key: string): SQL =>
  sql`${sql.param(sql.placeholder(key), column as DriverValueEncoder<unknown, unknown>)}::${sql.raw(column.getSQLType())}`;

/** A constant bound for `column` (the same in every statement of the shape). */
const constant = (column: PgColumn, value: unknown): SQL =>
  sql`${sql.param(value, column as DriverValueEncoder<unknown, unknown>)}::${sql.raw(column.getSQLType())}`;

/** A column's bare name, where SQL wants it unqualified (INSERT column lists, UPDATE … SET). */
const name = (column: PgColumn): Name => sql.identifier(column.name);

const list = (items: SQLChunk[]): SQL => sql.join(items, sql`, `);

/** What the read statement returns, by alias (text casts keep postgres.js and PGlite alike). */
const READ_FIELDS = {
  orderId: orders.id,
  reference: orders.reference,
  kind: orders.kind,
  userId: sql`${orders.userId}::text`,
  channelId: orders.channelId,
  tierId: orders.tierId,
  amount: sql`${orders.amount}::text`,
  currency: orders.currency,
  durationDays: orders.durationDays,
  orderStatus: orders.status,
  invoiceId: orders.invoiceId,
  paymentStatus: payments.status,
  paymentOrderId: payments.orderId,
  needsReview: payments.needsReview,
  reviewReason: payments.reviewReason,
  remoteUpdatedAt: sql`${payments.remoteUpdatedAt}::text`,
  payAmount: sql`${payments.payAmount}::text`,
  payCurrency: payments.payCurrency,
  paidOrder: sql`coalesce(${paidItsOrder(payments.paymentId)}, false)`,
};

export interface ReadRow {
  orderId: number | null;
  reference: string | null;
  kind: "subscription" | "donation" | null;
  userId: string | null;
  channelId: number | null;
  tierId: number | null;
  amount: string | null;
  currency: string | null;
  durationDays: number | null;
  orderStatus: OrderStatusValue | null;
  invoiceId: string | null;
  paymentStatus: string | null;
  paymentOrderId: number | null;
  needsReview: boolean | null;
  reviewReason: string | null;
  remoteUpdatedAt: string | null;
  payAmount: string | null;
  payCurrency: string | null;
  paidOrder: boolean;
}

let read: Statement | undefined;

/**
 * The order a report names and its payment as stored, in one row (nulls for what does not exist).
 * Values: orderReference, paymentId.
 */
export function readStatement(): Statement {
  read ??= compile(sql`select ${list(
    Object.entries(READ_FIELDS).map(([alias, field]) => sql`${field} as ${sql.identifier(alias)}`),
  )}
from (select 1) as one
left join ${orders} on ${orders.reference} = ${bind(orders.reference, "orderReference")}
left join ${payments} on ${payments.paymentId} = ${bind(payments.paymentId, "paymentId")}`);
  return read;
}

/** The payments columns a report writes, and the value each takes. */
const PAYMENT_FIELDS: [PgColumn, SQL][] = [
  [payments.orderId, bind(payments.orderId, "linkedOrderId")],
  [payments.orderReference, bind(payments.orderReference, "orderReference")],
  [payments.invoiceId, bind(payments.invoiceId, "invoiceId")],
  [payments.status, bind(payments.status, "paymentStatus")],
  [payments.payAddress, bind(payments.payAddress, "payAddress")],
  [payments.priceAmount, bind(payments.priceAmount, "priceAmount")],
  [payments.priceCurrency, bind(payments.priceCurrency, "priceCurrency")],
  [payments.payAmount, bind(payments.payAmount, "payAmount")],
  [payments.actuallyPaid, bind(payments.actuallyPaid, "actuallyPaid")],
  [payments.payCurrency, bind(payments.payCurrency, "payCurrency")],
  [payments.outcomeAmount, bind(payments.outcomeAmount, "outcomeAmount")],
  [payments.outcomeCurrency, bind(payments.outcomeCurrency, "outcomeCurrency")],
  [payments.purchaseId, bind(payments.purchaseId, "purchaseId")],
  [payments.parentPaymentId, bind(payments.parentPaymentId, "parentPaymentId")],
  [payments.needsReview, bind(payments.needsReview, "needsReview")],
  [payments.reviewReason, bind(payments.reviewReason, "reviewReason")],
  [payments.raw, bind(payments.raw, "raw")],
  [payments.remoteUpdatedAt, bind(payments.remoteUpdatedAt, "providerUpdatedAt")],
  [payments.updatedAt, sql`g.at`],
];

/** Which steps one guarded write has; each shape is one statement text. */
export interface WriteShape {
  /** A payment seen for the first time, one updated under its guard, or only locked (a stale or regressing report). */
  payment: "insert" | "update" | "lock";
  /** The report names a known order: its row is locked in the status the decision was made on. */
  order: boolean;
  /** The order moves to a new status (`paid`: and paid_at is set). */
  orderMoves: boolean;
  paid: boolean;
  /** An outbox event is written. */
  event: boolean;
  /** The order's access grant is written (`owed`). */
  grant: boolean;
  /** How many notices are written. */
  notices: number;
}

const writes = new Map<string, Statement>();

/**
 * The guarded write of one decided report. Values: at, raw, paymentId, the PAYMENT_FIELDS keys,
 * reportStatus, outcome; with `order`: orderId, orderStatus (as read); with `update`/`lock`:
 * storedStatus, storedOrderId (as read); with `orderMoves`: newOrderStatus; with `event`: eventId,
 * topic, orderingKey, eventPayload; per notice i: notice<i>Key, notice<i>Kind, notice<i>Details.
 */
export function writeStatement(shape: WriteShape): Statement {
  const key = `${shape.payment}:${shape.order}:${shape.orderMoves}:${shape.paid}:${shape.event}:${shape.grant}:${shape.notices}`;
  let statement = writes.get(key);
  if (!statement) {
    statement = compile(buildWrite(shape));
    writes.set(key, statement);
  }
  return statement;
}

function buildWrite(shape: WriteShape): SQL {
  const ctes: SQL[] = [];
  // Values several steps use are bound once (each bound copy is parsed again) and passed along:
  // g carries the write time, p the payment id, the raw payload and the time.
  const at = bind(payments.updatedAt, "at");
  // g: the order row, locked, still in the status the decision was made on (or no order at all).
  ctes.push(
    shape.order
      ? sql`g as (select 1 as ok, ${at} as at from ${orders} where ${orders.id} = ${bind(orders.id, "orderId")} and ${orders.status} = ${bind(orders.status, "orderStatus")} for update)`
      : sql`g as (select 1 as ok, ${at} as at)`,
  );

  // p: the payment written (or locked) under its guard; empty = someone else got there first.
  const written = sql`1 as ok, ${payments.paymentId} as payment_id, ${payments.raw} as raw, ${payments.updatedAt} as at`;
  if (shape.payment === "insert") {
    const columns = [payments.paymentId, ...PAYMENT_FIELDS.map(([c]) => c), payments.createdAt];
    const values = [bind(payments.paymentId, "paymentId"), ...PAYMENT_FIELDS.map(([, v]) => v), sql`g.at`];
    ctes.push(
      sql`p as (insert into ${payments} (${list(columns.map(name))})
        select ${list(values)} from g
        on conflict (${name(payments.paymentId)}) do nothing returning ${written})`,
    );
  } else {
    const guard = sql`${payments.paymentId} = ${bind(payments.paymentId, "paymentId")} and ${payments.status} = ${bind(payments.status, "storedStatus")}
      and ${payments.orderId} is not distinct from ${bind(payments.orderId, "storedOrderId")}`;
    ctes.push(
      shape.payment === "update"
        ? sql`p as (update ${payments} set ${list(PAYMENT_FIELDS.map(([c, v]) => sql`${name(c)} = ${v}`))}
            from g where ${guard} returning ${written})`
        : sql`p as (select 1 as ok, ${payments.paymentId} as payment_id, ${bind(payments.raw, "raw")} as raw, g.at
            from ${payments}, g where ${guard} for update of ${payments})`,
    );
  }

  // Everything below reads p, so it happens only if the guards held.
  const eventColumns = [
    paymentEvents.paymentId,
    paymentEvents.status,
    paymentEvents.payload,
    paymentEvents.outcome,
    paymentEvents.receivedAt,
  ];
  ctes.push(
    sql`e as (insert into ${paymentEvents} (${list(eventColumns.map(name))})
      select p.payment_id, ${bind(paymentEvents.status, "reportStatus")}, p.raw, ${bind(paymentEvents.outcome, "outcome")}, p.at from p)`,
  );

  if (shape.orderMoves) {
    const set = [
      sql`${name(orders.status)} = ${bind(orders.status, "newOrderStatus")}`,
      sql`${name(orders.updatedAt)} = p.at`,
      ...(shape.paid ? [sql`${name(orders.paidAt)} = p.at`] : []),
    ];
    ctes.push(
      sql`u as (update ${orders} set ${list(set)} from p where ${orders.id} = ${bind(orders.id, "orderId")})`,
    );
  }
  if (shape.event) {
    const columns = [outbox.eventId, outbox.topic, outbox.orderingKey, outbox.payload];
    ctes.push(
      sql`x as (insert into ${outbox} (${list(columns.map(name))})
        select ${bind(outbox.eventId, "eventId")}, ${bind(outbox.topic, "topic")}, ${bind(outbox.orderingKey, "orderingKey")}, ${bind(outbox.payload, "eventPayload")} from p)`,
    );
  }
  // The work the payment creates, as rows the notifier re-drives until done: the event above is
  // only a hint to start at once (docs/decisions/durable-work.md).
  if (shape.grant) {
    ctes.push(
      sql`ag as (insert into ${accessGrants} (${list([accessGrants.orderId, accessGrants.state].map(name))})
        select ${bind(accessGrants.orderId, "orderId")}, ${constant(accessGrants.state, "owed")} from p
        on conflict (${name(accessGrants.orderId)}) do nothing)`,
    );
  }
  const noticeColumns = [notices.key, notices.kind, notices.orderId, notices.paymentId, notices.details];
  for (let i = 0; i < shape.notices; i++) {
    ctes.push(
      sql`${sql.identifier(`n${i}`)} as (insert into ${notices} (${list(noticeColumns.map(name))})
        select ${bind(notices.key, `notice${i}Key`)}, ${bind(notices.kind, `notice${i}Kind`)}, ${bind(notices.orderId, "orderId")}, p.payment_id, ${bind(notices.details, `notice${i}Details`)} from p
        on conflict (${name(notices.key)}) do nothing)`,
    );
  }

  return sql`with ${sql.join(ctes, sql`,\n`)}\nselect count(*)::int as ok from p`;
}
