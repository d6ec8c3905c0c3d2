import { execFile } from "node:child_process";
import { sourceNodeFlags } from "@telepay/testing";
import { appEntry, REPO_ROOT } from "./processes.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How the walkthrough runs the operator CLI: the real `telepay` binary in its own process. */
export interface CliRunner {
  /** `telepay <args…>` with its exit code and output. */
  run(args: string[]): Promise<CliResult>;
  /** `telepay <args…> --json`, parsed; throws with the CLI's one-line reason on a non-zero exit. */
  json<T = unknown>(args: string[]): Promise<T>;
}

/**
 * Runs `node apps/cli/src/main.ts` with `env` (DATA_DIR of the running standalone, or
 * DATABASE_URL; NOTIFIER_URL and WEBHOOK_SIGNING_SECRET for a real sweep), exactly as an
 * operator would type `pnpm telepay …` next to the running system.
 */
export function createCliRunner(env: Record<string, string>, timeoutMs = 90_000): CliRunner {
  const main = appEntry("cli");
  const run = (args: string[]) =>
    new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [...sourceNodeFlags("telepay"), main, ...args],
        {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
          timeout: timeoutMs,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    run,
    async json<T>(args: string[]) {
      const result = await run([...args, "--json"]);
      if (result.code !== 0) {
        throw new Error(
          `telepay ${args.join(" ")} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`,
        );
      }
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(`telepay ${args.join(" ")} printed no JSON: ${result.stdout.slice(0, 300)}`);
      }
    },
  };
}
