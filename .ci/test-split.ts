// Test files that run as a CI job of their own, beside the rest of their package (.ci/run-tests.ts),
// and how their vitest reports are named (.ci/test-summary.ts adds them up).
//
// The machine has two cores and a package runs its files one after another: the run used to end
// waiting for the standalone package's three long end-to-end walkthroughs in a row while the other
// jobs had finished. A file listed here starts as its own job, early; its package's job runs the rest.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

/** Package name → test files (relative to the package) that each get a job. Longest first. */
export const OWN_JOB_FILES: Readonly<Record<string, readonly string[]>> = {
  "@telepay/standalone": [
    "test/multi-process.e2e.test.ts",
    "test/demo.e2e.test.ts",
    "test/embedded-data.e2e.test.ts",
    "test/quick-start.test.ts",
  ],
  "@telepay/fault-tests": ["test/notifier-crash.test.ts", "test/telegram-outage.test.ts"],
};

/**
 * Marks the report of a job whose process failed (.ci/run-tests.ts). Vitest exits 1 for an error
 * outside any test (an unhandled rejection after a test passed, a worker that died) yet writes a
 * report with every test passed and `success: true`; test-summary.ts then counts the job as one
 * failure. No report: nothing to mark (test-summary.ts counts a missing report already).
 */
export function recordJobExit(reportFile: string, ok: boolean): void {
  if (ok || !existsSync(reportFile)) return;
  try {
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as Record<string, unknown>;
    writeFileSync(reportFile, JSON.stringify({ ...report, jobFailed: true }));
  } catch {
    rmSync(reportFile, { force: true }); // unreadable: counted as missing
  }
}

/**
 * The report file of one job: `<name>` for a package's own job, `<name without .json>.<file's
 * base name>.json` for a file's job (".vitest-report.json" → ".vitest-report.demo.e2e.test.json").
 */
export function reportFileName(reportName: string, file?: string): string {
  if (!file) return reportName;
  const base = file.split("/").at(-1)!.replace(/\.ts$/, "");
  return `${reportName.replace(/\.json$/, "")}.${base}.json`;
}

/**
 * Seconds each job took in `.ci/run` on the 2-core machine (2026-12-02, three jobs at a time).
 * Jobs start longest first, so the run ends on short ones; a job not listed starts after these.
 * Order only: a stale figure costs time, never a test.
 */
export const JOB_SECONDS: Readonly<Record<string, number>> = {
  "@telepay/standalone (the rest)": 138,
  "@telepay/cli": 137,
  "@telepay/fault-tests (the rest)": 131,
  "@telepay/standalone test/demo.e2e.test.ts": 129,
  "@telepay/standalone test/multi-process.e2e.test.ts": 118,
  "@telepay/db": 80,
  "@telepay/notifier": 79,
  "@telepay/fault-tests test/notifier-crash.test.ts": 71,
  "@telepay/standalone test/embedded-data.e2e.test.ts": 59,
  "@telepay/deploy-tooling": 59,
  "@telepay/bot-gateway": 57,
  "@telepay/fault-tests test/telegram-outage.test.ts": 53,
  "@telepay/standalone test/quick-start.test.ts": 34,
  "@telepay/events": 33,
  "@telepay/commerce": 32,
  "@telepay/testing": 30,
  "@telepay/webhook-ingress": 28,
  "@telepay/telegram": 22,
  "@telepay/security": 6,
  "@telepay/payments": 5,
  "@telepay/config": 5,
};
