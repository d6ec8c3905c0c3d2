#!/usr/bin/env node
// Cloud Run entrypoint of webhook-ingress: wire, serve, shut down on SIGTERM. Logic lives in index.ts.
import { serve } from "@hono/node-server";
import { createLogger, exitOnConfigError, stopOnSignals, toDbConfig } from "@telepay/config";
import { defaultSeedCacheDir, exitOnEmbeddedBusy, openAppDatabase } from "@telepay/db";
import { createOutboxRelay, pubSubBusFromSettings } from "@telepay/events";
import { loadIngressEnv, toIngressConfig } from "./env.ts";
import { createApp, SERVICE_NAME } from "./index.ts";

const { config: env, warnings } = await loadIngressEnv(process.env).catch(exitOnConfigError);
const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
for (const warning of warnings) logger.warn({}, warning);
// Signals are handled from here on: one during start-up closes what has opened so far.
const shutdown = stopOnSignals({ logger });

// Postgres is migrated by the migrate job; embedded data is opened (and migrated) like standalone's.
const opened = await openAppDatabase(
  { ...toDbConfig(env), onNotice: (message) => logger.debug({ message }, "db notice") },
  { service: SERVICE_NAME, seedCacheDir: defaultSeedCacheDir(process.env) },
).catch(exitOnEmbeddedBusy);
const { database } = opened;
shutdown.add("database", () => opened.close());
if (opened.dataDir)
  logger.info({ dataDir: opened.dataDir, socketPort: opened.socketPort }, "embedded database");

// Events leave through the outbox. Without Pub/Sub there is nobody in this process to deliver them
// to, so the relay stays off and the rows wait for a relay that has a bus (standalone, or the
// notifier's /jobs/relay) rather than being marked published into the void.
const bus = await pubSubBusFromSettings(env, logger);
if (!bus)
  logger.warn(
    {},
    "no GOOGLE_CLOUD_PROJECT / PUBSUB_EMULATOR_HOST: events stay in the outbox for another relay",
  );
const relay = bus ? createOutboxRelay({ db: database.db, bus, logger }) : undefined;
shutdown.add("bus", () => bus?.close());
shutdown.add("relay", () => relay?.stop());

const handle = await createApp({
  db: database,
  ...(bus ? { bus } : {}),
  ...(relay ? { relay } : {}),
  config: toIngressConfig(env),
  logger,
});
shutdown.add("ingress", () => handle.stop());
await handle.start();
relay?.start();

const server = serve({ fetch: handle.app.fetch, port: env.PORT }, (info) =>
  logger.info({ port: info.port }, "webhook-ingress listening"),
);
shutdown.add("server", async () => {
  // Stop accepting, let in-flight IPNs finish (Cloud Run allows 10 s after SIGTERM), then flush.
  // Idle keep-alive sockets are closed by close(); busy ones get 8 s before they are cut.
  const force = setTimeout(() => (server as import("node:http").Server).closeAllConnections?.(), 8_000);
  force.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(force);
});
