import type { ViteUserConfig } from "vitest/config";

/**
 * Settings every package's vitest config starts from.
 *
 * isolate: false — a package's test files share their worker's module cache instead of each
 * getting a fresh worker that loads the package's whole module graph again: bot-gateway's 21 files
 * took 59 s of CPU that way and 17 s this way, on the 2-core CI machine. It is sound because test
 * files keep no global state: each makes its own database (createTestDatabase), emulators, servers
 * on free ports and Pub/Sub topics, and none mocks modules or stubs globals.
 */
export const sharedTest = {
  isolate: false,
} satisfies NonNullable<ViteUserConfig["test"]>;
