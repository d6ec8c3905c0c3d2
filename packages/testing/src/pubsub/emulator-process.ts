import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, openSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { freePort } from "../free-port.ts";

export interface PubSubEmulatorProcess {
  /** host:port for PUBSUB_EMULATOR_HOST. */
  readonly host: string;
  readonly port: number;
  /** Kills the emulator (SIGKILL with `hard`), waiting for it to exit. */
  stop(options?: { hard?: boolean }): Promise<void>;
  /** SIGKILL: everything it held (topics, subscriptions, messages) is gone, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty, as after any emulator restart. */
  restart(): Promise<void>;
}

export interface StartPubSubEmulatorOptions {
  port?: number;
  timeoutMs?: number;
  /** Append the emulator's own output here (its stack traces explain UNKNOWN errors). */
  logFile?: string;
  /**
   * Jars or class folders put before the emulator's jar on the class path. Diagnostics only: e.g. the
   * missing `io.grpc.InternalStatus` method of docs/decisions/pubsub-emulator-restart.md.
   */
  classpathPrefix?: string[];
}

/** The emulator jar's Main-Class, for launches with a class path instead of `-jar`. */
const EMULATOR_MAIN = "com.google.cloud.pubsub.testing.v1.Main";

/** Whether the Cloud SDK's Pub/Sub emulator is installed (tests skip clearly when it is not). */
export function pubSubEmulatorAvailable(): boolean {
  try {
    findPubSubEmulatorJar();
    return true;
  } catch {
    return false;
  }
}

/** The Cloud SDK's Pub/Sub emulator jar (gcloud info → sdk root → platform/pubsub-emulator/lib). */
export function findPubSubEmulatorJar(): string {
  const roots = ["/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk"];
  try {
    const root = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20_000,
    }).trim();
    if (root) roots.unshift(root);
  } catch {
    // gcloud missing or slow: fall back to the usual install folders.
  }
  for (const root of roots) {
    const lib = join(root, "platform", "pubsub-emulator", "lib");
    if (!existsSync(lib)) continue;
    const jar = readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*\.jar$/.test(f));
    if (jar) return join(lib, jar);
  }
  throw new Error("Pub/Sub emulator jar not found: install the Cloud SDK's pubsub-emulator component");
}

/**
 * Starts a private Pub/Sub emulator (java -jar) on 127.0.0.1 and waits until it answers. Used by
 * benchmarks and fault tests that must kill and restart "their" Pub/Sub without disturbing a
 * shared one.
 */
export async function startPubSubEmulator(
  options: StartPubSubEmulatorOptions = {},
): Promise<PubSubEmulatorProcess> {
  const jar = findPubSubEmulatorJar();
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 60_000;
  let child: ChildProcess | undefined;

  const launch = async () => {
    const output = options.logFile ? openSync(options.logFile, "a") : "pipe";
    const launchJar = options.classpathPrefix?.length
      ? ["-cp", [...options.classpathPrefix, jar].join(delimiter), EMULATOR_MAIN]
      : ["-jar", jar];
    const proc = spawn("java", ["-Xmx256m", ...launchJar, "--host=127.0.0.1", `--port=${port}`], {
      stdio: ["ignore", output === "pipe" ? "ignore" : output, output],
    });
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`Pub/Sub emulator exited early (${proc.exitCode}): ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill("SIGKILL");
        throw new Error(`Pub/Sub emulator did not answer on port ${port}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async ({ hard = false } = {}) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill(hard ? "SIGKILL" : "SIGTERM");
    await exited;
  };

  await launch();
  return {
    host: `127.0.0.1:${port}`,
    port,
    stop,
    kill: () => stop({ hard: true }),
    restart: launch,
  };
}
