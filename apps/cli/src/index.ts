export { type CliIo, runCli } from "./cli.ts";
export { type CliEnv, cliEnvSchema, loadCliEnv } from "./env.ts";
