export {
  createStandalone,
  type Standalone,
  type StandaloneConfig,
} from "./compose.ts";
export { loadStandaloneEnv, type StandaloneEnv, standaloneEnvSchema } from "./env.ts";
export { localSigningSecret } from "./signing-secret.ts";
