import { isIPv4, isIPv6 } from "node:net";

/**
 * True for a bare IPv4/IPv6 address or an address with a prefix length that fits its family
 * ("10.0.0.0/8", "2001:db8::/32", "127.0.0.1").
 */
export function isIpOrCidr(entry: string): boolean {
  const parts = entry.split("/");
  if (parts.length > 2) return false;
  const [address = "", prefix] = parts;
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (bits === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= bits;
}
