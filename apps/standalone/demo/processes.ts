import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { sourceNodeFlags } from "@telepay/testing";

/** The repository root (apps/standalone/demo → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** An app's entrypoint, e.g. appEntry("notifier") → <repo>/apps/notifier/src/main.ts. */
export function appEntry(app: string): string {
  return fileURLToPath(new URL(`../../${app}/src/main.ts`, import.meta.url));
}

/** A TCP port free right now on 127.0.0.1 (the OS picks it; the child binds it moments later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The minimum a child needs from the parent's environment; everything else is passed explicitly. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG", "TZ"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export interface ChildApp {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr interleaved), for failure reports. */
  logTail(lines?: number): string;
  /** Resolves once GET /health answers 200; rejects early, with the log tail, if the process exits. */
  waitHealthy(timeoutMs: number): Promise<void>;
  /** SIGTERM, then waits for the exit; rejects unless it exited by itself with code 0 in time. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL (cleanup after a failure); never throws. */
  kill(): void;
}

export interface StartAppOptions {
  name: string;
  /** Path of the script node runs (TypeScript, type stripping) with `pnpm start`'s node flags… */
  entry?: string;
  /** …or a whole command line to run instead (e.g. `./telepay start`). */
  command?: readonly [string, ...string[]];
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Values override PATH/HOME/… from the parent, including PATH. */
  env: Record<string, string>;
  port: number;
  /** Lines kept for logTail (default 400). */
  keepLines?: number;
}

/**
 * Starts `node <entry>` as a separate process with exactly `env` (plus PATH/HOME), the way a
 * supervisor or Cloud Run would: nothing is shared with the caller but the network.
 */
export function startApp(options: StartAppOptions): ChildApp {
  const keep = options.keepLines ?? 400;
  const lines: string[] = [];
  if (!options.command && !options.entry) throw new TypeError("startApp: give an entry or a command");
  const [file, ...args] = options.command ?? [process.execPath, ...sourceNodeFlags("start"), options.entry!];
  const child = spawn(file, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...baseEnv(), ...options.env, PORT: String(options.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line === "") continue;
      lines.push(line);
      if (lines.length > keep) lines.shift();
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((info) => {
    exitInfo = info;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const logTail = (n = 40) => lines.slice(-n).join("\n");

  return {
    name: options.name,
    port: options.port,
    url,
    child,
    logTail,
    async waitHealthy(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = "no answer yet";
      while (Date.now() < deadline) {
        if (exitInfo) {
          throw new Error(
            `${options.name} exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before it was healthy:\n${logTail()}`,
          );
        }
        try {
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
          const body = await res.text();
          if (res.status === 200) return;
          last = `${res.status} ${body.slice(0, 300)}`;
        } catch (err) {
          last = (err as Error).message;
        }
        // Start-up has no event to wait on from outside the process: poll /health, as a load balancer does.
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(
        `${options.name} was not healthy within ${timeoutMs} ms (last: ${last}):\n${logTail()}`,
      );
    },
    async stop(timeoutMs = 15_000) {
      if (!exitInfo) child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        exited,
        new Promise<undefined>((r) => {
          timer = setTimeout(() => r(undefined), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!result) {
        child.kill("SIGKILL");
        throw new Error(`${options.name} did not exit within ${timeoutMs} ms of SIGTERM:\n${logTail()}`);
      }
      if (result.code !== 0) {
        throw new Error(
          `${options.name} did not exit cleanly after SIGTERM (code ${result.code}, signal ${result.signal}):\n${logTail()}`,
        );
      }
    },
    kill() {
      if (!exitInfo) child.kill("SIGKILL");
    },
  };
}
