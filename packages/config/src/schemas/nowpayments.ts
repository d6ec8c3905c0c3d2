import { cidrList, flag, httpUrl, percent, secret } from "../fields.ts";

export const NOWPAYMENTS_PRODUCTION_BASE = "https://api.nowpayments.io/v1";
export const NOWPAYMENTS_SANDBOX_BASE = "https://api-sandbox.nowpayments.io/v1";

/**
 * How far actually_paid may fall below pay_amount on a `finished` IPN before the order goes to
 * review instead of being granted. 1 % absorbs the network fee an exchange or wallet deducts from
 * a withdrawal (and rate rounding), while a real shortfall still waits for a person. NOWPayments
 * itself reports an underpayment as `partially_paid` unless the store's "Payment cover" setting
 * covers the missing percentage, in which case it sends `finished`: set this at least as high.
 */
export const DEFAULT_UNDERPAID_TOLERANCE_PERCENT = "1";

/** NOWPayments credentials and endpoints; read the base with `nowPaymentsApiBase(config)`. */
export const nowPaymentsEnv = {
  NOWPAYMENTS_API_KEY: secret(),
  NOWPAYMENTS_IPN_SECRET: secret(),
  /** Unset = production, or the sandbox when NOWPAYMENTS_SANDBOX=true. An explicit value wins (emulator). */
  NOWPAYMENTS_API_BASE: httpUrl().optional(),
  NOWPAYMENTS_SANDBOX: flag(false),
  /** Empty = any source (loadConfig warns); NOWPayments publishes its IPN addresses on request. */
  NOWPAYMENTS_IPN_ALLOWED_IPS: cidrList(""),
  /** Percent of pay_amount a `finished` payment may fall short by and still be granted (0–50). */
  PAYMENT_UNDERPAID_TOLERANCE_PERCENT: percent(DEFAULT_UNDERPAID_TOLERANCE_PERCENT, 0, 50),
};

/** The API base URL the client should call. */
export function nowPaymentsApiBase(config: {
  NOWPAYMENTS_API_BASE?: string | undefined;
  NOWPAYMENTS_SANDBOX: boolean;
}): string {
  if (config.NOWPAYMENTS_API_BASE) return config.NOWPAYMENTS_API_BASE;
  return config.NOWPAYMENTS_SANDBOX ? NOWPAYMENTS_SANDBOX_BASE : NOWPAYMENTS_PRODUCTION_BASE;
}
