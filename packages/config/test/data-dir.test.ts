import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { databaseEnv, loadConfig, resolveDataDir } from "../src/index.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "telepay-data-dir-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("resolveDataDir", () => {
  it("puts a relative DATA_DIR at the repository root, whatever the working directory", () => {
    // pnpm start runs in apps/standalone, pnpm telepay at the root, an operator anywhere.
    for (const cwd of [REPO, join(REPO, "apps", "standalone"), join(REPO, "apps", "cli"), scratch]) {
      expect(resolveDataDir("./.data", { cwd })).toBe(join(REPO, ".data"));
      expect(resolveDataDir("var/data", { cwd })).toBe(join(REPO, "var", "data"));
    }
  });

  it("finds the root of the checkout the code runs from", async () => {
    const checkout = join(scratch, "checkout");
    await mkdir(join(checkout, "packages", "config", "src"), { recursive: true });
    await writeFile(join(checkout, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    const codeDir = join(checkout, "packages", "config", "src");
    expect(resolveDataDir(".data", { cwd: "/somewhere/else", codeDir })).toBe(join(checkout, ".data"));
  });

  it("outside a checkout (a packaged app) resolves against the working directory", async () => {
    const bundle = join(scratch, "image", "dist");
    await mkdir(bundle, { recursive: true });
    expect(resolveDataDir("./.data", { cwd: "/srv/telepay", codeDir: bundle })).toBe("/srv/telepay/.data");
  });

  it("leaves absolute folders and memory:// as they are", () => {
    expect(resolveDataDir("/var/lib/telepay", { cwd: scratch })).toBe("/var/lib/telepay");
    expect(resolveDataDir("memory://", { cwd: scratch })).toBe("memory://");
  });

  it("is what loadConfig gives every app for DATA_DIR, default included", async () => {
    const schema = z.object({ ...databaseEnv });
    const fromRoot = await loadConfig(schema, {}, { cwd: REPO });
    const fromApp = await loadConfig(schema, {}, { cwd: join(REPO, "apps", "standalone") });
    expect(fromRoot.config.DATA_DIR).toBe(join(REPO, ".data"));
    expect(fromApp.config.DATA_DIR).toBe(join(REPO, ".data"));
    const explicit = await loadConfig(schema, { DATA_DIR: "state" }, { cwd: scratch });
    expect(explicit.config.DATA_DIR).toBe(join(REPO, "state"));
  });
});
