import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test opens a fresh migrated database (PGlite or Postgres) and a Bot API emulator.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
