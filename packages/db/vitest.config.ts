import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

export default defineConfig({
  test: {
    ...sharedTest,
    // PGlite boots a WASM Postgres and replays the migration per test file; on a busy 2-core
    // machine that alone can take several seconds, so the defaults (5 s / 10 s) are too tight.
    // A fresh PGlite (initdb + migrations) takes ~5 s alone and over 30 s on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
