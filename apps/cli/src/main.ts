#!/usr/bin/env node
// `pnpm telepay <command>`: everything lives in cli.ts so tests and other tools can call runCli.
import { runCli } from "./cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
