import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    // Each test opens a fresh migrated database (PGlite or Postgres) and a Bot API emulator: the first
    // one in a file also pays for loading everything, which takes tens of seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
