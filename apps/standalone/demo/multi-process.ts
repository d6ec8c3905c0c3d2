import { randomBytes } from "node:crypto";
import { startBotApiEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { createCliRunner } from "./cli-runner.ts";
import { appEntry, type ChildApp, freePort, startApp } from "./processes.ts";
import { runWalkthrough, type WalkthroughResult } from "./walkthrough.ts";

export interface MultiProcessOptions {
  /** A migrated Postgres database of its own (createTestDatabase(...).url). */
  databaseUrl: string;
  /** host:port of the Pub/Sub emulator. */
  pubsubEmulatorHost: string;
  print?: (line: string) => void;
  stepTimeoutMs?: number;
  startTimeoutMs?: number;
  onProcess?: (app: ChildApp) => void;
}

export interface MultiProcessResult extends WalkthroughResult {
  startupMs: number;
  topicPrefix: string;
}

// The apps' default project when only PUBSUB_EMULATOR_HOST is set (see each app's main.ts).
const EMULATOR_PROJECT = "telepay-local";

/**
 * The Cloud Run shape on one machine: webhook-ingress, notifier and bot-gateway as three separate
 * `node apps/<app>/src/main.ts` processes, sharing nothing but a Postgres database and the Pub/Sub
 * emulator (topics under a prefix unique to this run; the notifier consumes by streaming pull;
 * the bot long-polls the Bot API emulator). The expiry sweep runs only when the CLI calls the
 * notifier's signed /jobs/sweep — Cloud Scheduler's request. The same walkthrough must pass.
 */
export async function runMultiProcess(options: MultiProcessOptions): Promise<MultiProcessResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const npKeys = {
    apiKey: `np-e2e-${randomBytes(6).toString("hex")}`,
    ipnSecret: randomBytes(24).toString("hex"),
  };
  const signingSecret = randomBytes(32).toString("hex");
  const topicPrefix = `e2e-${randomBytes(5).toString("hex")}-`;
  const tg = await startBotApiEmulator({ botUsername: "telepay_e2e_bot" });
  const np = await startNowPaymentsEmulator(npKeys);
  const apps: ChildApp[] = [];
  const start = async (name: string, env: Record<string, string>, port?: number) => {
    const app = startApp({ name, entry: appEntry(name), port: port ?? (await freePort()), env });
    apps.push(app);
    options.onProcess?.(app);
    return app;
  };
  try {
    const shared = {
      DATABASE_URL: options.databaseUrl,
      PUBSUB_EMULATOR_HOST: options.pubsubEmulatorHost,
      PUBSUB_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: "info",
    };
    const bootAt = Date.now();
    // The notifier first: its streaming-pull subscriptions must exist before anything is published
    // (Pub/Sub keeps messages only for subscriptions that exist when they are published).
    const notifier = await start("notifier", {
      ...shared,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      WEBHOOK_SIGNING_SECRET: signingSecret,
      NOTIFIER_CONSUME: "subscribe",
      SWEEP_INTERVAL_SECONDS: "0",
    });
    await notifier.waitHealthy(startTimeoutMs);
    const ingress = await start("webhook-ingress", { ...shared, NOWPAYMENTS_IPN_SECRET: npKeys.ipnSecret });
    const botPort = await freePort();
    const bot = await start(
      "bot-gateway",
      {
        ...shared,
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_MODE: "polling",
        NOWPAYMENTS_API_KEY: npKeys.apiKey,
        NOWPAYMENTS_API_BASE: np.apiBase,
        // Invoices call back to webhook-ingress, the only service NOWPayments talks to.
        PUBLIC_BASE_URL: ingress.url,
        // The owner dashboard is bot-gateway's own page (polling: no webhook URL to take it from).
        DASHBOARD_URL: `http://127.0.0.1:${botPort}/dashboard`,
      },
      botPort,
    );
    await Promise.all([ingress.waitHealthy(startTimeoutMs), bot.waitHealthy(startTimeoutMs)]);
    // Healthy is not yet polling. The emulator records a getUpdates only when it returns, and the
    // first one is a long poll that returns only after its 30 s timeout when no update comes, so
    // waiting for it waited out those 30 s. grammY's start() calls deleteWebhook (keeping pending
    // updates) right before its first getUpdates: from then on what users send is taken.
    await tg.waitForCall("deleteWebhook", undefined, startTimeoutMs);
    const startupMs = Date.now() - bootAt;
    print(
      `• notifier ${notifier.url} (pid ${notifier.child.pid}), webhook-ingress ${ingress.url} (pid ${ingress.child.pid}), ` +
        `bot-gateway ${bot.url} (pid ${bot.child.pid}) healthy after ${(startupMs / 1000).toFixed(1)} s; ` +
        `Postgres + Pub/Sub emulator ${options.pubsubEmulatorHost} (topics ${topicPrefix}*)`,
    );

    const cli = createCliRunner({
      DATABASE_URL: options.databaseUrl,
      NOTIFIER_URL: notifier.url,
      WEBHOOK_SIGNING_SECRET: signingSecret,
    });
    let result: WalkthroughResult;
    try {
      result = await runWalkthrough({
        tg,
        np,
        cli,
        publicBaseUrl: ingress.url,
        print,
        ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
      });
    } catch (err) {
      for (const app of apps) print(`--- last lines of the ${app.name} log ---\n${app.logTail(20)}`);
      throw err;
    }

    // Stop in the order a rollout would drain them: entry points first, the consumer last.
    for (const app of [bot, ingress, notifier]) await app.stop();
    print("✔ bot-gateway, webhook-ingress and notifier each stopped cleanly on SIGTERM (exit code 0)");
    return { ...result, startupMs, topicPrefix };
  } finally {
    for (const app of apps) app.kill();
    await tg.stop();
    await np.stop();
    await deletePubSubResources(options.pubsubEmulatorHost, topicPrefix).catch((err: unknown) =>
      print(`(could not delete the run's Pub/Sub topics: ${(err as Error).message})`),
    );
  }
}

/** Removes this run's topics and subscriptions from the shared emulator (its REST API). */
async function deletePubSubResources(host: string, prefix: string): Promise<void> {
  const base = `http://${host}/v1/projects/${EMULATOR_PROJECT}`;
  for (const kind of ["subscriptions", "topics"] as const) {
    let pageToken = "";
    const names: string[] = [];
    do {
      const res = await fetch(`${base}/${kind}?pageSize=1000${pageToken ? `&pageToken=${pageToken}` : ""}`);
      if (!res.ok) throw new Error(`listing ${kind} answered ${res.status}`);
      const body = (await res.json()) as Record<string, unknown>;
      const items = (body[kind] ?? []) as Array<string | { name: string }>;
      for (const item of items) {
        const name = typeof item === "string" ? item : item.name;
        if (name.split("/").pop()!.startsWith(prefix)) names.push(name);
      }
      pageToken = typeof body.nextPageToken === "string" ? body.nextPageToken : "";
    } while (pageToken);
    for (const name of names) await fetch(`http://${host}/v1/${name}`, { method: "DELETE" });
  }
}
