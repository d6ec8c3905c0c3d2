// The slice of the Deno namespace that @grammyjs/i18n's npm build uses (file reads for its
// locales), on node:fs. Packaging aliases @deno/shim-deno to this file: the real shim reads
// require.main at load time, which an ESM bundle with top-level await refuses
// (ERR_AMBIGUOUS_MODULE_SYNTAX), and it is ~4,000 lines for these dozen calls.
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { platform } from "node:os";

const info = (s) => ({
  isFile: s.isFile(),
  isDirectory: s.isDirectory(),
  isSymlink: s.isSymbolicLink(),
  size: s.size,
  mtime: s.mtime,
  atime: s.atime,
  birthtime: s.birthtime,
});
const entry = (d) => ({
  name: d.name,
  isFile: d.isFile(),
  isDirectory: d.isDirectory(),
  isSymlink: d.isSymbolicLink(),
});
const os = platform() === "win32" ? "windows" : platform();

export const Deno = {
  build: { os },
  cwd: () => process.cwd(),
  readFile: async (p) => new Uint8Array(await fsp.readFile(p)),
  readFileSync: (p) => new Uint8Array(fs.readFileSync(p)),
  readTextFile: (p) => fsp.readFile(p, "utf8"),
  readTextFileSync: (p) => fs.readFileSync(p, "utf8"),
  stat: async (p) => info(await fsp.stat(p)),
  statSync: (p) => info(fs.statSync(p)),
  lstat: async (p) => info(await fsp.lstat(p)),
  lstatSync: (p) => info(fs.lstatSync(p)),
  realPath: (p) => fsp.realpath(p),
  realPathSync: (p) => fs.realpathSync(p),
  readDir: async function* (p) {
    for (const d of await fsp.readdir(p, { withFileTypes: true })) yield entry(d);
  },
  readDirSync: (p) => fs.readdirSync(p, { withFileTypes: true }).map(entry),
};
