#!/usr/bin/env node
// `./telepay emulators`: the Bot API and NOWPayments emulators from packages/testing, on their own,
// so `./telepay start` can be tried without a bot token or a NOWPayments account. Prints the
// command line that points TelePay at them; Ctrl-C (or SIGTERM) stops them.
import { randomBytes } from "node:crypto";
import { startBotApiEmulator, startNowPaymentsEmulator } from "@telepay/testing";

const npKeys = {
  apiKey: `np-local-${randomBytes(6).toString("hex")}`,
  ipnSecret: randomBytes(24).toString("hex"),
};
const tg = await startBotApiEmulator({ botUsername: "telepay_local_bot" });
const np = await startNowPaymentsEmulator(npKeys);

const env = {
  TELEGRAM_BOT_TOKEN: tg.token,
  TELEGRAM_API_ROOT: tg.apiRoot,
  NOWPAYMENTS_API_KEY: npKeys.apiKey,
  NOWPAYMENTS_IPN_SECRET: npKeys.ipnSecret,
  NOWPAYMENTS_API_BASE: np.apiBase,
};
process.stdout.write(
  `Bot API emulator on ${tg.apiRoot}, NOWPayments emulator on ${np.apiBase} (Ctrl-C stops them).\n` +
    "In another terminal:\n\n" +
    `  ${Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join(" ")} ./telepay start\n`,
);

async function stop() {
  await Promise.allSettled([tg.stop(), np.stop()]);
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
