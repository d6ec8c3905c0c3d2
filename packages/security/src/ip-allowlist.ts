import type { Context, MiddlewareHandler } from "hono";
import { ipRestriction } from "hono/ip-restriction";
import { type ClientIpOptions, clientIpResolver } from "./client-ip.ts";
import { errorResponse } from "./errors.ts";

export interface IpAllowlistOptions extends ClientIpOptions {
  /** Addresses and CIDR ranges, IPv4 and IPv6. Empty = allow everyone (the app warns at start-up). */
  allow: readonly string[];
}

/**
 * Parses a comma/space separated CIDR list from config ("1.2.3.4, 10.0.0.0/8 ::1") into entries.
 * Validation happens in {@link ipAllowlist}.
 */
export function parseCidrList(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Answers 403 unless the client address is in `allow`. The address comes from the socket, or from
 * X-Forwarded-For counted from the right by `trustedProxyHops` (never the spoofable leftmost entry).
 * Matching is hono's `ipRestriction` (CIDR, IPv4, IPv6, IPv4-mapped IPv6). Invalid entries throw
 * here, at start-up, not on the first request.
 */
export function ipAllowlist(options: IpAllowlistOptions): MiddlewareHandler {
  const allow = [...options.allow].map((s) => s.trim()).filter(Boolean);
  const resolve = clientIpResolver(options);
  if (allow.length === 0) {
    return async function ipAllowlist(_c, next) {
      await next();
    };
  }
  if (allow.includes("*"))
    throw new TypeError('ipAllowlist: "*" is not allowed; leave the list empty to allow all');
  let restrict: MiddlewareHandler;
  try {
    restrict = ipRestriction(
      (c: Context) => c.get("clientIp" as never) as string,
      { allowList: allow },
      (remote, c) => errorResponse(c, "FORBIDDEN", `address ${remote.addr} is not allowed`),
    );
  } catch (err) {
    throw new TypeError(`ipAllowlist: invalid address or CIDR in allow list (${(err as Error).message})`);
  }
  return async function ipAllowlist(c, next) {
    const ip = resolve(c);
    if (!ip) return errorResponse(c, "FORBIDDEN", "client address could not be determined");
    c.set("clientIp" as never, ip as never);
    return restrict(c, next);
  };
}
