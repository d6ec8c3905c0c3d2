import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./serve.ts";

/** A Pub/Sub emulator process of our own (the shared one on 8085 must never be restarted by a test). */
export interface OwnPubSubEmulator {
  /** host:port, for PUBSUB_EMULATOR_HOST / the bus' apiEndpoint. */
  readonly host: string;
  readonly port: number;
  /** Kills the emulator (SIGKILL: everything it held — topics, subscriptions, messages — is gone). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty, as after any emulator restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The emulator jar of the installed Cloud SDK, or undefined when there is none. */
export function findPubSubEmulatorJar(): string | undefined {
  try {
    const root = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const lib = join(root, "platform", "pubsub-emulator", "lib");
    const jar = readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*\.jar$/.test(f));
    return jar ? join(lib, jar) : undefined;
  } catch {
    return undefined;
  }
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Pub/Sub emulator exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Pub/Sub emulator on ${port} not ready within ${timeoutMs} ms`);
}

/** Starts `java -jar cloud-pubsub-emulator-*.jar` on a free port and waits until it answers. */
export async function startOwnPubSubEmulator(jar: string, options: { readyTimeoutMs?: number } = {}) {
  const port = await freePort();
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  const launch = async () => {
    const proc = spawn("java", ["-Xmx256m", "-jar", jar, "--host=127.0.0.1", `--port=${port}`], {
      // FAULTS_EMULATOR_LOG=<file>: keep the emulator's own log (its stack traces explain UNKNOWN errors).
      stdio: process.env.FAULTS_EMULATOR_LOG
        ? [
            "ignore",
            openSync(process.env.FAULTS_EMULATOR_LOG, "a"),
            openSync(process.env.FAULTS_EMULATOR_LOG, "a"),
          ]
        : ["ignore", "ignore", "ignore"],
    });
    child = proc;
    await waitReady(port, proc, readyTimeoutMs);
  };
  const kill = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGKILL");
    await exited;
  };
  await launch();
  const emulator: OwnPubSubEmulator = {
    host: `127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    stop: kill,
  };
  return emulator;
}
