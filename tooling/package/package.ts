#!/usr/bin/env node
/**
 * `pnpm package:<app>` → out/<app>: the self-contained folder the container image holds
 * (infra/Dockerfile copies exactly this), runnable with `node dist/main.js`.
 *
 * 1. `pnpm deploy --prod` (node-linker=hoisted) installs the app's production dependencies from the
 *    workspace lockfile into out/<app>/node_modules — the same versions CI tested, flat, no dev deps.
 * 2. esbuild bundles src/main.ts with every @telepay/* workspace package and the pure-JS npm packages
 *    into dist/main.js, split at each dynamic import() into dist/chunks/ so what a process does not
 *    use is never loaded. Node refuses to strip TypeScript types under node_modules, so workspace
 *    packages cannot run from there as .ts. Bundling the npm packages saves Node's per-file module
 *    resolution: on Node 24 every ESM file loaded from a package re-parses that package's
 *    package.json `exports` (drizzle-orm's is 179 KB, ~110 files: ~1 s of CPU and ~40 MiB of garbage
 *    at start). KEPT_EXTERNAL packages stay in node_modules (see there).
 * 3. The SQL migrations and the message catalogs are copied to ../drizzle and ../locales of the
 *    output that holds the code reading them (packages/db migrate.ts, packages/telegram i18n.ts).
 * 4. The copied sources and node_modules/@telepay are removed, package.json is rewritten, and every
 *    external import of the bundle is resolved from the folder: a missing dependency fails here,
 *    not at start-up in production.
 */
import { execFileSync } from "node:child_process";
import { cp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

export const APPS = ["bot-gateway", "webhook-ingress", "notifier", "standalone", "cli"] as const;
export type App = (typeof APPS)[number];

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * npm packages loaded from node_modules at run time rather than bundled: they read files relative to
 * their own package folder (PGlite's wasm/data, Google's proto JSON) and are big; the code imports
 * each of them with a dynamic import() where it is first needed, so a process that is not configured
 * to use one never loads it (tested in package.test.ts).
 */
export const KEPT_EXTERNAL: readonly RegExp[] = [
  /^@google-cloud\//,
  /^google-auth-library$/,
  /^@electric-sql\/pglite(-socket)?$/,
];

/**
 * V8 flags the image runs with (infra/Dockerfile ENTRYPOINT; package.json `start`), sized for a
 * 512 MiB Cloud Run instance. Node 24 sizes the young generation from the heap limit (up to 2 × 64 MiB
 * semi-spaces on a big machine), and start-up garbage fills it: a small semi-space keeps idle RSS
 * low at the cost of more (cheap) scavenges. 2 MiB measured 4–8 MiB less at idle than 4 MiB and no
 * difference beyond noise in the time of 2,000 IPNs; 64 MiB (the default here) ~40 MiB more. The old-space limit makes V8 collect hard before the
 * instance's memory limit rather than after. Measured in tooling/bench/apps.bench.ts.
 */
export const NODE_FLAGS = ["--max-semi-space-size=2", "--max-old-space-size=320"] as const;

export interface PackageResult {
  app: App;
  outDir: string;
  /** Bytes of dist/main.js and its chunks. */
  bundleBytes: number;
  /** Bytes of the whole folder. */
  totalBytes: number;
  /** npm packages the bundle imports at run time. */
  externals: string[];
  ms: number;
}

/** Bare specifier → package name ("@scope/name/sub" → "@scope/name"). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Bundle workspace code and npm packages; keep KEPT_EXTERNAL (and node: built-ins) as run-time imports. */
function keepExternal(externals: Set<string>): Plugin {
  return {
    name: "keep-external",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        if (!KEPT_EXTERNAL.some((pattern) => pattern.test(packageName(args.path)))) return undefined; // bundled
        externals.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

async function folderBytes(dir: string, include: (name: string) => boolean = () => true): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && include(entry.name)) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Packages one app into `outDir` (default out/<app>). */
export async function packageApp(app: App, outDir = join(ROOT, "out", app)): Promise<PackageResult> {
  const started = Date.now();
  const appDir = join(ROOT, "apps", app);
  await rm(outDir, { recursive: true, force: true });

  // 1. Production dependencies, exactly as locked, in a flat node_modules.
  execFileSync(
    "pnpm",
    ["--filter", `@telepay/${app}`, "deploy", "--prod", "--config.node-linker=hoisted", outDir],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  const deployed = JSON.parse(await readFile(join(outDir, "package.json"), "utf8"));
  for (const name of await readdir(outDir)) {
    if (name !== "node_modules" && name !== "pnpm-lock.yaml")
      await rm(join(outDir, name), { recursive: true });
  }
  await rm(join(outDir, "node_modules", "@telepay"), { recursive: true, force: true });

  // 2. One bundle of the app and the workspace packages it uses.
  const externals = new Set<string>();
  const result = await build({
    entryPoints: { main: join(appDir, "src", "main.ts") },
    outdir: join(outDir, "dist"),
    absWorkingDir: ROOT, // metafile paths are relative to it
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "none",
    // Bundled npm code may compare constructor names (node-fetch checks
    // `signal.constructor.name === "AbortSignal"`); esbuild renames clashing classes without this.
    keepNames: true,
    logLevel: "warning",
    metafile: true,
    plugins: [keepExternal(externals)],
    // @grammyjs/i18n's Deno shim reads require.main at load, which this ESM bundle refuses.
    alias: { "@deno/shim-deno": join(ROOT, "tooling", "package", "deno-shim.mjs") },
    // Bundled ESM code may still call require() for node built-ins pulled in by CJS-style helpers.
    banner: {
      js: "import { createRequire as __telepayCreateRequire } from 'node:module'; const require = __telepayCreateRequire(import.meta.url);",
    },
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${app}`);
  // esbuild's split output gives a dynamic import() of a bundled CommonJS package only a `default`
  // export (named ones are undefined at run time): such a package must be imported statically.
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const cjsEntry =
      output.entryPoint && /node_modules\//.test(output.entryPoint) && output.exports.join() === "default";
    if (cjsEntry && /^export default require_\w+\(\);$/m.test(await readFile(join(ROOT, file), "utf8"))) {
      throw new Error(
        `${app}: ${output.entryPoint} (CommonJS) is imported with a dynamic import(); import it statically, or keep it external (KEPT_EXTERNAL)`,
      );
    }
  }

  // 3. Migrations at ../drizzle from whichever output holds migrate.ts (it resolves them there; with
  //    code splitting that is a chunk in dist/chunks, not dist/main.js).
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (Object.keys(output.inputs).some((input) => input.endsWith("packages/db/src/migrate.ts"))) {
      const target = join(ROOT, dirname(file), "..", "drizzle");
      await cp(join(ROOT, "packages", "db", "drizzle"), target, { recursive: true });
    }
  }
  // The message catalogs (.ftl) at ../locales from whichever output holds i18n.ts (it reads them there).
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (Object.keys(output.inputs).some((input) => input.endsWith("packages/telegram/src/i18n.ts"))) {
      const target = join(ROOT, dirname(file), "..", "locales");
      await cp(join(ROOT, "packages", "telegram", "locales"), target, { recursive: true });
    }
  }

  // 4. package.json of the image: npm dependencies only (workspace ones are inside the bundle).
  // Listed: what the bundle imports, at the versions installed (workspace packages' deps included).
  const externalPackages = [...new Set([...externals].map(packageName))].sort();
  const dependencies: Record<string, string> = {};
  for (const name of externalPackages) {
    try {
      const manifest = JSON.parse(await readFile(join(outDir, "node_modules", name, "package.json"), "utf8"));
      dependencies[name] = manifest.version;
    } catch {
      // Reported as unresolvable below.
    }
  }
  await writeFile(
    join(outDir, "package.json"),
    `${JSON.stringify(
      {
        name: `telepay-${app}`,
        version: deployed.version,
        private: true,
        type: "module",
        main: "dist/main.js",
        engines: { node: ">=24" },
        scripts: { start: `node ${NODE_FLAGS.join(" ")} dist/main.js` },
        dependencies,
      },
      null,
      2,
    )}\n`,
  );

  // Every run-time import must resolve from the packaged folder.
  const require = createRequire(join(outDir, "dist", "main.js"));
  const missing: string[] = [];
  for (const specifier of externals) {
    try {
      import.meta.resolve(specifier, pathToFileURL(join(outDir, "dist", "main.js")).href);
    } catch {
      try {
        require.resolve(specifier);
      } catch {
        missing.push(specifier);
      }
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `${app}: packaged folder cannot resolve ${missing.join(", ")} (add them to the package that imports them)`,
    );
  }

  return {
    app,
    outDir,
    bundleBytes: await folderBytes(join(outDir, "dist"), (name) => name.endsWith(".js")),
    totalBytes: await folderBytes(outDir),
    externals: externalPackages,
    ms: Date.now() - started,
  };
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const requested = process.argv.slice(2);
  const apps = (requested.length > 0 ? requested : ["bot-gateway", "webhook-ingress", "notifier"]) as App[];
  for (const app of apps) {
    if (!APPS.includes(app)) {
      process.stderr.write(`package: unknown app '${app}' (one of ${APPS.join(", ")})\n`);
      process.exit(2);
    }
    const r = await packageApp(app);
    process.stdout.write(
      `${app}: ${r.outDir} — bundle ${mb(r.bundleBytes)}, folder ${mb(r.totalBytes)}, ${r.externals.length} npm packages imported, ${r.ms} ms\n`,
    );
  }
}
