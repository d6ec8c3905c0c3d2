import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { createLogger, type LogLevel } from "@telepay/config";
import { defaultSeedCacheDir, openEmbedded } from "@telepay/db";
import {
  type BotApiEmulator,
  type NowPaymentsEmulator,
  startBotApiEmulator,
  startNowPaymentsEmulator,
} from "@telepay/testing";
import { createConversation } from "../demo/conversation.ts";
import { isTierPost, OPEN, onboardChannel, setUpWorld } from "../demo/story.ts";
import { createStandalone } from "../src/compose.ts";
import { localSigningSecret } from "../src/signing-secret.ts";
import { createCheckout } from "./checkout.ts";
import { createSandboxServer } from "./server.ts";

export interface SandboxOptions {
  /** Port of the page on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** TelePay's log level; the log goes to DATA_DIR/telepay.log. Default "info". */
  logLevel?: LogLevel;
  /** How long the emulated chain takes to confirm a payment (waiting/confirming → finished). Default 1.5 s. */
  confirmationMs?: number;
}

export interface Sandbox {
  /** The one URL to open: the page, with its key. */
  readonly url: string;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly key: string;
  /** TelePay itself (the standalone's own port: /health, /webhooks/nowpayments, /jobs/*). */
  readonly telepayUrl: string;
  /** The embedded database's folder (PGlite, the log); removed by stop(). */
  readonly dataDir: string;
  readonly tg: BotApiEmulator;
  readonly np: NowPaymentsEmulator;
  /** Stops everything and removes DATA_DIR. Idempotent. */
  stop(): Promise<void>;
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/** An HTTP server on 127.0.0.1 whose handler is set once what it serves exists (its port comes first). */
async function listen(port: number): Promise<{ server: Server; port: number; serve(fetch: Fetch): void }> {
  let handler: Fetch = () => new Response("starting…", { status: 503, headers: { "retry-after": "1" } });
  const server = createAdaptorServer({ fetch: (request, env) => handler(request, env) }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve(fetch) {
      handler = fetch;
    },
  };
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // The page's event stream would hold the server open.
    server.closeAllConnections();
  });
}

/**
 * `pnpm sandbox`: TelePay standalone (the same createStandalone as `pnpm start`: PGlite in a fresh
 * DATA_DIR, in-process bus, long polling) against the Bot API and NOWPayments emulators in this
 * process; Olivia's channel registered through the bot's own /newchannel flow (the demo's story)
 * so its tier post is live; and the page where a person plays Olivia and Sam. Resolves once the
 * page is ready.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), "telepay-sandbox-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const log = createWriteStream(join(dataDir, "telepay.log"), { flags: "a" });
    cleanups.push(() => new Promise((resolve) => log.end(resolve)));
    const logger = createLogger({ service: "sandbox", level: options.logLevel ?? "info", destination: log });

    const page = await listen(options.port ?? 0);
    cleanups.push(() => close(page.server));
    const origin = `http://127.0.0.1:${page.port}`;

    const npKeys = {
      apiKey: `np-sandbox-${randomBytes(6).toString("hex")}`,
      ipnSecret: randomBytes(24).toString("hex"),
    };
    const tg = await startBotApiEmulator({ botUsername: "telepay_sandbox_bot" });
    cleanups.push(() => tg.stop());
    const np = await startNowPaymentsEmulator({ ...npKeys, invoicePageUrl: `${origin}/payment/` });
    cleanups.push(() => np.stop());

    // serve: true, as `pnpm start` does, so `DATA_DIR=… pnpm telepay …` works against the sandbox.
    const embedded = await openEmbedded({
      dataDir,
      serve: true,
      seedCacheDir: defaultSeedCacheDir(process.env),
    });
    cleanups.push(() => embedded.close());
    await embedded.database.migrate();

    const telepay = await listen(0);
    cleanups.push(() => close(telepay.server));
    const telepayUrl = `http://127.0.0.1:${telepay.port}`;
    const standalone = await createStandalone({
      database: embedded.database,
      logger,
      config: {
        telegram: { token: tg.token, apiRoot: tg.apiRoot },
        nowPayments: { ...npKeys, apiBase: np.apiBase, allowedIps: ["127.0.0.1/32"] },
        publicBaseUrl: telepayUrl,
        signingSecret: (await localSigningSecret(dataDir)).secret,
        allowedIps: ["127.0.0.1", "::1"],
        rateLimit: { perMinute: 10, burst: 20 },
        trustedProxyHops: 0,
        sweepIntervalMs: 60_000,
      },
    });
    telepay.serve(standalone.app.fetch);
    await standalone.start();
    cleanups.push(() => standalone.stop());

    // The story's opening: Olivia sets up Alpha VIP through the bot; its tier post goes live.
    setUpWorld(tg);
    const conversation = createConversation(tg, () => 60_000);
    const before = conversation.mark();
    await onboardChannel(conversation);
    await conversation.botMessage(OPEN.id, before, "tier post", isTierPost);

    const key = randomBytes(24).toString("base64url");
    const checkout = createCheckout({
      np,
      ...(options.confirmationMs !== undefined ? { confirmationMs: options.confirmationMs } : {}),
    });
    page.serve(createSandboxServer({ tg, checkout, port: page.port, key, logger }).fetch);

    let stopped: Promise<void> | undefined;
    return {
      url: `${origin}/?key=${key}`,
      origin,
      key,
      telepayUrl,
      dataDir,
      tg,
      np,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
