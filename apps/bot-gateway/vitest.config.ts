import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    // One database per test file (PGlite boots WASM and replays the migration: seconds on a
    // busy 2-core machine); each test gets fresh emulators and its own channel and user ids.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
