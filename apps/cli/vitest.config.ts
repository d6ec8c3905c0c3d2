import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

// Most tests run the CLI in-process (runCli); a few spawn the real CLI (about a second of start-up
// each on a busy machine), and some start PGlite or a serving process.
export default defineConfig({ test: { ...sharedTest, testTimeout: 60_000, hookTimeout: 60_000 } });
