import type { PGlite, PGliteOptions } from "@electric-sql/pglite";

/**
 * Postgres settings of every PGlite TelePay opens, on top of PGlite's own start parameters.
 * shared_buffers: PGlite's Postgres keeps the default 128 MB buffer cache inside its WebAssembly
 * memory, and zero-fills all of it at start (~110 MiB of RSS and ~1 s before the first query);
 * TelePay's working set is a few MB, and a page that is not cached is read from the data folder
 * through the OS page cache. A cache size, not a durability setting: every commit is written as before.
 */
export const EMBEDDED_SETTINGS: readonly string[] = ["shared_buffers=16MB"];

/** PGlite.create options applying {@link EMBEDDED_SETTINGS}. */
export function pgliteOptions(pglite: typeof PGlite): PGliteOptions {
  return { startParams: [...pglite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ["-c", s])] };
}
