import { defineConfig } from "vitest/config";
import { sharedTest } from "../../vitest.shared.ts";

// The tests spawn the real CLI (about a second of start-up each on a busy machine).
export default defineConfig({ test: { ...sharedTest, testTimeout: 60_000, hookTimeout: 60_000 } });
