// Sums the vitest JSON reports of every package into "<N> passed, <N> failed" for .ci/run.
// A package with a `test` script but no report (vitest crashed before reporting) counts as one
// failure, so a broken package can never look like a green run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { OWN_JOB_FILES, reportFileName } from "./test-split.ts";

const [reportName, ...roots] = process.argv.slice(2);
if (!reportName || roots.length === 0) {
  console.error("usage: test-summary.ts <report file name> <folder>...");
  process.exit(2);
}

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  /** Set by .ci/run-tests.ts when the job's process failed (recordJobExit). */
  jobFailed?: boolean;
  testResults: { status: string; assertionResults: { status: string }[] }[];
}

let passed = 0;
let failed = 0;
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
      name?: string;
      scripts?: Record<string, string>;
    };
    if (!pkg.scripts?.test) continue;
    // One report per job: the package's, and one per file that ran as a job of its own.
    let passedHere = 0;
    let failedHere = 0;
    for (const file of [undefined, ...(OWN_JOB_FILES[pkg.name ?? ""] ?? [])]) {
      const reportFile = join(dir, reportFileName(reportName, file));
      const job = `${pkg.name ?? dir}${file ? ` ${file}` : ""}`;
      if (!existsSync(reportFile)) {
        console.error(`test-summary: ${job} wrote no report (its test run did not finish)`);
        failedHere += 1;
        continue;
      }
      const report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestJsonReport;
      // A file that fails to load (or fails in a hook) has no failed *tests*: count the file itself.
      const brokenFiles = report.testResults.filter(
        (f) => f.status === "failed" && !f.assertionResults.some((t) => t.status === "failed"),
      ).length;
      // A job that ran no file at all (a renamed file, a filter matching nothing) is a failure too.
      const ranNothing = report.testResults.length === 0 ? 1 : 0;
      if (ranNothing) console.error(`test-summary: ${job} ran no test file`);
      // Its process failed with nothing failed in the report (an error outside any test): one more.
      const counted = report.numFailedTests + brokenFiles + ranNothing;
      const failedOutside = report.jobFailed && counted === 0 ? 1 : 0;
      if (failedOutside) console.error(`test-summary: ${job} failed outside its tests (see its output)`);
      passedHere += report.numPassedTests;
      failedHere += counted + failedOutside;
    }
    passed += passedHere;
    failed += failedHere;
    console.error(`test-summary: ${pkg.name}: ${passedHere} passed, ${failedHere} failed`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
