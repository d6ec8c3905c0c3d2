/**
 * Decimal strings: money never becomes a float. Amounts from NOWPayments arrive as JSON numbers or
 * strings; both are turned into a plain decimal string ("0.0000001", never "1e-7") and compared
 * digit by digit.
 */

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;
const EXPONENT_RE = /^(-)?(\d+)(?:\.(\d*))?[eE]([+-]?\d+)$/;

/** Longest integer and fraction parts accepted: far beyond any real amount, well inside NUMERIC. */
export const MAX_INTEGER_DIGITS = 40;
export const MAX_FRACTION_DIGITS = 30;

/** True for "12", "0.5", "-3.25" (no exponent, no leading "+", no spaces). */
export function isDecimalString(value: string): boolean {
  const m = DECIMAL_RE.exec(value);
  return m !== null && m[2]!.length <= MAX_INTEGER_DIGITS && (m[3]?.length ?? 0) <= MAX_FRACTION_DIGITS;
}

/**
 * Normalises a decimal given as a finite number or a numeric string (exponent notation allowed)
 * to canonical form: no exponent, no leading zeros, no trailing fractional zeros, "-0" → "0".
 * Returns undefined for anything that is not a finite decimal within the digit limits.
 */
export function toDecimalString(value: number | string): string | undefined {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    // String(n) is the shortest round-trip form; exponents (1e-7, 1e+21) are expanded below.
    text = String(value);
  } else {
    text = value.trim();
  }
  let sign = "";
  let intPart: string;
  let fracPart: string;
  const plain = DECIMAL_RE.exec(text);
  if (plain) {
    sign = plain[1] ?? "";
    intPart = plain[2]!;
    fracPart = plain[3] ?? "";
  } else {
    const exp = EXPONENT_RE.exec(text);
    if (!exp) return undefined;
    const e = Number(exp[4]);
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS) return undefined;
    sign = exp[1] ?? "";
    const digits = exp[2]! + (exp[3] ?? "");
    // Position of the decimal point inside `digits` after shifting by the exponent.
    const point = exp[2]!.length + e;
    if (point <= 0) {
      intPart = "0";
      fracPart = "0".repeat(-point) + digits;
    } else if (point >= digits.length) {
      intPart = digits + "0".repeat(point - digits.length);
      fracPart = "";
    } else {
      intPart = digits.slice(0, point);
      fracPart = digits.slice(point);
    }
  }
  intPart = intPart.replace(/^0+(?=\d)/, "");
  fracPart = fracPart.replace(/0+$/, "");
  if (intPart.length > MAX_INTEGER_DIGITS || fracPart.length > MAX_FRACTION_DIGITS) return undefined;
  const body = fracPart ? `${intPart}.${fracPart}` : intPart;
  return body === "0" ? "0" : `${sign}${body}`;
}

/**
 * Compares two decimal strings exactly: -1 when a < b, 0 when equal, 1 when a > b.
 * Throws a TypeError for input that is not a decimal (callers validate first).
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = toDecimalString(a);
  const y = toDecimalString(b);
  if (x === undefined || y === undefined) {
    throw new TypeError(
      `compareDecimal needs decimal strings, got ${JSON.stringify(a)} and ${JSON.stringify(b)}`,
    );
  }
  const xNeg = x.startsWith("-");
  const yNeg = y.startsWith("-");
  if (xNeg !== yNeg) return xNeg ? -1 : 1;
  const mag = compareMagnitude(xNeg ? x.slice(1) : x, yNeg ? y.slice(1) : y);
  return (xNeg ? -mag : mag) as -1 | 0 | 1;
}

function compareMagnitude(a: string, b: string): -1 | 0 | 1 {
  const [ai, af = ""] = a.split(".") as [string, string?];
  const [bi, bf = ""] = b.split(".") as [string, string?];
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const ap = af.padEnd(len, "0");
  const bp = bf.padEnd(len, "0");
  if (ap === bp) return 0;
  return ap < bp ? -1 : 1;
}

/** A decimal as an integer count of 10^-scale units: "4.99" → { units: 499n, scale: 2 }. */
function toUnits(value: string): { units: bigint; scale: number } {
  const d = toDecimalString(value);
  if (d === undefined) throw new TypeError(`not a decimal: ${JSON.stringify(value)}`);
  const [int, frac = ""] = d.replace("-", "").split(".") as [string, string?];
  const units = BigInt(int + frac);
  return { units: d.startsWith("-") ? -units : units, scale: frac.length };
}

/**
 * True when `paid` falls short of `asked` by at most `tolerancePercent` percent of `asked`, i.e.
 * paid × 100 ≥ asked × (100 − tolerance), computed exactly on integers (no float, no rounding).
 * Throws a TypeError for input that is not a decimal or a tolerance outside 0–100.
 */
export function paidWithinTolerance(paid: string, asked: string, tolerancePercent: string): boolean {
  const p = toUnits(paid);
  const a = toUnits(asked);
  const t = toUnits(tolerancePercent);
  if (t.units < 0n || compareDecimal(tolerancePercent, "100") > 0) {
    throw new TypeError(`tolerance must be 0–100 percent, got ${JSON.stringify(tolerancePercent)}`);
  }
  // Bring all three to one scale s; then paid = P/10^s etc., and the inequality times 10^(2s) is
  // P × 100 × 10^s ≥ A × (100 × 10^s − T).
  const s = Math.max(p.scale, a.scale, t.scale);
  const at = (x: { units: bigint; scale: number }) => x.units * 10n ** BigInt(s - x.scale);
  const hundred = 100n * 10n ** BigInt(s);
  return at(p) * hundred >= at(a) * (hundred - at(t));
}
