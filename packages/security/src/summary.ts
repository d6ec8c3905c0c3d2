export type Toggle = "enabled" | "disabled";

/** The `security` block of GET /health (a type literal, so it fits HealthReport's record). */
export type SecuritySummary = {
  hmac: Toggle;
  ip_whitelist: Toggle;
  rate_limiting: Toggle;
  security_headers: Toggle;
};

export interface SecuritySummaryOptions {
  /** A request signature is checked (internal HMAC, or the NOWPayments IPN signature). */
  hmac?: boolean;
  /** The allow list in force: empty means everyone is allowed, i.e. disabled. */
  ipAllowlist?: readonly string[] | boolean;
  rateLimit?: boolean;
  securityHeaders?: boolean;
}

const toggle = (on: boolean | undefined): Toggle => (on ? "enabled" : "disabled");

/** Which protections are on, for /health (docs/architecture.md#http-routes). */
export function securitySummary(options: SecuritySummaryOptions): SecuritySummary {
  const ip = options.ipAllowlist;
  return {
    hmac: toggle(options.hmac),
    ip_whitelist: toggle(Array.isArray(ip) ? ip.length > 0 : Boolean(ip)),
    rate_limiting: toggle(options.rateLimit),
    security_headers: toggle(options.securityHeaders),
  };
}
