import { defineConfig } from "vitest/config";

// The tests spawn the real CLI (about a second of start-up each on a busy machine).
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
