export { BODY_LIMITS } from "./body-limits.ts";
export { type ClientIpOptions, clientIpResolver, nodeSocketAddress, normalizeIp } from "./client-ip.ts";
export { csvField } from "./csv.ts";
export {
  ApiError,
  createErrorHandler,
  ERROR_STATUS,
  type ErrorBody,
  ErrorCode,
  errorResponse,
  notFound,
  onError,
  requestIdOf,
} from "./errors.ts";
export { type HmacAuthOptions, hmacAuth } from "./hmac-auth.ts";
export {
  type InternalRequest,
  internalSignatureHex,
  pathWithQuery,
  signInternalRequest,
} from "./internal-signature.ts";
export { type IpAllowlistOptions, ipAllowlist, parseCidrList } from "./ip-allowlist.ts";
export {
  type BucketPolicy,
  type BucketState,
  createMemoryRateLimitStore,
  type RateLimitOptions,
  type RateLimitStore,
  rateLimit,
} from "./rate-limit.ts";
export { createDbReplayStore, createMemoryReplayStore, type ReplayStore } from "./replay-store.ts";
export { limitBody, requestIds, type SecurityHeadersOptions, securityHeaders } from "./security-headers.ts";
export {
  type SecuritySummary,
  type SecuritySummaryOptions,
  securitySummary,
  type Toggle,
} from "./summary.ts";
