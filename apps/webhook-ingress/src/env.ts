import {
  checkDatabaseTarget,
  databaseEnv,
  httpEnv,
  loadConfig,
  loggingEnv,
  nowPaymentsEnv,
  pubsubEnv,
  securityEnv,
  withRules,
} from "@telepay/config";
import { z } from "zod";
import type { IngressConfig } from "./ingress-config.ts";

/**
 * What webhook-ingress reads from the environment (docs/architecture.md#environment), composed from the
 * shared per-concern shapes. It does not need the NOWPayments API key or PUBLIC_BASE_URL: it never
 * calls NOWPayments, it only receives.
 */
export const ingressEnvSchema = withRules(
  z.object({
    ...databaseEnv,
    ...loggingEnv,
    ...pubsubEnv,
    PORT: httpEnv.PORT,
    NOWPAYMENTS_IPN_SECRET: nowPaymentsEnv.NOWPAYMENTS_IPN_SECRET,
    NOWPAYMENTS_IPN_ALLOWED_IPS: nowPaymentsEnv.NOWPAYMENTS_IPN_ALLOWED_IPS,
    PAYMENT_UNDERPAID_TOLERANCE_PERCENT: nowPaymentsEnv.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
    RATE_LIMIT_PER_MINUTE: securityEnv.RATE_LIMIT_PER_MINUTE,
    RATE_LIMIT_BURST: securityEnv.RATE_LIMIT_BURST,
    TRUSTED_PROXY_HOPS: securityEnv.TRUSTED_PROXY_HOPS,
  }),
  checkDatabaseTarget,
);

export type IngressEnv = z.output<typeof ingressEnvSchema>;

/** Validates the environment (NOWPAYMENTS_IPN_SECRET_SECRET → Secret Manager included). */
export function loadIngressEnv(env: Record<string, string | undefined>) {
  return loadConfig(ingressEnvSchema, env);
}

/** The part of the env createApp needs. */
export function toIngressConfig(env: IngressEnv): IngressConfig {
  return {
    ipnSecret: env.NOWPAYMENTS_IPN_SECRET,
    allowedIps: env.NOWPAYMENTS_IPN_ALLOWED_IPS,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    underpaidTolerancePercent: env.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
  };
}
