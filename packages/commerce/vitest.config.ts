import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // A fresh PGlite plus migrations takes seconds on a busy 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Files share the Postgres server; one at a time keeps the machine usable for everyone.
    fileParallelism: false,
  },
});
