#!/usr/bin/env node
// Cloud Run entrypoint of bot-gateway: wire, serve, shut down on SIGTERM. Logic lives in index.ts.
import { serve } from "@hono/node-server";
import { createLogger, exitOnConfigError, stopOnSignals, toDbConfig } from "@telepay/config";
import { defaultSeedCacheDir, exitOnEmbeddedBusy, openAppDatabase } from "@telepay/db";
import { createOutboxRelay, pubSubBusFromSettings } from "@telepay/events";
import { createNowPaymentsClient } from "@telepay/payments";
import { createTelegramApi } from "@telepay/telegram";
import { loadBotEnv, toBotConfig, toPaymentsOptions } from "./env.ts";
import { createApp } from "./index.ts";

const { config: env, warnings } = await loadBotEnv(process.env).catch(exitOnConfigError);
const logger = createLogger({ service: "bot-gateway", level: env.LOG_LEVEL });
for (const warning of warnings) logger.warn({}, warning);
// Signals are handled from here on: one during start-up closes what has opened so far.
const shutdown = stopOnSignals({ logger });

// Postgres is migrated by the migrate job; embedded data is opened (and migrated) like standalone's.
const opened = await openAppDatabase(
  { ...toDbConfig(env), onNotice: (message) => logger.debug({ message }, "db notice") },
  { service: "bot-gateway", seedCacheDir: defaultSeedCacheDir(process.env) },
).catch(exitOnEmbeddedBusy);
const { database } = opened;
shutdown.add("database", () => opened.close());
if (opened.dataDir)
  logger.info({ dataDir: opened.dataDir, socketPort: opened.socketPort }, "embedded database");

// Owner actions enqueue channel.publish_requested; with Pub/Sub configured this process relays
// them right away, otherwise they wait in the outbox for the notifier's relay.
const bus = await pubSubBusFromSettings(env, logger);
const relay = bus ? createOutboxRelay({ db: database.db, bus, logger }) : undefined;
shutdown.add("bus", () => bus?.close());
shutdown.add("relay", () => relay?.stop());

// Every outgoing call goes through the shared rate-limited sender (429 retry_after honoured).
const api = createTelegramApi({ token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, logger });

const handle = await createApp({
  db: database,
  api,
  config: toBotConfig(env),
  payments: createNowPaymentsClient(toPaymentsOptions(env)),
  ...(relay ? { relay } : {}),
  logger,
});

shutdown.add("bot", () => handle.stop());
const server = serve({ fetch: handle.app.fetch, port: env.PORT }, (info) =>
  logger.info({ port: info.port }, "bot-gateway listening"),
);
shutdown.add("server", () => new Promise<void>((resolve) => server.close(() => resolve())));
relay?.start();
await handle.start();
