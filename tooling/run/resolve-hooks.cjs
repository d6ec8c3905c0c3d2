// Preloaded with `node -r ./tooling/run/resolve-hooks.cjs` (after .ci/require-node.cjs checked the
// version) by the commands that run TelePay from source: `pnpm start`, `pnpm telepay`, `./telepay`.
// Packaged apps do not need it: their npm code is bundled (tooling/package/package.ts).
//
// Node 24 determines the module format of every ESM file through getPackageScopeConfig, which copies
// the package.json fields with an object spread and so re-parses the package's whole "exports" map
// each time. drizzle-orm's package.json is 179 KB and a process loads ~110 of its files: ~1 s of CPU
// and ~40 MiB of short-lived garbage at start (Node 20 cached the parsed map). Its files import each
// other only by relative ".js" paths and the package is "type": "module", so those specifiers are
// resolved here directly, with their format, and Node's lookup is skipped. Anything else goes the
// normal way.
"use strict";

const { registerHooks } = require("node:module");

/** Packages with a huge "exports" map whose ESM files are all .js under "type": "module". */
const ESM_PACKAGES = ["/node_modules/drizzle-orm/"];

registerHooks({
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
    return nextResolve(specifier, context);
  },
});
