/**
 * The notifier's Cloud Run / local entrypoint: wires dependencies, serves, shuts down on SIGTERM
 * within 10 s. Everything else lives in createApp (index.ts).
 */
import { serve } from "@hono/node-server";
import { createReconciler } from "@telepay/commerce";
import {
  createLogger,
  exitOnConfigError,
  nowPaymentsApiBase,
  nowPaymentsLoginOf,
  reconcileSettingsOf,
  stopOnSignals,
  toDbConfig,
} from "@telepay/config";
import { defaultSeedCacheDir, exitOnEmbeddedBusy, openAppDatabase } from "@telepay/db";
import {
  createInProcessBus,
  createOutboxRelay,
  deadLetterMessagesToDatabase,
  deadLettersToDatabase,
  type EventBus,
  pubSubBusFromSettings,
} from "@telepay/events";
import { createNowPaymentsClient } from "@telepay/payments";
import { createTelegramApi } from "@telepay/telegram";
import { loadNotifierEnv } from "./env.ts";
import { createApp } from "./index.ts";

const { config: env, warnings } = await loadNotifierEnv().catch((err: unknown) => exitOnConfigError(err));
const logger = createLogger({ service: "notifier", level: env.LOG_LEVEL });
for (const w of warnings) logger.warn({}, w);
// Signals are handled from here on: one during start-up closes what has opened so far.
const shutdown = stopOnSignals({ logger });

// Postgres is migrated by the one-off job (`telepay db migrate`); embedded data is opened (and
// migrated) like standalone's.
const opened = await openAppDatabase(toDbConfig(env), {
  service: "notifier",
  seedCacheDir: defaultSeedCacheDir(process.env),
}).catch(exitOnEmbeddedBusy);
const { database } = opened;
shutdown.add("database", () => opened.close());
if (opened.dataDir)
  logger.info({ dataDir: opened.dataDir, socketPort: opened.socketPort }, "embedded database");
const bus: EventBus =
  (await pubSubBusFromSettings(env, logger, {
    // Given up on while pulling: recorded where the CLI and `telepay events dead-letters` look.
    onDeadLetter: deadLetterMessagesToDatabase(database.db, logger, "pubsub-pull"),
  })) ?? createInProcessBus({ logger, onDeadLetter: deadLettersToDatabase(database.db, logger) });
if (bus.kind === "in-process")
  logger.warn({}, "no GOOGLE_CLOUD_PROJECT / PUBSUB_EMULATOR_HOST: in-process bus (single process only)");
shutdown.add("bus", () => bus.close());

const api = createTelegramApi({
  token: env.TELEGRAM_BOT_TOKEN,
  apiRoot: env.TELEGRAM_API_ROOT,
  limits: {
    globalPerSecond: env.TELEGRAM_GLOBAL_PER_SECOND,
    perChatPerSecond: env.TELEGRAM_PER_CHAT_PER_SECOND,
    perGroupPerMinute: env.TELEGRAM_PER_GROUP_PER_MINUTE,
  },
  logger,
});
const botUsername = env.TELEGRAM_BOT_USERNAME?.replace(/^@/, "") ?? (await api.getMe()).username;
const relay = createOutboxRelay({ db: database.db, bus, logger });
shutdown.add("relay", () => relay.stop());

// Reconciliation on a timer when this notifier has NOWPayments credentials (validated above).
const reconciler = env.NOWPAYMENTS_API_KEY
  ? createReconciler({
      db: database.db,
      onEnqueued: () => relay.kick(),
      source: createNowPaymentsClient({
        apiKey: env.NOWPAYMENTS_API_KEY,
        baseUrl: nowPaymentsApiBase(env),
        login: nowPaymentsLoginOf(env),
      }),
      policy: { underpaidTolerancePercent: env.PAYMENT_UNDERPAID_TOLERANCE_PERCENT },
      settings: reconcileSettingsOf(env),
    })
  : undefined;
if (!reconciler)
  logger.info(
    {},
    "no NOWPAYMENTS_API_KEY: reconciliation runs elsewhere (telepay payments reconcile / its job)",
  );
else if (!env.NOWPAYMENTS_EMAIL)
  logger.warn(
    {},
    "no NOWPAYMENTS_EMAIL/NOWPAYMENTS_PASSWORD: reconciliation cannot find payments whose every IPN was lost",
  );

const notifier = await createApp({
  db: database,
  bus,
  api,
  relay,
  logger,
  ...(reconciler ? { reconciler } : {}),
  config: {
    reconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    // Stars need no credentials beyond the bot token: reconciled here on every deployment.
    starsReconcileIntervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    botUsername,
    reminderDays: env.REMINDER_DAYS,
    sweepBatchSize: env.SWEEP_BATCH_SIZE,
    ...(env.SWEEP_INTERVAL_SECONDS > 0 ? { sweepIntervalMs: env.SWEEP_INTERVAL_SECONDS * 1000 } : {}),
    redriveIntervalMs: env.REDRIVE_INTERVAL_SECONDS * 1000,
    signingSecret: env.WEBHOOK_SIGNING_SECRET,
    allowedIps: env.ALLOWED_IPS,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    consume: env.NOTIFIER_CONSUME,
    push: {
      verifyOidc: env.PUSH_VERIFY_OIDC,
      emulator: Boolean(env.PUBSUB_EMULATOR_HOST),
      ...(env.PUSH_AUDIENCE ? { audience: env.PUSH_AUDIENCE } : {}),
      ...(env.PUSH_SERVICE_ACCOUNT_EMAIL ? { serviceAccountEmail: env.PUSH_SERVICE_ACCOUNT_EMAIL } : {}),
      maxDeliveryAttempts: env.PUBSUB_MAX_DELIVERY_ATTEMPTS,
    },
  },
});

shutdown.add("notifier", () => notifier.stop());
await notifier.start();
relay.start();
const server = serve({ fetch: notifier.app.fetch, port: env.PORT }, (info) =>
  logger.info({ port: info.port }, "notifier listening"),
);
shutdown.add("server", async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Telegram calls still waiting for a rate-limit slot fail now (as transient): their grants and
  // notices are rows that the next instance's re-drive resumes, so requests in flight end at once.
  api.sender.close();
  await closed;
});
