import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (packages/testing/src → ../../..). */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Root package.json scripts that run TelePay from source with `node <flags> <entry>`. */
export type SourceScript = "start" | "telepay";

const cache = new Map<SourceScript, string[]>();

/**
 * node's flags for running TelePay from source the way `pnpm <script>` does (root package.json),
 * with relative preload paths made absolute so any working directory works: the Node version check,
 * the resolve hook that spares Node 24 re-parsing drizzle-orm's package.json for every file it
 * loads, which also turns on Node's compile cache (tooling/run/resolve-hooks.cjs), and for `start`
 * the V8 flags of standalone. Tests that spawn an app or the CLI use these, so a spawned process
 * costs what it costs an operator (about half the CPU of a bare `node --no-warnings <entry>`).
 */
export function sourceNodeFlags(script: SourceScript): string[] {
  const known = cache.get(script);
  if (known) return [...known];
  const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts as Record<
    string,
    string
  >;
  const words = (scripts[script] ?? "").split(/\s+/).filter(Boolean);
  if (words[0] !== "node")
    throw new Error(`package.json script ${script} does not run node: ${words.join(" ")}`);
  const flags: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith("-")) break; // the entry: the caller names its own
    flags.push(word);
    if (word === "-r" || word === "--require" || word === "--import") {
      const path = words[++i]!;
      flags.push(isAbsolute(path) ? path : join(REPO_ROOT, path));
    }
  }
  cache.set(script, flags);
  return [...flags];
}
