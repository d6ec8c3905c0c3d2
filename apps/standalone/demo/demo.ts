#!/usr/bin/env node
// `pnpm demo`: TelePay standalone against the Bot API and NOWPayments emulators, walked through as
// its users would use it. Prints the transcript; exits 0 only if every step happened.
import { isLocale, LOCALES } from "@telepay/telegram";
import type { ChildApp } from "./processes.ts";
import { runStandaloneDemo } from "./standalone-demo.ts";

const children: ChildApp[] = [];
// Ctrl-C: let the children shut down the way they would under a supervisor, then leave.
process.on("SIGINT", () => {
  void Promise.allSettled(children.map((child) => child.stop(10_000))).then(() => process.exit(130));
});

// DEMO_LANG=ru: Olivia's and Sam's Telegram is in Russian, so is everything the bot tells them.
const locale = process.env.DEMO_LANG?.trim() || "en";
if (!isLocale(locale)) {
  process.stderr.write(`DEMO_LANG must be one of ${LOCALES.join(", ")}, got '${locale}'\n`);
  process.exit(2);
}

const started = Date.now();
process.stdout.write(
  `TelePay demo — standalone against the Bot API and NOWPayments emulators (bot texts: ${locale})\n\n`,
);
try {
  const result = await runStandaloneDemo({ locale, onProcess: (app) => children.push(app) });
  process.stdout.write(
    `\nAll ${result.steps.length} steps happened. Walkthrough ${(result.totalMs / 1000).toFixed(1)} s, ` +
      `whole demo ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
  );
  // The emulators' idle keep-alive sockets and waiters would hold the loop open a little longer.
  process.exit(0);
} catch (err) {
  process.stderr.write(`\nDemo FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
