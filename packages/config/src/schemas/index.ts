export { checkDatabaseTarget, databaseEnv } from "./database.ts";
export { httpEnv } from "./http.ts";
export { LOG_LEVELS, type LogLevel, loggingEnv, NODE_ENVS } from "./logging.ts";
export {
  DEFAULT_UNDERPAID_TOLERANCE_PERCENT,
  NOWPAYMENTS_PRODUCTION_BASE,
  NOWPAYMENTS_SANDBOX_BASE,
  nowPaymentsApiBase,
  nowPaymentsEnv,
} from "./nowpayments.ts";
export { pubsubEnv } from "./pubsub.ts";
export {
  DEFAULT_DIRECT_PAY_CURRENCIES,
  nowPaymentsLoginOf,
  reconcileEnv,
  reconcileSettingsOf,
  requireLoginPair,
  SETTLEMENT_MODES,
  type SettlementMode,
  settlementEnv,
} from "./reconcile.ts";
export { SIGNING_SECRET_MIN_LENGTH, securityEnv } from "./security.ts";
export {
  requireWebhookSecret,
  TELEGRAM_MODES,
  type TelegramMode,
  telegramEnv,
  telegramMode,
} from "./telegram.ts";
