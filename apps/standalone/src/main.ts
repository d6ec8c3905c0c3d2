#!/usr/bin/env node
// `pnpm start`: TelePay on one machine. Wires the embedded database, the three services and one
// HTTP port; everything else lives in compose.ts. Stops cleanly on SIGTERM/SIGINT.
import { serve } from "@hono/node-server";
import { createLogger, exitOnConfigError, stopOnSignals, toDbConfig } from "@telepay/config";
import { defaultSeedCacheDir, exitOnEmbeddedBusy, openAppDatabase } from "@telepay/db";
import { createStandalone } from "./compose.ts";
import { loadStandaloneEnv, toStandaloneConfig } from "./env.ts";
import { localSigningSecret } from "./signing-secret.ts";

const { config: env, warnings } = await loadStandaloneEnv(process.env).catch(exitOnConfigError);
const logger = createLogger({ service: "standalone", level: env.LOG_LEVEL });
for (const warning of warnings) logger.warn({}, warning);
// Signals are handled from here on: one during start-up closes what has opened so far (9 s at most).
const shutdown = stopOnSignals({ logger });

const started = performance.now();
// The embedded default: PGlite in DATA_DIR, served on a password-protected local socket so
// `pnpm telepay` works while this process runs. Postgres is migrated here too (one process).
const opened = await openAppDatabase(toDbConfig(env), {
  service: "standalone",
  migrateServer: true,
  seedCacheDir: defaultSeedCacheDir(process.env),
}).catch(exitOnEmbeddedBusy);
const { database } = opened;
shutdown.add("database", () => opened.close());
if (opened.dataDir)
  logger.info({ dataDir: opened.dataDir, socketPort: opened.socketPort }, "embedded database");

let signingSecret = env.WEBHOOK_SIGNING_SECRET;
if (!signingSecret) {
  const local = await localSigningSecret(env.DATA_DIR);
  signingSecret = local.secret;
  if (local.created) logger.info({}, "created a local signing secret in DATA_DIR/signing-secret");
}

const port = env.PORT;
const standalone = await createStandalone({
  database,
  logger,
  config: toStandaloneConfig(env, { port, signingSecret }),
});
shutdown.add("standalone", () => standalone.stop());

// Every interface, so NOWPayments (and Telegram in webhook mode) can reach it through a tunnel or
// port forward; every state-changing route authenticates its caller (IPN signature, webhook secret
// token, ALLOWED_IPS + X-Signature on /jobs/*) and there is no push route.
const server = serve({ fetch: standalone.app.fetch, port, hostname: "0.0.0.0" }, (info) => {
  logger.info(
    {
      port: info.port,
      dataDir: opened.dataDir,
      startupMs: Math.round(performance.now() - started),
    },
    "TelePay standalone listening",
  );
});
shutdown.add("server", () => new Promise<void>((resolve) => server.close(() => resolve())));
await standalone.start();
