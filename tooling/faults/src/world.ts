import { channels, type Database, orders, tiers, users } from "@telepay/db";
import { createNowPaymentsClient, newOrderReference } from "@telepay/payments";
import type { BotApiEmulator, NowPaymentsEmulator } from "@telepay/testing";
import { eq } from "drizzle-orm";

export const API_KEY = "np-fault-api-key";
export const IPN_SECRET = "np-fault-ipn-secret-0123456789";
export const SIGNING_SECRET = "fault-tests-signing-secret-0123456789";

/** A channel with its tiers in the database, and its two chats in the Bot API emulator. */
export interface SeededChannel {
  id: number;
  ownerId: number;
  openChatId: number;
  closedChatId: number;
  tiers: { id: number; price: string; durationDays: number; label: string }[];
}

let chatSeq = 0;

/** Seeds an owner, a channel and its tiers (labels and titles as given: hostile text welcome). */
export async function seedChannel(
  database: Database,
  tg: BotApiEmulator | undefined,
  options: {
    ownerId: number;
    openTitle?: string;
    closedTitle?: string;
    description?: string;
    donationMessage?: string;
    tiers?: { price: string; durationDays: number; label?: string }[];
  },
): Promise<SeededChannel> {
  const n = ++chatSeq + Math.floor(Math.random() * 1e5) * 100;
  const openChatId = -1_001_000_000_000 - n;
  const closedChatId = -1_002_000_000_000 - n;
  const openTitle = options.openTitle ?? "Open channel";
  const closedTitle = options.closedTitle ?? "Closed channel";
  if (tg) {
    tg.addUser({ id: options.ownerId, first_name: "Owner" });
    tg.addChat({ id: options.ownerId, type: "private" });
    tg.addChat({ id: openChatId, type: "channel", title: openTitle });
    tg.addChat({ id: closedChatId, type: "channel", title: closedTitle });
  }
  await database.db
    .insert(users)
    .values({ telegramId: BigInt(options.ownerId), firstName: "Owner" })
    .onConflictDoNothing();
  const [channel] = await database.db
    .insert(channels)
    .values({
      ownerTelegramId: BigInt(options.ownerId),
      openChatId: BigInt(openChatId),
      closedChatId: BigInt(closedChatId),
      openTitle,
      closedTitle,
      description: options.description ?? "",
      donationMessage: options.donationMessage ?? "",
      payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
      payoutCurrency: "usdttrc20",
    })
    .returning({ id: channels.id });
  const tierRows = [];
  for (const [i, t] of (options.tiers ?? [{ price: "9.99", durationDays: 30, label: "Monthly" }]).entries()) {
    const [row] = await database.db
      .insert(tiers)
      .values({
        channelId: channel!.id,
        position: i + 1,
        price: t.price,
        currency: "USD",
        durationDays: t.durationDays,
        label: t.label ?? "",
      })
      .returning({ id: tiers.id });
    tierRows.push({ id: row!.id, price: t.price, durationDays: t.durationDays, label: t.label ?? "" });
  }
  return { id: channel!.id, ownerId: options.ownerId, openChatId, closedChatId, tiers: tierRows };
}

/** A subscriber who has started the bot (so DMs reach them). */
export async function seedUser(
  database: Database,
  tg: BotApiEmulator | undefined,
  id: number,
  firstName = `User ${id}`,
): Promise<void> {
  if (tg) {
    tg.addUser({ id, first_name: firstName });
    tg.addChat({ id, type: "private" });
  }
  await database.db
    .insert(users)
    .values({ telegramId: BigInt(id), firstName })
    .onConflictDoNothing();
}

export interface PlacedOrder {
  id: number;
  reference: string;
  userId: number;
  invoiceId: string;
}

/**
 * Orders a tier for a user the way the bot does (price from the database, an invoice at NOWPayments
 * whose ipn_callback_url is `ipnUrl`), leaving the order `waiting` for the customer to pay.
 */
export async function placeOrder(
  database: Database,
  np: NowPaymentsEmulator,
  input: { channel: SeededChannel; tierIndex?: number; userId: number; ipnUrl: string },
): Promise<PlacedOrder> {
  const tier = input.channel.tiers[input.tierIndex ?? 0]!;
  const reference = newOrderReference();
  const [order] = await database.db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: BigInt(input.userId),
      channelId: input.channel.id,
      tierId: tier.id,
      amount: tier.price,
      currency: "USD",
      durationDays: tier.durationDays,
      status: "created",
    })
    .returning({ id: orders.id });
  const client = createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
  const invoice = await client.createInvoice({
    priceAmount: tier.price,
    priceCurrency: "usd",
    orderId: reference,
    ipnCallbackUrl: input.ipnUrl,
  });
  await database.db
    .update(orders)
    .set({ invoiceId: invoice.id, invoiceUrl: invoice.invoiceUrl, status: "waiting" })
    .where(eq(orders.id, order!.id));
  return { id: order!.id, reference, userId: input.userId, invoiceId: invoice.id };
}

/** Resolves when `check` is true (polled), or rejects with `what` after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** A logger that keeps lines (tests assert what operators would see) and can echo them (DEBUG_FAULTS). */
export function memoryLogger(name = "") {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const echo = process.env.DEBUG_FAULTS === "1";
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
      if (echo && level !== "debug")
        console.log(
          `[${name}] ${level} ${msg ?? ""} ${JSON.stringify(obj, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : typeof v === "bigint" ? String(v) : v))}`,
        );
    };
  return {
    lines,
    logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
  };
}
