import { cidrList, integer, secret } from "../fields.ts";

/** Minimum length of WEBHOOK_SIGNING_SECRET (the generated one is 64 hex characters). */
export const SIGNING_SECRET_MIN_LENGTH = 16;

/**
 * Internal endpoints: HMAC secret, IP allowlist, rate limits, and how many proxies in front of us
 * append to X-Forwarded-For (0 locally, 1 on Cloud Run) — the client address is read that many
 * entries from the right, never the spoofable leftmost one (docs/legacy-mistakes.md#lm-13).
 */
export const securityEnv = {
  /** loadConfig generates one only when NODE_ENV=development (with a warning). */
  WEBHOOK_SIGNING_SECRET: secret(SIGNING_SECRET_MIN_LENGTH),
  /** Who may call /jobs/*: loopback (IPv4 and IPv6) and the private 10/8 a VPC egress uses. */
  ALLOWED_IPS: cidrList("127.0.0.1,::1,10.0.0.0/8"),
  RATE_LIMIT_PER_MINUTE: integer(10, 1, 100_000),
  RATE_LIMIT_BURST: integer(20, 1, 100_000),
  TRUSTED_PROXY_HOPS: integer(0, 0, 10),
};
