/**
 * Formatting shared by every message catalog. Money stays a decimal string all the way (never a
 * float); dates are UTC with the zone spelled out, so nobody misreads them.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
/** Currencies shown with exactly two decimals. */
const FIAT = new Set(["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "RUB", "UAH", "INR", "BRL", "TRY"]);

/**
 * "9.9" USD → "9.90 USD"; "0.00120000" BTC → "0.0012 BTC". Fiat gets two decimals (rounding is
 * never needed: prices are stored with at most two); crypto drops trailing zeros. Throws on
 * anything that is not a decimal string.
 */
export function formatMoney(amount: string, currency: string): string {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`formatMoney: not a decimal string: ${JSON.stringify(amount)}`);
  const sign = m[1] ?? "";
  const int = m[2]!.replace(/^0+(?=\d)/, "");
  let frac = (m[3] ?? "").replace(/0+$/, "");
  const code = currency.trim().toUpperCase();
  if (FIAT.has(code) && frac.length <= 2) frac = frac.padEnd(2, "0");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  // Telegram Stars (XTR) are whole and shown with their own sign.
  if (code === "XTR") return `${sign}${grouped}${frac ? `.${frac}` : ""} ⭐`;
  return `${sign}${grouped}${frac ? `.${frac}` : ""} ${code}`;
}

/** 2026-03-01 14:05 UTC: ISO order, 24-hour clock, zone named. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("formatDate: invalid date");
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** TQ9x…3fAb: enough to recognise a payout address without printing it whole. */
export function shortenWallet(address: string, head = 6, tail = 4): string {
  const a = address.trim();
  if (a.length <= head + tail + 1) return a;
  return `${a.slice(0, head)}…${a.slice(-tail)}`;
}

/**
 * a − b for non-negative decimal strings, exactly (used for "what is still missing" of a partial
 * payment). Returns "0" when b ≥ a.
 */
export function subtractDecimal(a: string, b: string): string {
  const pa = DECIMAL.exec(a.trim());
  const pb = DECIMAL.exec(b.trim());
  if (!pa || !pb || pa[1] || pb[1]) throw new Error("subtractDecimal: non-negative decimal strings only");
  const scale = Math.max(pa[3]?.length ?? 0, pb[3]?.length ?? 0);
  const big = (m: RegExpExecArray) => BigInt(m[2]! + (m[3] ?? "").padEnd(scale, "0"));
  const diff = big(pa) - big(pb);
  if (diff <= 0n) return "0";
  const digits = diff.toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

/** The name to show for a Telegram user: "First (@username)", or the id when there is neither. */
export function displayName(user: {
  firstName?: string | null;
  username?: string | null;
  id: bigint | string | number;
}): string {
  const first = user.firstName?.trim();
  const handle = user.username ? `@${user.username}` : "";
  if (first && handle) return `${first} (${handle})`;
  return first || handle || `user ${user.id}`;
}
