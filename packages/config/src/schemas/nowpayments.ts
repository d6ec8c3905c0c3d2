import { cidrList, flag, httpUrl, secret } from "../fields.ts";

export const NOWPAYMENTS_PRODUCTION_BASE = "https://api.nowpayments.io/v1";
export const NOWPAYMENTS_SANDBOX_BASE = "https://api-sandbox.nowpayments.io/v1";

/** NOWPayments credentials and endpoints; read the base with `nowPaymentsApiBase(config)`. */
export const nowPaymentsEnv = {
  NOWPAYMENTS_API_KEY: secret(),
  NOWPAYMENTS_IPN_SECRET: secret(),
  /** Unset = production, or the sandbox when NOWPAYMENTS_SANDBOX=true. An explicit value wins (emulator). */
  NOWPAYMENTS_API_BASE: httpUrl().optional(),
  NOWPAYMENTS_SANDBOX: flag(false),
  /** Empty = any source (loadConfig warns); NOWPayments publishes its IPN addresses on request. */
  NOWPAYMENTS_IPN_ALLOWED_IPS: cidrList(""),
};

/** The API base URL the client should call. */
export function nowPaymentsApiBase(config: {
  NOWPAYMENTS_API_BASE?: string | undefined;
  NOWPAYMENTS_SANDBOX: boolean;
}): string {
  if (config.NOWPAYMENTS_API_BASE) return config.NOWPAYMENTS_API_BASE;
  return config.NOWPAYMENTS_SANDBOX ? NOWPAYMENTS_SANDBOX_BASE : NOWPAYMENTS_PRODUCTION_BASE;
}
