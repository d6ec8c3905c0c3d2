import { BODY_LIMITS } from "@telepay/security";

/** What webhook-ingress needs to know, built by src/env.ts (or by standalone / tests directly). */
export interface IngressConfig {
  /** NOWPAYMENTS_IPN_SECRET: the HMAC-SHA512 key of `x-nowpayments-sig`. */
  ipnSecret: string;
  /** NOWPAYMENTS_IPN_ALLOWED_IPS as CIDRs; empty = any address (warned at start-up). */
  allowedIps: string[];
  /** Reverse proxies in front of the service that append to X-Forwarded-For (0 = use the socket). */
  trustedProxyHops: number;
  /** RATE_LIMIT_PER_MINUTE / RATE_LIMIT_BURST, charged to failing requests only. */
  rateLimit: { perMinute: number; burst: number };
  /**
   * PAYMENT_UNDERPAID_TOLERANCE_PERCENT as a decimal string (0–50): how far actually_paid may fall
   * below pay_amount on a `finished` IPN and still be granted; default
   * DEFAULT_UNDERPAID_TOLERANCE_PERCENT (1).
   */
  underpaidTolerancePercent?: string;
  /** Largest IPN body accepted; default 64 KiB. */
  bodyLimitBytes?: number;
  /**
   * Answer 503 if recording an IPN takes longer than this (default 2 500 ms), so NOWPayments, which
   * gives up after 3 s, retries instead of counting a timeout. The work is idempotent, so a retry of
   * an IPN whose transaction did commit late is recognised as a duplicate.
   */
  processingTimeoutMs?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = BODY_LIMITS.ipn;
export const DEFAULT_PROCESSING_TIMEOUT_MS = 2_500;
