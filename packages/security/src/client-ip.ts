import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

export interface ClientIpOptions {
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For. 0 (default) uses the
   * socket address; n > 0 takes the n-th entry counted from the right, the one the outermost trusted
   * proxy saw. The leftmost entry is whatever the client wrote and is never trusted
   * (docs/legacy-mistakes.md#lm-13).
   */
  trustedProxyHops?: number;
  /** Override for the socket address (default: @hono/node-server's getConnInfo). */
  getSocketAddress?: (c: Context) => string | undefined;
}

/** The peer address of the Node socket, or undefined outside @hono/node-server (e.g. app.request()). */
export function nodeSocketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** "1.2.3.4", "1.2.3.4:80", "[::1]:80", "fe80::1%eth0" → a bare address, or undefined if not an IP. */
export function normalizeIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let ip = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  const zone = ip.indexOf("%");
  if (zone > 0) ip = ip.slice(0, zone);
  return isIP(ip) ? ip.toLowerCase() : undefined;
}

/** Checks `trustedProxyHops` up front so a bad config fails at start-up. */
export function validateHops(name: string, hops: number | undefined): number {
  const n = hops ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > 16) {
    throw new TypeError(`${name}: trustedProxyHops must be a whole number from 0 to 16, got ${hops}`);
  }
  return n;
}

/**
 * Returns a function that finds the client address of a request per {@link ClientIpOptions};
 * undefined when it cannot be known (no socket address, or fewer X-Forwarded-For entries than
 * trusted hops: someone bypassed a proxy, so nothing in the header can be believed).
 */
export function clientIpResolver(options: ClientIpOptions = {}): (c: Context) => string | undefined {
  const hops = validateHops("clientIpResolver", options.trustedProxyHops);
  const socket = options.getSocketAddress ?? nodeSocketAddress;
  if (hops === 0) return (c) => normalizeIp(socket(c));
  return (c) => {
    const header = c.req.header("x-forwarded-for");
    if (!header) return undefined;
    const entries = header.split(",");
    if (entries.length < hops) return undefined;
    return normalizeIp(entries[entries.length - hops]);
  };
}
