export { isIpOrCidr } from "./cidr.ts";
export { ConfigError, type ConfigProblem, exitOnConfigError, formatConfigError } from "./config-error.ts";
export { MEMORY_DATA_DIR, type ResolveDataDirOptions, resolveDataDir } from "./data-dir.ts";
export { type DatabaseEnvValues, toDbConfig } from "./db-config.ts";
export {
  broadcastsPerDay,
  cidrList,
  flag,
  httpUrl,
  integer,
  percent,
  postgresUrl,
  reminderDays,
  secret,
  text,
} from "./fields.ts";
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./load-config.ts";
export {
  type CreateLoggerOptions,
  cloudTraceFields,
  createLogger,
  type Logger,
  REDACTED_KEYS,
} from "./logger.ts";
export { type EnvRule, withRules } from "./rules.ts";
export * from "./schemas/index.ts";
export { isSecretVersionName, SECRET_SUFFIX, SECRET_VARIABLES, type SecretManagerClient } from "./secrets.ts";
export type { AppHandle, ComponentState, HealthReport } from "./service.ts";
export { type Shutdown, type StopOnSignalsOptions, stopOnSignals } from "./shutdown.ts";
