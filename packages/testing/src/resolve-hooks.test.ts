import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceNodeFlags } from "./source-node.ts";

// tooling/run/resolve-hooks.cjs answers some of Node's module lookups itself (for speed); whatever
// it answers must be what Node would have answered. Each case is run with and without it.

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const pkg = (name: string, value: string) => {
  write(
    `${name}/package.json`,
    JSON.stringify({
      name: name.split("node_modules/").at(-1),
      type: "module",
      exports: { ".": "./a.js", "./sub": "./sub.js" },
    }),
  );
  write(`${name}/a.js`, `export default ${JSON.stringify(value)};`);
  write(`${name}/sub.js`, `export default ${JSON.stringify(`${value}/sub`)};`);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "telepay-resolve-"));
  write("app/package.json", JSON.stringify({ name: "app", type: "module" }));
  pkg("app/node_modules/dep", "outer");
  // A nearer copy of the same package: files below it must get it, files beside it must not.
  pkg("app/src/inner/node_modules/dep", "inner");
  write("app/src/x.js", `import d from "dep"; import s from "dep/sub"; export default [d, s];`);
  write("app/src/deeper/y.js", `import d from "dep"; export default d;`);
  write("app/src/inner/z.js", `import d from "dep"; export default d;`);
  write("app/src/inner/more/w.js", `import d from "dep"; export default d;`);
  write(
    "app/main.js",
    [
      `import x from "./src/x.js";`,
      `import y from "./src/deeper/y.js";`,
      `import z from "./src/inner/z.js";`,
      `import w from "./src/inner/more/w.js";`,
      `const again = (await import("./src/inner/z.js")).default;`,
      `console.log(JSON.stringify({ x, y, z, w, again }));`,
    ].join("\n"),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// NODE_OPTIONS emptied: a test job preloads the hook into every node through it (.ci/run-tests.ts).
const run = (flags: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, [...flags, join(root, "app/main.js")], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    }),
  );

describe("the resolve hook preloaded by pnpm start, pnpm telepay and every test process", () => {
  it("resolves bare specifiers as Node does, nearest node_modules first, also after caching one", () => {
    const expected = { x: ["outer", "outer/sub"], y: "outer", z: "inner", w: "inner", again: "inner" };
    expect(run(["--no-warnings"])).toEqual(expected);
    expect(run(sourceNodeFlags("telepay"))).toEqual(expected);
  });
});
