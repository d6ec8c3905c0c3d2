/**
 * One CSV field (RFC 4180): empty for null/undefined, a Date as its ISO instant, quoted when it
 * holds a comma, quote, CR or LF (quotes doubled). Text starting with =, +, -, @, tab or CR gets a
 * leading `'` so a spreadsheet never runs it as a formula (OWASP "CSV injection"); a plain number
 * such as "-5.00" cannot be a formula and stays as it is.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
