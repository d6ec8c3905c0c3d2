import type { Context, MiddlewareHandler } from "hono";
import { clientIpResolver } from "./client-ip.ts";
import { errorResponse } from "./errors.ts";

/** A token bucket's shape: `capacity` tokens, refilled at `refillPerMs` tokens per millisecond. */
export interface BucketPolicy {
  capacity: number;
  refillPerMs: number;
}

/** A bucket after a take: whether the tokens were taken, and how many remain (fractional). */
export interface BucketState {
  allowed: boolean;
  tokens: number;
}

/**
 * Where buckets live. `take` refills the bucket for the time passed, then takes `cost` tokens if
 * there are enough (`cost` 0 only looks). Memory now; a shared store (Redis, the database) can
 * implement the same interface for many instances.
 */
export interface RateLimitStore {
  take(key: string, cost: number, policy: BucketPolicy, now: number): BucketState | Promise<BucketState>;
}

/**
 * In-process bucket map. Buckets that have refilled completely carry no information and are
 * dropped while pruning; `maxKeys` bounds memory under an address-spraying flood.
 */
export function createMemoryRateLimitStore(options: { maxKeys?: number } = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let ops = 0;
  function prune(policy: BucketPolicy, now: number) {
    for (const [key, b] of buckets) {
      if (b.tokens + (now - b.at) * policy.refillPerMs >= policy.capacity) buckets.delete(key);
    }
    // Still too many live buckets: forget the oldest ones.
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys) break;
      buckets.delete(key);
    }
  }
  return {
    take(key, cost, policy, now) {
      if (++ops % 1_000 === 0 || buckets.size > maxKeys) prune(policy, now);
      const b = buckets.get(key);
      const tokens = b
        ? Math.min(policy.capacity, b.tokens + Math.max(0, now - b.at) * policy.refillPerMs)
        : policy.capacity;
      const allowed = tokens >= cost;
      const after = allowed ? tokens - cost : tokens;
      if (cost > 0 || b) buckets.set(key, { tokens: after, at: now });
      return { allowed, tokens: after };
    },
  };
}

export interface RateLimitOptions {
  /** Sustained rate: tokens added per minute (RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
  /** Bucket size: how many requests may come at once (RATE_LIMIT_BURST). */
  burst: number;
  store?: RateLimitStore;
  /** Bucket key; default the client IP (socket, or X-Forwarded-For per `trustedProxyHops`). */
  key?: (c: Context) => string;
  trustedProxyHops?: number;
  /**
   * "all" (default) charges every request up front. "failures" charges only responses that
   * `isFailure` says failed, after they are produced, and refuses up front only once the bucket is
   * empty: a burst of valid, authenticated requests is never throttled.
   */
  only?: "all" | "failures";
  /**
   * Which responses count as failures in "failures" mode. Default: 4xx. Our own 5xx (database down)
   * are not the client's fault and must not throttle the retries that recover the payment.
   */
  isFailure?: (status: number) => boolean;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/**
 * Token-bucket rate limit per client. Every response carries `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the bucket is full again); a refused
 * request gets 429 with `Retry-After` (seconds until one token is back).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { perMinute, burst } = options;
  if (!Number.isFinite(perMinute) || perMinute <= 0) throw new TypeError("rateLimit: perMinute must be > 0");
  if (!Number.isInteger(burst) || burst < 1)
    throw new TypeError("rateLimit: burst must be a whole number >= 1");
  const only = options.only ?? "all";
  if (only !== "all" && only !== "failures")
    throw new TypeError('rateLimit: only must be "all" or "failures"');
  const policy: BucketPolicy = { capacity: burst, refillPerMs: perMinute / 60_000 };
  const store = options.store ?? createMemoryRateLimitStore();
  const resolveIp = clientIpResolver({ trustedProxyHops: options.trustedProxyHops });
  const keyOf = options.key ?? ((c: Context) => resolveIp(c) ?? "unknown");
  const isFailure = options.isFailure ?? ((status: number) => status >= 400 && status < 500);
  const now = options.now ?? Date.now;

  const headers = (tokens: number): Record<string, string> => ({
    "RateLimit-Limit": String(burst),
    "RateLimit-Remaining": String(Math.max(0, Math.floor(tokens))),
    "RateLimit-Reset": String(Math.ceil((burst - tokens) / policy.refillPerMs / 1000)),
  });

  return async function rateLimit(c, next) {
    const key = keyOf(c);
    const before = await store.take(key, only === "all" ? 1 : 0, policy, now());
    if (!before.allowed || before.tokens < (only === "all" ? 0 : 1)) {
      const retryAfter = Math.max(1, Math.ceil((1 - before.tokens) / policy.refillPerMs / 1000));
      return errorResponse(c, "RATE_LIMITED", "too many requests", {
        headers: { ...headers(before.tokens), "Retry-After": String(retryAfter) },
      });
    }
    await next();
    let tokens = before.tokens;
    if (only === "failures" && isFailure(c.res.status)) {
      tokens = (await store.take(key, 1, policy, now())).tokens;
    }
    for (const [name, value] of Object.entries(headers(tokens))) c.res.headers.set(name, value);
  };
}
