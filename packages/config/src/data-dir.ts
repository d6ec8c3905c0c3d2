import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** DATA_DIR value that keeps the embedded database in memory (private to one process). */
export const MEMORY_DATA_DIR = "memory://";

/** Where this code runs from: packages/config/src in a checkout, dist/ in a packaged app. */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));

export interface ResolveDataDirOptions {
  /** The process's working directory: the base outside a checkout (a packaged app in its image). */
  cwd: string;
  /** Where to look for the checkout's root from; defaults to this module's own folder. */
  codeDir?: string | undefined;
}

/**
 * The absolute embedded data folder for a DATA_DIR value. A relative value is relative to the root
 * of the checkout the code runs from (the folder holding pnpm-workspace.yaml), never to the working
 * directory: pnpm runs `pnpm start` in apps/standalone and `pnpm telepay` at the root, and both must
 * open the same database. Outside a checkout (a packaged app) it is relative to `cwd`.
 */
export function resolveDataDir(dataDir: string, options: ResolveDataDirOptions): string {
  if (dataDir === MEMORY_DATA_DIR) return dataDir;
  if (isAbsolute(dataDir)) return resolve(dataDir);
  return resolve(workspaceRoot(options.codeDir ?? CODE_DIR) ?? options.cwd, dataDir);
}

/** The nearest folder at or above `from` that holds pnpm-workspace.yaml. */
function workspaceRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
