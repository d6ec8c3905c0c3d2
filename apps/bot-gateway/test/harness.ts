import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { stackSubscription } from "@telepay/commerce";
import { users } from "@telepay/db";
import { createInProcessBus } from "@telepay/events";
import { createApp as createNotifier, type NotifierApp } from "@telepay/notifier";
import { createNowPaymentsClient } from "@telepay/payments";
import { createTelegramApi } from "@telepay/telegram";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  type StoredMessage,
  seedChannel as seedCatalogChannel,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
  type Update,
} from "@telepay/testing";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { type BotConfig, type BotGatewayHandle, createApp } from "../src/index.ts";

export const WEBHOOK_SECRET = "test-webhook-secret";
const silent = { debug() {}, info() {}, warn() {}, error() {} };

export interface Harness {
  db: TestDatabase;
  tg: BotApiEmulator;
  np: NowPaymentsEmulator;
  app: BotGatewayHandle;
  /** Moves the bot's clock forward (keypad and conversation timeouts). */
  advance(ms: number): void;
  now(): Date;
  /** POSTs an emulator update to the bot's webhook route, like Telegram does; returns the HTTP status. */
  deliver(update: Update): Promise<number>;
  /** A user sends text (or forwards a channel post) to the bot. */
  say(from: number, text: string, extra?: { forwardFromChat?: number }): Promise<void>;
  /** A user taps an inline button on a message in their private chat with the bot. */
  press(from: number, messageId: number, data: string): Promise<void>;
  /** The bot's messages in a private chat, oldest first (edits applied). */
  botMessages(chatId: number): StoredMessage[];
  last(chatId: number): StoredMessage;
  /** webhook-ingress on a real port, when started with `ingress: true`. */
  ipn?: IpnServer;
  /** Runs `fn` first when the harness closes (what a test started beside it). */
  onClose(fn: () => Promise<void>): void;
  /** Builds a second app on the same database and emulators (a restart or another instance). */
  restart(): Promise<BotGatewayHandle>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<BotConfig>;
  /** Where IPNs are delivered (webhook-ingress), when the test mounts it. */
  publicBaseUrl?: string;
  /**
   * Runs the real webhook-ingress on a local port and makes it the invoices' ipn_callback_url, so
   * the NOWPayments emulator's signed IPNs take the production path (overrides publicBaseUrl).
   */
  ingress?: boolean;
}

/** webhook-ingress's config in these tests: the emulator's IPN secret, any source, a generous rate. */
export const INGRESS_CONFIG = {
  ipnSecret: "np-test-ipn-secret",
  allowedIps: [],
  trustedProxyHops: 0,
  rateLimit: { perMinute: 600, burst: 600 },
};

/** The local server NOWPayments' IPNs reach (webhook-ingress on the harness database). */
export interface IpnServer {
  baseUrl: string;
  /** What answers its requests; a test may swap it for another ingress and put it back. */
  handler: (req: Request, env?: unknown) => Response | Promise<Response>;
  close(): Promise<void>;
}

/** An HTTP server on a free local port that answers with whatever `handler` is at the time. */
async function listenForIpns(): Promise<IpnServer> {
  const ipn: IpnServer = {
    baseUrl: "",
    handler: () => new Response("starting", { status: 503 }),
    close: async () => {},
  };
  const server = serve({ fetch: (req, env) => ipn.handler(req, env), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  ipn.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ipn.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return ipn;
}

let nextId = 7_000_000;
/** A fresh id for users and chats, so tests sharing a harness never see each other's rows. */
export function uniqueId(): number {
  nextId += 1;
  return nextId;
}

/**
 * One harness per test FILE (started in beforeAll): a database (Postgres when TEST_DATABASE_URL
 * is set, else in-memory PGlite, which takes seconds to boot), the Bot API and NOWPayments
 * emulators and the app. Tests keep apart by using their own users and channels (uniqueId).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ipn = options.ingress ? await listenForIpns() : undefined;
  const db = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const tg = await startBotApiEmulator();
  const np = await startNowPaymentsEmulator({ apiKey: "np-test-key", ipnSecret: "np-test-ipn-secret" });
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const payments = createNowPaymentsClient({ apiKey: "np-test-key", baseUrl: np.apiBase });
  // The shared rate-limited sender, as main.ts wires it (limits raised so tests stay fast).
  const api = createTelegramApi({
    token: tg.token,
    apiRoot: tg.apiRoot,
    limits: { globalPerSecond: 10_000, perChatPerSecond: 10_000, perGroupPerMinute: 10_000 },
  });
  const build = () =>
    createApp({
      db,
      payments,
      api,
      logger: silent,
      now,
      config: {
        token: tg.token,
        apiRoot: tg.apiRoot,
        mode: "webhook",
        webhookSecret: WEBHOOK_SECRET,
        publicBaseUrl: ipn?.baseUrl ?? options.publicBaseUrl ?? "https://pay.example.test",
        ...options.config,
      },
    });
  let app = await build();
  const apps = [app];
  const closers: Array<() => Promise<void>> = [];
  if (ipn) {
    const ingress = await createIngress({
      db,
      logger: silent,
      config: INGRESS_CONFIG,
    });
    ipn.handler = (req, env) => ingress.app.fetch(req, env as never);
  }

  const deliver = async (update: Update) => {
    const res = await app.app.request("/telegram/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    return res.status;
  };
  const expectOk = async (update: Update) => {
    const status = await deliver(update);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  };
  const botMessages = (chatId: number) =>
    tg.messages(chatId).filter((m) => m.from_id === tg.botId && !m.deleted);

  return {
    db,
    tg,
    np,
    ipn,
    get app() {
      return app;
    },
    advance(ms) {
      offset += ms;
    },
    now,
    deliver,
    say: (from, text, extra) => expectOk(tg.sendUserMessage({ from, text, ...extra })),
    press: (from, messageId, data) => expectOk(tg.pressButton({ from, messageId, data })),
    botMessages,
    last(chatId) {
      const all = botMessages(chatId);
      if (all.length === 0) throw new Error(`the bot has not written to ${chatId}`);
      return all[all.length - 1]!;
    },
    async restart() {
      app = await build();
      apps.push(app);
      return app;
    },
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      for (const fn of closers.reverse()) await fn();
      for (const a of apps) await a.stop();
      await tg.stop();
      await np.stop();
      await db.close();
      await ipn?.close();
    },
  };
}

/** The notifier running beside the bot on the harness database and Bot API emulator. */
export interface NotifierStack {
  notifier: NotifierApp;
  /** Its rate-limited Telegram sender (tests also send through it, as the notifier would). */
  api: ReturnType<typeof createTelegramApi>;
  bus: ReturnType<typeof createInProcessBus>;
  stop(): Promise<void>;
}

/** The notifier's config beside the harness's bot (for a test that starts a second notifier). */
export function notifierConfig(h: Harness) {
  return {
    botUsername: h.tg.botUsername,
    signingSecret: "a-signing-secret-of-some-length",
    allowedIps: ["127.0.0.1"],
    redriveIntervalMs: 0,
    reminderDays: [3, 1],
    sweepBatchSize: 1000,
  };
}

/**
 * Starts the notifier as production wires it (in-process bus, shared sender) on the harness's
 * database and emulator: it grants access, sends invites and owner notices, runs redrive and sweeps.
 */
export async function startNotifier(h: Harness): Promise<NotifierStack> {
  const api = createTelegramApi({
    token: h.tg.token,
    apiRoot: h.tg.apiRoot,
    limits: { globalPerSecond: 10_000, perChatPerSecond: 10_000, perGroupPerMinute: 10_000 },
  });
  const bus = createInProcessBus({ logger: silent });
  const notifier = await createNotifier({
    db: h.db,
    bus,
    api,
    logger: silent,
    config: notifierConfig(h),
  });
  return {
    notifier,
    api,
    bus,
    async stop() {
      await notifier.stop();
      await bus.close();
      api.sender.close();
    },
  };
}

/** A user who has talked to the bot: known to the Bot API emulator and in the users table. */
export async function seedSubscriber(h: Harness, name: string): Promise<number> {
  const id = uniqueId();
  h.tg.addUser({ id, first_name: name });
  await h.db.db
    .insert(users)
    .values({ telegramId: BigInt(id), firstName: name })
    .onConflictDoNothing();
  return id;
}

/** A harness with the notifier beside it, both stopped by `h.close()`. */
export async function startHarnessWithNotifier(
  options: HarnessOptions = {},
): Promise<{ h: Harness; n: NotifierStack }> {
  const h = await startHarness(options);
  const n = await startNotifier(h);
  h.onClose(n.stop);
  return { h, n };
}

/** callback_data of every button on a message, by label. */
export function buttons(message: StoredMessage): Array<{ text: string; data?: string; url?: string }> {
  const markup = message.reply_markup as
    | { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> }
    | undefined;
  return (markup?.inline_keyboard ?? [])
    .flat()
    .map((b) => ({ text: b.text, data: b.callback_data, url: b.url }));
}

export function buttonData(message: StoredMessage, label: string | RegExp): string {
  const found = buttons(message).find((b) =>
    typeof label === "string" ? b.text === label : label.test(b.text),
  );
  if (!found?.data) throw new Error(`no button ${label} on message: ${JSON.stringify(buttons(message))}`);
  return found.data;
}

export function buttonUrl(message: StoredMessage, label: string | RegExp): string {
  const found = buttons(message).find((b) =>
    typeof label === "string" ? b.text === label : label.test(b.text),
  );
  if (!found?.url) throw new Error(`no URL button ${label} on message: ${JSON.stringify(buttons(message))}`);
  return found.url;
}

/** `days` of access to a channel, stacked as a grant stacks them (commerce stackSubscription). */
export function seedSubscription(
  h: Harness,
  s: { userId: number; channelId: number; tierId?: number | null; days: number },
) {
  return h.db.db.transaction((tx) =>
    stackSubscription(tx, {
      userId: BigInt(s.userId),
      channelId: s.channelId,
      tierId: s.tierId ?? null,
      change: { days: s.days },
      now: h.now(),
    }),
  );
}

/**
 * A registered channel (as /newchannel or the CLI leaves it) with its chats in the emulator:
 * the owner is creator of both, the bot an admin with full rights. The rows come from the shared
 * catalog fixture (packages/testing); this adds the Telegram side and the bot tests' defaults.
 */
export async function seedChannel(
  h: Harness,
  input: {
    owner?: number;
    openChat?: number;
    closedChat?: number;
    title?: string;
    tiers?: Array<{ price: string; days: number; label: string; stars?: number }>;
    donationMin?: string;
    /** Which payment rails it sells on (default the column's: crypto only). */
    rails?: "both";
  } = {},
) {
  const owner = input.owner ?? uniqueId();
  const openChat = input.openChat ?? -1_001_000_000_000 - uniqueId();
  const closedChat = input.closedChat ?? -1_001_000_000_000 - uniqueId();
  const title = input.title ?? "Premium Signals";
  h.tg.addUser({ id: owner, first_name: "Olga" });
  h.tg.addChat({ id: openChat, type: "channel", title: `${title} (public)` });
  h.tg.addChat({ id: closedChat, type: "channel", title });
  h.tg.setChatMember(openChat, owner, "creator");
  h.tg.setChatMember(closedChat, owner, "creator");
  const { channel, tiers } = await seedCatalogChannel(h.db, {
    ownerTelegramId: BigInt(owner),
    values: {
      openChatId: BigInt(openChat),
      closedChatId: BigInt(closedChat),
      openTitle: `${title} (public)`,
      closedTitle: title,
      description: "Daily trade ideas & <analysis>",
      payoutWallet: "TQ9xWalletAddress0000000000000003fAb",
      payoutCurrency: "usdttrc20",
      ...(input.donationMin ? { donationMin: input.donationMin } : {}),
      ...(input.rails ? { rails: input.rails } : {}),
    },
    tiers: (
      input.tiers ?? [
        { price: "9.99", days: 30, label: "Monthly" },
        { price: "24.99", days: 90, label: "Quarterly" },
      ]
    ).map((t) => ({
      price: t.price,
      durationDays: t.days,
      label: t.label,
      ...(t.stars !== undefined ? { starsPrice: t.stars } : {}),
    })),
  });
  return { channel, tiers, owner, openChat, closedChat };
}
