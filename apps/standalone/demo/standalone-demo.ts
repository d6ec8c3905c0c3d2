import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locale } from "@telepay/telegram";
import { startBotApiEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { createCliRunner } from "./cli-runner.ts";
import { appEntry, type ChildApp, freePort, startApp } from "./processes.ts";
import { runWalkthrough, type WalkthroughResult } from "./walkthrough.ts";

export interface StandaloneDemoOptions {
  print?: (line: string) => void;
  stepTimeoutMs?: number;
  /** How long the standalone process may take to become healthy (PGlite boots and migrates). */
  startTimeoutMs?: number;
  /** Called with each started process, so a caller can kill it on Ctrl-C. */
  onProcess?: (app: ChildApp) => void;
  /** The language of both people's Telegram, so of every bot text (DEMO_LANG); default English. */
  locale?: Locale;
}

export interface StandaloneDemoResult extends WalkthroughResult {
  startupMs: number;
  stopMs: number;
}

/**
 * `pnpm demo`: both emulators in this process, TelePay standalone as a child process exactly as
 * `pnpm start` runs it (embedded PGlite in a temporary DATA_DIR, long polling, in-process bus),
 * the walkthrough against it — the CLI working on the same DATA_DIR while it runs — and a SIGTERM
 * that must end it cleanly. Rejects (after cleaning up) if any of that did not happen.
 */
export async function runStandaloneDemo(options: StandaloneDemoOptions = {}): Promise<StandaloneDemoResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const npKeys = {
    apiKey: `np-demo-${randomBytes(6).toString("hex")}`,
    ipnSecret: randomBytes(24).toString("hex"),
  };
  const signingSecret = randomBytes(32).toString("hex");
  const tg = await startBotApiEmulator({ botUsername: "telepay_demo_bot" });
  const np = await startNowPaymentsEmulator(npKeys);
  const dataDir = await mkdtemp(join(tmpdir(), "telepay-demo-"));
  let app: ChildApp | undefined;
  try {
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    print(`• Bot API emulator on ${tg.apiRoot}, NOWPayments emulator on ${np.apiBase}`);
    const bootAt = Date.now();
    app = startApp({
      name: "standalone",
      entry: appEntry("standalone"),
      port,
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        NOWPAYMENTS_API_KEY: npKeys.apiKey,
        NOWPAYMENTS_IPN_SECRET: npKeys.ipnSecret,
        NOWPAYMENTS_API_BASE: np.apiBase,
        PUBLIC_BASE_URL: publicBaseUrl,
        DATA_DIR: dataDir,
        WEBHOOK_SIGNING_SECRET: signingSecret,
        SWEEP_INTERVAL_SECONDS: "5",
        LOG_LEVEL: "info",
      },
    });
    options.onProcess?.(app);
    await app.waitHealthy(options.startTimeoutMs ?? 180_000);
    const startupMs = Date.now() - bootAt;
    print(
      `• TelePay standalone (pid ${app.child.pid}) healthy on ${publicBaseUrl} after ${(startupMs / 1000).toFixed(1)} s; DATA_DIR ${dataDir}`,
    );

    const cli = createCliRunner({
      DATA_DIR: dataDir,
      NOTIFIER_URL: publicBaseUrl,
      WEBHOOK_SIGNING_SECRET: signingSecret,
    });
    let result: WalkthroughResult;
    try {
      result = await runWalkthrough({
        tg,
        np,
        cli,
        publicBaseUrl,
        print,
        // SWEEP_INTERVAL_SECONDS=5 above: standalone's own sweep may remind or remove before the CLI's.
        systemSweeps: true,
        ...(options.locale ? { locale: options.locale } : {}),
        ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
      });
    } catch (err) {
      print(`--- last lines of the standalone log ---\n${app.logTail(30)}`);
      throw err;
    }

    const stopAt = Date.now();
    await app.stop();
    const stopMs = Date.now() - stopAt;
    print(`✔ standalone stopped cleanly on SIGTERM (exit code 0 after ${(stopMs / 1000).toFixed(1)} s)`);
    return { ...result, startupMs, stopMs };
  } finally {
    app?.kill();
    await tg.stop();
    await np.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
