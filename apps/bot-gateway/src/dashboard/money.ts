/** Adds decimal strings exactly (BigInt at the larger scale): money is never a float. */
export function addDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split(".")[1] ?? "").length));
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith("-");
    const [int = "0", frac = ""] = (negative ? v.slice(1) : v).split(".");
    const scaled = BigInt(int + frac.padEnd(scale, "0"));
    total += negative ? -scaled : scaled;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${int}${frac}`;
}
