import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordJobExit } from "../../../.ci/test-split.ts";

// .ci/test-summary.ts adds up the vitest JSON reports .ci/run-tests.ts has each job write; the
// counts it prints must never look green for a job that failed.

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const VITEST = join(ROOT, "node_modules", ".bin", "vitest");
const REPORT = ".vitest-report.json";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "telepay-summary-"));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function summary(): string {
  return execFileSync(process.execPath, ["--no-warnings", join(ROOT, ".ci/test-summary.ts"), REPORT, root], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

describe("test-summary", () => {
  it("counts a job that exited non-zero after all its tests passed (an unhandled error) as a failure", () => {
    const dir = join(root, "unhandled");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "unhandled", scripts: { test: "vitest run" } }),
    );
    writeFileSync(
      join(dir, "a.test.js"),
      `import { expect, it } from "vitest";
it("passes, then something it started fails", async () => {
  setTimeout(() => { Promise.reject(new Error("after the test")); }, 1);
  await new Promise((r) => setTimeout(r, 50));
  expect(1).toBe(1);
});
`,
    );
    const run = spawnSync(VITEST, ["run", "--root", dir, "--reporter=json", `--outputFile.json=${REPORT}`], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    expect(run.status).toBe(1); // vitest fails the run, yet its report has no failed test
    recordJobExit(join(dir, REPORT), run.status === 0);
    expect(summary()).toBe("1 passed, 1 failed");
  });
});
