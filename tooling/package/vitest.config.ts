import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

// Packaging installs dependencies and starts real processes: generous timeouts, one file at a time.
export default defineConfig({
  test: { ...sharedTest, testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
});
