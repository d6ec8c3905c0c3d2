export {
  createStandalone,
  type Standalone,
  type StandaloneConfig,
  type StandaloneLogger,
} from "./compose.ts";
export { loadStandaloneEnv, type StandaloneEnv, standaloneEnvSchema } from "./env.ts";
export { localSigningSecret } from "./signing-secret.ts";
