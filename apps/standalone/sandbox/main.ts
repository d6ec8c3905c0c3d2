#!/usr/bin/env node
// `pnpm sandbox`: try TelePay without any accounts. Starts everything (start.ts), prints the one URL
// to open, and on Ctrl-C/SIGTERM stops it all and removes its data.
import { exitOnConfigError } from "@telepay/config";
import { loadSandboxEnv } from "./env.ts";
import { type Sandbox, startSandbox } from "./start.ts";

const { config: env } = await loadSandboxEnv(process.env).catch(exitOnConfigError);
process.stdout.write(
  "TelePay sandbox: starting TelePay, an emulated Telegram and an emulated NOWPayments…\n",
);
let sandbox: Sandbox;
try {
  sandbox = await startSandbox({ port: env.PORT, logLevel: env.LOG_LEVEL });
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  process.stderr.write(
    code === "EADDRINUSE"
      ? `telepay sandbox: port ${env.PORT} is in use; set PORT to another port (PORT=0 picks a free one)\n`
      : `telepay sandbox: could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  [
    "",
    "  Open this in your browser:",
    "",
    `    ${sandbox.url}`,
    "",
    "  You play Olivia (she sells access to her channel Alpha VIP) and Sam (who wants in).",
    `  Logs: ${sandbox.dataDir}/telepay.log · operator CLI meanwhile: DATA_DIR=${sandbox.dataDir} pnpm telepay channel list`,
    "  Ctrl-C stops the sandbox and deletes its data.",
    "",
  ].join("\n"),
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  await sandbox.stop();
  process.stdout.write("TelePay sandbox stopped.\n");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
