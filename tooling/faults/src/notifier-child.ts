/**
 * The notifier as its own process, as on Cloud Run: Postgres, streaming pull from the Pub/Sub
 * emulator, Telegram through TELEGRAM_API_ROOT. A test fixture (so it reads its settings from the
 * environment the test gives it); it prints "ready" once consuming and stops cleanly on SIGTERM.
 */
import { createDb } from "@telepay/db";
import { createPubSubBus } from "@telepay/events";
import { createApp } from "@telepay/notifier";
import { createTelegramApi } from "@telepay/telegram";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`notifier-child: ${name} is required`);
  return value;
};

const log =
  (level: string) =>
  (obj: object, msg?: string): void => {
    process.stderr.write(`${JSON.stringify({ level, pid: process.pid, msg, ...obj })}\n`);
  };
const logger = { debug() {}, info: log("info"), warn: log("warn"), error: log("error") };

const database = await createDb({ url: env("DATABASE_URL"), pool: { size: 5, maxOverflow: 5 } });
const bus = await createPubSubBus({
  projectId: "fault-tests",
  apiEndpoint: env("PUBSUB_HOST"),
  topicPrefix: env("TOPIC_PREFIX"),
  subscriptionPrefix: env("TOPIC_PREFIX"),
  createIfMissing: true,
  // A killed consumer's messages come back after the ack deadline; retries come back within 1–2 s.
  ackDeadlineSeconds: 10,
  retryBackoff: { minSeconds: 1, maxSeconds: 2 },
  logger,
});
const api = createTelegramApi({
  token: env("TELEGRAM_BOT_TOKEN"),
  apiRoot: env("TELEGRAM_API_ROOT"),
  // Telegram's real flood limits (the default), unless a test asks otherwise: how many calls are in
  // flight when the process dies depends on them.
  ...(process.env.TELEGRAM_UNLIMITED === "1"
    ? { limits: { globalPerSecond: 1000, perChatPerSecond: 1000, perGroupPerMinute: 100_000 } }
    : {}),
  baseBackoffMs: 50,
  maxBackoffMs: 500,
  logger,
});
const app = await createApp({
  db: database,
  bus,
  api,
  logger,
  config: {
    botUsername: env("BOT_USERNAME"),
    reminderDays: [3, 1],
    sweepBatchSize: 1000,
    signingSecret: env("SIGNING_SECRET"),
    allowedIps: ["127.0.0.1"],
    // Pushes come from the Pub/Sub emulator, which sends no OIDC token.
    push: { verifyOidc: false, emulator: true },
    leaseMs: Number(env("LEASE_MS")),
    ...(process.env.WORK_LEASE_MS ? { workLeaseMs: Number(process.env.WORK_LEASE_MS) } : {}),
    ...(process.env.REDRIVE_MS ? { redriveIntervalMs: Number(process.env.REDRIVE_MS) } : {}),
    consume: process.env.CONSUME === "push" ? "push" : "subscribe",
  },
});
await app.start();
// With PORT: /health (and, in push mode as on Cloud Run, /pubsub/push) on that port.
const server = process.env.PORT
  ? (await import("@hono/node-server")).serve({
      fetch: app.app.fetch,
      port: Number(process.env.PORT),
      hostname: "127.0.0.1",
    })
  : undefined;
if (server) await new Promise<void>((resolve) => server.once("listening", () => resolve()));
process.stdout.write("ready\n");
// The test that started us is gone (its end of stdin closed): do not linger.
process.stdin.resume();
process.stdin.once("end", () => process.exit(1));

process.once("SIGTERM", async () => {
  server?.close();
  await app.stop();
  await bus.close();
  api.sender.close();
  await database.close();
  process.exit(0);
});
