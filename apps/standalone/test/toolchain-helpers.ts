import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { REPO_ROOT } from "../demo/processes.ts";

/** package.json's engines.node minimum, e.g. [22, 18]. */
export const MINIMUM_NODE: [number, number] = (() => {
  const engines = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).engines.node as string;
  const match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines)!;
  return [Number(match[1]), Number(match[2] ?? 0)];
})();

/** The first executable called `name` in these folders. */
export function findIn(dirs: string[], name: string): string | undefined {
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

const searchDirs = [
  ...(process.env.PATH ?? "").split(delimiter).filter(Boolean),
  "/usr/local/bin",
  "/usr/bin",
];

/**
 * A Node on this machine that is older than TelePay's minimum (the CI machine ships Node 20 in
 * /usr/bin; .ci/setup-node.sh puts a newer one in front of it), or undefined if there is none.
 */
export const OLD_NODE: string | undefined = searchDirs
  .map((dir) => join(dir, "node"))
  .find((path) => {
    if (!existsSync(path)) return false;
    const out = spawnSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout ?? "";
    const [major = 0, minor = 0] = out.trim().split(".").map(Number);
    return out !== "" && (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1]));
  });

/** The folder of the npm the machine has (setup-node.sh downloads with it). */
export const NPM_DIR: string | undefined = (() => {
  const npm = findIn(searchDirs, "npm");
  return npm ? dirname(npm) : undefined;
})();

/** The folder holding the pnpm the tests run under (the one .ci/setup-node.sh put on PATH). */
export const PNPM_DIR: string | undefined = (() => {
  const pnpm = findIn(searchDirs, "pnpm");
  return pnpm ? dirname(pnpm) : undefined;
})();

/** Machine settings a child needs to reach the registry the way the developer's shell does. */
export function machineEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["HOME", "TMPDIR", "LANG", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with exactly `env` (no inherited variables) and collects its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
