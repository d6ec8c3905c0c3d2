// Preloaded with `node -r ./tooling/run/resolve-hooks.cjs` (after .ci/require-node.cjs checked the
// version) by the commands that run TelePay from source: `pnpm start`, `pnpm telepay`, `./telepay`,
// by the processes tests spawn (@telepay/testing sourceNodeFlags), and through NODE_OPTIONS by every
// node of a `pnpm test` / CI package job (.ci/run-tests.ts testEnv).
// Packaged apps do not need it: their npm code is bundled (tooling/package/package.ts).
//
// Node 24 determines the module format of every ESM file through getPackageScopeConfig, which copies
// the package.json fields with an object spread and so re-parses the package's whole "exports" map
// each time. drizzle-orm's package.json is 179 KB and a process loads ~110 of its files: ~1 s of CPU
// and ~40 MiB of short-lived garbage at start (Node 20 cached the parsed map). Its files import each
// other only by relative ".js" paths and the package is "type": "module", so those specifiers are
// resolved here directly, with their format, and Node's lookup is skipped. Anything else goes the
// normal way.
//
// It also turns on Node's on-disk compile cache (module.enableCompileCache: NODE_COMPILE_CACHE, else
// <os tmpdir>/node-compile-cache), which keeps V8's compiled code and the type-stripped TypeScript of
// every module between runs: a `pnpm telepay` command took ~1.3 s of CPU without it and ~0.8 s with
// it (Node 24, 2-core machine). Entries are keyed by the file's content, so an edited file is
// compiled afresh; a cache folder that cannot be written only costs the saving.
"use strict";

const { existsSync } = require("node:fs");
const { enableCompileCache, registerHooks } = require("node:module");
const { dirname, join } = require("node:path");
const { fileURLToPath } = require("node:url");

enableCompileCache?.();

/** Packages with a huge "exports" map whose ESM files are all .js under "type": "module". */
const ESM_PACKAGES = ["/node_modules/drizzle-orm/"];

/**
 * Bare specifiers ("drizzle-orm", "hono/utils/…") resolved once per resolution scope: the nearest
 * folder holding node_modules or package.json, which decides everything Node's lookup reads. A
 * process resolved "drizzle-orm" from our packages ~90 times at ~3.7 ms each (its exports map
 * parsed every time): ~0.35 s of a 2 s standalone start.
 */
const bareResolved = new Map();
/** Folder → its resolution scope. */
const scopes = new Map();

function resolutionScope(dir) {
  const walked = [];
  let scope;
  for (let d = dir; ; ) {
    const known = scopes.get(d);
    if (known !== undefined) {
      scope = known;
      break;
    }
    walked.push(d);
    if (existsSync(join(d, "node_modules")) || existsSync(join(d, "package.json"))) {
      scope = d;
      break;
    }
    const up = dirname(d);
    if (up === d) {
      scope = d;
      break;
    }
    d = up;
  }
  for (const d of walked) scopes.set(d, scope);
  return scope;
}

function isBare(specifier) {
  return !/^(\.{1,2}\/|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

// Absent before Node 22.15: .ci/run-tests.ts preloads this file into every node a test run starts,
// including the old Node that the setup-node tests run on purpose; there it does nothing.
registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (parent && specifier.endsWith(".js") && (specifier.startsWith("./") || specifier.startsWith("../"))) {
      const root = ESM_PACKAGES.find((p) => parent.includes(p));
      if (root) {
        const url = new URL(specifier, parent).href;
        // Only within the same package folder: the parent's path up to and including the root.
        if (url.startsWith(parent.slice(0, parent.indexOf(root) + root.length))) {
          return { url, format: "module", shortCircuit: true };
        }
      }
    }
    if (parent?.startsWith("file:") && isBare(specifier)) {
      const key = `${resolutionScope(dirname(fileURLToPath(parent)))}\0${specifier}\0${context.conditions?.join(",")}`;
      const known = bareResolved.get(key);
      if (known) return known;
      const resolved = nextResolve(specifier, context);
      bareResolved.set(key, { ...resolved, shortCircuit: true });
      return resolved;
    }
    return nextResolve(specifier, context);
  },
});
