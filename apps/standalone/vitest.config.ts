import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

// The e2e tests start real processes (PGlite boot, three services) and walk through minutes of
// user-visible behaviour; each step has its own timeout inside the walkthrough.
export default defineConfig({
  test: {
    ...sharedTest,
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
