import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    // Each file starts its own servers, child processes or emulator; running them one at a time keeps
    // the 2-core machine from turning timing-dependent outages into flakes.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
