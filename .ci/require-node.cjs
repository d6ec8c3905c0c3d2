// Node version preflight. Loaded with `node -r ./.ci/require-node.cjs <entry>.ts` before any .ts
// file, because a Node without type stripping dies on the entry with ERR_UNKNOWN_FILE_EXTENSION
// instead of saying what is wrong. Also run as a script by .ci/setup-node.sh (exit 1 = too old).
// The minimum is package.json's engines.node, the one place it is written down. CommonJS without
// newer syntax, so that it runs on whatever old Node is first on PATH.
"use strict";

const engines = require("../package.json").engines.node;
const minimum = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines);
if (!minimum) throw new Error(`package.json engines.node must read >=MAJOR.MINOR, got ${engines}`);
const need = [Number(minimum[1]), Number(minimum[2] || 0)];
const have = process.versions.node.split(".").map(Number);

if (have[0] < need[0] || (have[0] === need[0] && have[1] < need[1])) {
  process.stderr.write(
    `telepay: this is Node ${process.versions.node} and TelePay needs Node ${need.join(".")} or newer ` +
      "(it runs its TypeScript directly): run `./telepay start` instead, which fetches a suitable Node " +
      "by itself, or `source .ci/setup-node.sh` in this shell first.\n",
  );
  process.exit(1);
}
