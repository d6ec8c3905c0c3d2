import { randomUUID } from "node:crypto";
import { orders, users } from "@telepay/db";
import {
  createInProcessBus,
  type EventEnvelope,
  type EventPayloadInput,
  parseEvent,
  type Topic,
} from "@telepay/events";
import { createTelegramApi, type TelegramApi } from "@telepay/telegram";
import {
  type BotApiEmulator,
  createTestDatabase,
  payOrder,
  seedChannel,
  startBotApiEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { createApp, type NotifierApp } from "../src/index.ts";

export const OWNER = 700;
export const OPEN = -1001000;
export const CLOSED = -1002000;

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

export interface PlacedOrder {
  id: number;
  reference: string;
  amount?: string;
}

/** The bindings @hono/node-server passes for a connection from 127.0.0.1 (for `app.request`). */
export const FROM_LOOPBACK = { incoming: { socket: { remoteAddress: "127.0.0.1", remoteFamily: "IPv4" } } };

export interface Fixture {
  db: TestDatabase;
  emulator: BotApiEmulator;
  api: TelegramApi;
  bus: ReturnType<typeof createInProcessBus>;
  app: NotifierApp;
  channelId: number;
  tierId: number;
  newApp(): Promise<NotifierApp>;
  /** Another app on the same database, bus and emulator, with these config settings on top. */
  appWith(config: Record<string, unknown>): Promise<NotifierApp>;
  addUser(id: number, opts?: { firstName?: string; username?: string; talked?: boolean }): Promise<void>;
  /** An order awaiting payment (as the bot leaves it after the invoice). */
  order(
    userId: number,
    opts?: { kind?: "subscription" | "donation"; days?: number; amount?: string },
  ): Promise<PlacedOrder>;
  /** Records a signed-and-verified IPN of `status` for the order; returns the event it enqueued. */
  pay(
    order: PlacedOrder,
    status?: string,
    amounts?: { payAmount?: string; actuallyPaid?: string },
  ): Promise<EventEnvelope>;
  /** pay(order, "finished"): the order is paid; returns its payment.confirmed. */
  confirmed(order: PlacedOrder, userId?: number): Promise<EventEnvelope<"payment.confirmed">>;
  envelope<T extends Topic>(topic: T, data: EventPayloadInput<T>): EventEnvelope<T>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  limits?: { globalPerSecond: number; perChatPerSecond: number; perGroupPerMinute: number };
  inviteMode?: "join_request" | "member_limit";
  channelTitle?: string;
  config?: Record<string, unknown>;
}

export async function setup(options: FixtureOptions = {}): Promise<Fixture> {
  const db = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const emulator = await startBotApiEmulator(options.limits ? { enforceLimits: options.limits } : {});
  const api = createTelegramApi({
    token: emulator.token,
    apiRoot: emulator.apiRoot,
    limits: options.limits ?? { globalPerSecond: 1000, perChatPerSecond: 100, perGroupPerMinute: 1000 },
    baseBackoffMs: 20,
    maxBackoffMs: 100,
    maxRetries: 8,
  });
  const bus = createInProcessBus({ logger: quiet, backoff: { initialMs: 20, maxMs: 200 } });
  emulator.addUser({ id: OWNER, first_name: "Owner" });
  emulator.addChat({ id: OWNER, type: "private" });
  emulator.addChat({ id: OPEN, type: "channel", title: "Open" });
  emulator.addChat({ id: CLOSED, type: "channel", title: "Closed" });
  await db.db.insert(users).values({ telegramId: BigInt(OWNER), firstName: "Owner" });
  const { channel, tier } = await seedChannel(db, {
    ownerTelegramId: BigInt(OWNER),
    values: {
      openChatId: BigInt(OPEN),
      closedChatId: BigInt(CLOSED),
      openTitle: "Open",
      closedTitle: options.channelTitle ?? "VIP <Club> & Friends",
      payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
      inviteMode: options.inviteMode ?? "join_request",
    },
    tiers: [{ price: "9.99", durationDays: 30, label: "Monthly" }],
  });
  const make = (extra: Record<string, unknown> = {}) =>
    createApp({
      db,
      bus,
      api,
      logger: quiet,
      config: {
        botUsername: emulator.botUsername,
        reminderDays: [3, 1],
        sweepBatchSize: 1000,
        signingSecret: "a-signing-secret-of-some-length",
        allowedIps: ["127.0.0.1"],
        leaseMs: 60_000,
        ...(options.config ?? {}),
        ...extra,
      },
    });
  const app = await make();
  let refs = 0;
  const fixture: Fixture = {
    db,
    emulator,
    api,
    bus,
    app,
    channelId: channel.id,
    tierId: tier.id,
    newApp: () => make(),
    appWith: make,
    async addUser(id, opts = {}) {
      emulator.addUser({
        id,
        first_name: opts.firstName ?? `U${id}`,
        ...(opts.username ? { username: opts.username } : {}),
      });
      if (opts.talked !== false) emulator.addChat({ id, type: "private" });
      await db.db
        .insert(users)
        .values({
          telegramId: BigInt(id),
          firstName: opts.firstName ?? `U${id}`,
          username: opts.username ?? null,
        })
        .onConflictDoNothing();
    },
    async order(userId, opts = {}) {
      const kind = opts.kind ?? "subscription";
      const reference = `ord_${Date.now().toString(36)}_${++refs}_${userId}`;
      const [o] = await db.db
        .insert(orders)
        .values({
          reference,
          kind,
          userId: BigInt(userId),
          channelId: channel.id,
          tierId: kind === "subscription" ? tier.id : null,
          amount: opts.amount ?? "9.99",
          currency: "USD",
          durationDays: kind === "subscription" ? (opts.days ?? 30) : null,
          status: "waiting",
        })
        .returning();
      return { id: o!.id, reference, amount: opts.amount ?? "9.99" };
    },
    async pay(order, status = "finished", amounts = {}) {
      // The real payment writer: the order, its grant and its notices exactly as an IPN leaves them.
      const { events } = await payOrder(
        db,
        { reference: order.reference, amount: order.amount ?? "9.99" },
        {
          status,
          paymentId: `pay_${order.id}`,
          payAmount: amounts.payAmount ?? "10.02",
          actuallyPaid: amounts.actuallyPaid ?? (status === "finished" ? "10.02" : "0"),
        },
      );
      return events.at(-1) as never;
    },
    async confirmed(order) {
      return (await fixture.pay(order, "finished")) as EventEnvelope<"payment.confirmed">;
    },
    envelope(topic, data) {
      return {
        id: randomUUID(),
        topic,
        occurredAt: new Date().toISOString(),
        data: parseEvent(topic, data),
      } as never;
    },
    async close() {
      await app.stop();
      await bus.close();
      api.sender.close();
      await emulator.stop();
      await db.close();
    },
  };
  return fixture;
}

/** DMs the bot sent to a chat, as the user reads them. */
export function texts(emulator: BotApiEmulator, chatId: number): string[] {
  return emulator
    .messages(chatId)
    .filter((m) => m.from_id === emulator.botId)
    .map((m) => m.plainText ?? "");
}
