import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteMigrationsKey } from "./embedded-seed.ts";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "telepay-seed-key-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A PGlite install at a fixed place, as the packaged apps' flat (hoisted) node_modules has it. */
async function installPglite(version: string): Promise<string> {
  const pkg = join(work, "node_modules", "@electric-sql", "pglite");
  await mkdir(join(pkg, "dist"), { recursive: true });
  await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "@electric-sql/pglite", version }));
  await writeFile(join(pkg, "dist", "index.js"), "export {};\n");
  return pathToFileURL(join(pkg, "dist", "index.js")).href;
}

describe("the seed key", () => {
  it("changes with PGlite's version where its path does not (packaged apps: node_modules/@electric-sql/pglite)", async () => {
    const before = pgliteMigrationsKey(await installPglite("0.5.14"));
    const after = pgliteMigrationsKey(await installPglite("0.6.0"));
    expect(after).not.toBe(before);
    expect(pgliteMigrationsKey(await installPglite("0.6.0"))).toBe(after);
  });

  it("is the same for the PGlite in use, call after call", () => {
    expect(pgliteMigrationsKey()).toBe(pgliteMigrationsKey());
    expect(pgliteMigrationsKey()).toMatch(/^[0-9a-f]{20}$/);
  });
});
