import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sourceNodeFlags } from "@telepay/testing";

/** A TelePay process started by a test. */
export interface ChildApp {
  readonly proc: ChildProcess;
  /** Resolves when the process printed "ready". */
  readonly ready: Promise<void>;
  /** Resolves with the exit code / signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its stderr (JSON log lines), for failure messages. */
  logs(): string;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `src/<script>.ts` under this Node (native TypeScript) with `env` added to ours; ready on "ready". */
export function spawnChild(script: string, env: Record<string, string>, readyTimeoutMs = 30_000): ChildApp {
  return spawnScript(fileURLToPath(new URL(`./${script}.ts`, import.meta.url)), env, {
    readyLine: "ready",
    readyTimeoutMs,
  });
}

/**
 * Spawns any TypeScript entry point (e.g. an app's main.ts) under this Node with `env` added to
 * ours. Without `readyLine`, `ready` resolves at once (the caller polls /health instead).
 */
export function spawnScript(
  path: string,
  env: Record<string, string>,
  options: { readyLine?: string; readyTimeoutMs?: number } = {},
): ChildApp {
  const script = path.split("/").slice(-3).join("/");
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const proc = spawn(process.execPath, [...sourceNodeFlags("start"), path], {
    env: { ...process.env, ...env },
    // stdin stays open while this process lives: the child exits when it closes (no orphans if the
    // test runner itself is killed).
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    if (process.env.DEBUG_FAULTS === "1")
      process.stderr.write(`[${script} ${proc.pid}] ${chunk.toString("utf8")}`);
    if (stderr.length > 2_000_000) stderr = stderr.slice(-1_000_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    if (!options.readyLine) {
      // Apps log JSON lines to stdout: keep them with stderr for failure messages.
      proc.stdout!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        if (stderr.length > 2_000_000) stderr = stderr.slice(-1_000_000);
      });
      resolve();
      return;
    }
    const readyLine = options.readyLine;
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready within ${readyTimeoutMs} ms:\n${stderr.slice(-3000)}`)),
      readyTimeoutMs,
    );
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes(`${readyLine}\n`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before ready:\n${stderr.slice(-3000)}`));
    });
  });
  ready.catch(() => {});
  return {
    proc,
    ready,
    exited,
    logs: () => stderr,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
