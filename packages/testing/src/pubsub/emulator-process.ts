import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export interface PubSubEmulatorProcess {
  /** host:port for PUBSUB_EMULATOR_HOST. */
  readonly host: string;
  readonly port: number;
  /** Kills the emulator (SIGKILL with `hard`), waiting for it to exit. */
  stop(options?: { hard?: boolean }): Promise<void>;
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts a private Pub/Sub emulator (java -jar) on 127.0.0.1 and waits until it answers. Used by
 * benchmarks and fault tests that must restart "their" Pub/Sub without disturbing a shared one.
 */
export async function startPubSubEmulator(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<PubSubEmulatorProcess> {
  const jar = findPubSubEmulatorJar();
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn("java", ["-jar", jar, `--host=127.0.0.1`, `--port=${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Pub/Sub emulator exited early (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Pub/Sub emulator did not answer on port ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    async stop({ hard = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(hard ? "SIGKILL" : "SIGTERM");
      await exited;
    },
  };
}
