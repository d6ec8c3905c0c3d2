import type { Logger } from "@telepay/config";
import { type Database, orders, outbox, paymentEvents, payments, users } from "@telepay/db";
import { newOrderReference, signIpn } from "@telepay/payments";
import { seedChannel } from "@telepay/testing";
import { eq, sql } from "drizzle-orm";
import type { createApp, IngressConfig } from "../src/index.ts";

export const IPN_SECRET = "test-ipn-secret-0123456789";
export const NOWPAYMENTS_IP = "51.89.194.21";

export const baseConfig: IngressConfig = {
  ipnSecret: IPN_SECRET,
  allowedIps: [NOWPAYMENTS_IP, "127.0.0.1", "::1"],
  trustedProxyHops: 0,
  rateLimit: { perMinute: 10, burst: 20 },
};

/** A logger that keeps every line, so tests can assert what operators would see. */
export function memoryLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

/** Hono env that makes @hono/node-server's getConnInfo see `address` as the socket peer. */
export function socketEnv(address: string) {
  return {
    incoming: { socket: { remoteAddress: address, remoteFamily: address.includes(":") ? "IPv6" : "IPv4" } },
  };
}

let seq = 0;

export interface SeededOrder {
  id: number;
  reference: string;
  amount: string;
  currency: string;
  userId: bigint;
  channelId: number;
}

/** A user, a channel with one tier, and an order for it (status `waiting` unless given). */
export async function seedOrder(
  database: Database,
  options: {
    amount?: string;
    currency?: string;
    status?: (typeof orders.$inferInsert)["status"];
    kind?: "subscription" | "donation";
    /** The NOWPayments invoice the order was given (default none yet). */
    invoiceId?: string;
  } = {},
): Promise<SeededOrder> {
  const n = ++seq + Math.floor(Math.random() * 1e6) * 1000;
  const db = database.db;
  const userId = BigInt(100_000_000 + n);
  await db
    .insert(users)
    .values({ telegramId: userId, firstName: `User ${n}` })
    .onConflictDoNothing();
  const amount = options.amount ?? "4.99";
  const currency = options.currency ?? "USD";
  const { channel, tier } = await seedChannel(db, {
    ownerTelegramId: 42n,
    values: { openChatId: BigInt(-1_000_000_000_000 - n), closedChatId: BigInt(-2_000_000_000_000 - n) },
    tiers: [{ price: amount, currency, durationDays: 30 }],
  });
  const kind = options.kind ?? "subscription";
  const reference = newOrderReference();
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      kind,
      userId,
      channelId: channel.id,
      tierId: kind === "subscription" ? tier.id : null,
      durationDays: kind === "subscription" ? 30 : null,
      amount,
      currency,
      status: options.status ?? "waiting",
      invoiceId: options.invoiceId ?? null,
    })
    .returning({ id: orders.id });
  return { id: order!.id, reference, amount, currency, userId, channelId: channel.id };
}

let paymentSeq = 5_000_000_000;
export const nextPaymentId = () => ++paymentSeq + Math.floor(Math.random() * 1e6) * 1000;

/** An IPN body like NOWPayments sends (numbers as numbers, a nested fee object). */
export function ipnBody(
  order: { reference: string; amount: string; currency: string } | null,
  status: string,
  extra: Record<string, unknown> = {},
) {
  return {
    payment_id: extra.payment_id ?? nextPaymentId(),
    invoice_id: 4_522_625_843,
    payment_status: status,
    pay_address: "TNDFkiSmBQorNFacb3735q8MnT29sn8BLn",
    price_amount: Number(order?.amount ?? "4.99"),
    price_currency: (order?.currency ?? "usd").toLowerCase(),
    pay_amount: 5.04,
    actually_paid: status === "finished" ? 5.04 : 0,
    pay_currency: "usdttrc20",
    order_id: order?.reference ?? null,
    order_description: "30 days «VIP» 🚀",
    purchase_id: "5837122679",
    outcome_amount: 4.9,
    outcome_currency: "usdttrc20",
    parent_payment_id: null,
    fee: { currency: "usdttrc20", depositFee: 0, withdrawalFee: 0, serviceFee: 0.0000005 },
    updated_at: Date.now(),
    ...extra,
  };
}

export type App = Awaited<ReturnType<typeof createApp>>["app"];

/** POSTs a body to the IPN route, signed correctly unless `signature` is given (null = no header). */
export function postIpn(
  app: App,
  body: unknown,
  options: { signature?: string | null; from?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const raw = options.raw ?? JSON.stringify(body);
  const signature = options.signature === undefined ? signIpn(body, IPN_SECRET) : options.signature;
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (signature !== null) headers["x-nowpayments-sig"] = signature;
  return app.request(
    "/webhooks/nowpayments",
    { method: "POST", body: raw, headers },
    socketEnv(options.from ?? NOWPAYMENTS_IP),
  );
}

/** Outbox rows of a topic for one order (by ordering key = order reference). */
export async function outboxFor(database: Database, reference: string, topic?: string) {
  const rows = await database.db.select().from(outbox).where(eq(outbox.orderingKey, reference));
  return topic ? rows.filter((r) => r.topic === topic) : rows;
}

export async function counts(database: Database) {
  const [row] = await database.db
    .select({
      payments: sql<number>`(select count(*)::int from ${payments})`,
      events: sql<number>`(select count(*)::int from ${paymentEvents})`,
      outbox: sql<number>`(select count(*)::int from ${outbox})`,
    })
    .from(sql`(select 1) as one`);
  return row!;
}

export async function orderRow(database: Database, id: number) {
  const [row] = await database.db.select().from(orders).where(eq(orders.id, id));
  return row!;
}

export async function paymentRow(database: Database, paymentId: string | number) {
  const [row] = await database.db
    .select()
    .from(payments)
    .where(eq(payments.paymentId, String(paymentId)));
  return row;
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
