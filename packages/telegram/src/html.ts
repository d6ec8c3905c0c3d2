/**
 * HTML for Telegram's parse_mode "HTML". Every text a user or owner typed (titles, names, labels,
 * messages) must be escaped, or Telegram rejects the whole message ("can't parse entities") and
 * a crafted title could inject links (docs/legacy-mistakes.md#lm-14). The `html` template escapes every
 * interpolation unless it is itself `html`/`raw` output, so forgetting to escape is impossible.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes &, <, > and " (enough for text and attribute values in Telegram's HTML subset). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

/** A piece of HTML that is already safe; interpolating it into `html` inserts it unchanged. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** Marks trusted markup as safe (use only for text this codebase wrote, never for input). */
export function raw(markup: string): Html {
  return new Html(markup);
}

type Interpolation = Html | string | number | bigint | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * Tagged template: html`<b>${title}</b>` escapes `title`. Arrays are joined, null/undefined/false
 * render as nothing (handy for optional lines), nested `html` values are kept as markup.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1];
  return new Html(out);
}

/** An <a href> with an escaped URL and label; only http(s) and tg: URLs are allowed. */
export function link(url: string, label: string): Html {
  if (!/^(https?:|tg:)/i.test(url)) throw new Error(`link: refusing a non-http(s)/tg URL`);
  return html`<a href="${url}">${label}</a>`;
}
