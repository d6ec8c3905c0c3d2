// Preload for package.test.ts (`node --import <this file> dist/main.js`): records every module file
// the process loads, by import or require, and writes the list (one URL a line) to the file named by
// TELEPAY_LOADED_MODULES when the process exits.
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on("exit", () => {
  if (process.env.TELEPAY_LOADED_MODULES)
    writeFileSync(process.env.TELEPAY_LOADED_MODULES, [...loaded].join("\n"));
});
