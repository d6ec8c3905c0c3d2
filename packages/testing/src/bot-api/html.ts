/**
 * Telegram's HTML parse mode, strict enough to catch unescaped text: only the documented tags,
 * balanced nesting, and `<`/`&` only as part of a tag or a supported entity. Returns the plain text
 * a user would see, or throws with Telegram's "can't parse entities" wording.
 */

const SUPPORTED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
  "tg-time",
]);

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export class EntityParseError extends Error {}

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

export function parseHtml(text: string): string {
  const fail = (what: string, index: number): never => {
    throw new EntityParseError(`${what} at byte offset ${byteOffset(text, index)}`);
  };
  const stack: { name: string; index: number }[] = [];
  let plain = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "&") {
      const m = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});/.exec(text.slice(i, i + 12));
      if (!m) fail("Character entity expected (use &amp; for a literal &)", i);
      const body = m![1]!;
      if (body.startsWith("#x")) plain += String.fromCodePoint(Number.parseInt(body.slice(2), 16));
      else if (body.startsWith("#")) plain += String.fromCodePoint(Number.parseInt(body.slice(1), 10));
      else {
        const named = NAMED_ENTITIES[body];
        if (named === undefined) fail(`Unsupported HTML entity "&${body};"`, i);
        plain += named;
      }
      i += m![0].length;
      continue;
    }
    if (ch !== "<") {
      plain += ch;
      i++;
      continue;
    }
    const start = i;
    const closing = text[i + 1] === "/";
    i += closing ? 2 : 1;
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(text.slice(i));
    if (!nameMatch) fail("Unexpected end of name token", i);
    const name = nameMatch![0].toLowerCase();
    i += nameMatch![0].length;
    if (closing) {
      while (text[i] === " " || text[i] === "\t" || text[i] === "\n") i++;
      if (text[i] !== ">") fail("Unclosed end tag", start);
      i++;
      const top = stack.pop();
      if (!top || top.name !== name) fail(`Unmatched end tag "${name}"`, start);
      continue;
    }
    if (!SUPPORTED_TAGS.has(name)) fail(`Unsupported start tag "${name}"`, start);
    // Attributes: name[=value], value quoted with ' or " or bare.
    for (;;) {
      while (text[i] === " " || text[i] === "\t" || text[i] === "\n") i++;
      if (i >= text.length) fail("Unclosed start tag", start);
      if (text[i] === ">") {
        i++;
        break;
      }
      if (text[i] === "/" && text[i + 1] === ">") fail("Unsupported self-closing tag", start);
      const attr = /^[a-zA-Z][a-zA-Z0-9_-]*/.exec(text.slice(i));
      if (!attr) fail("Expected equal sign in declaration of an attribute of the tag", i);
      i += attr![0].length;
      while (text[i] === " ") i++;
      if (text[i] !== "=") continue;
      i++;
      while (text[i] === " ") i++;
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail("Unclosed start tag", start);
        i = end + 1;
      } else {
        while (i < text.length && !/[\s>]/.test(text[i]!)) i++;
      }
    }
    stack.push({ name, index: start });
  }
  const open = stack.pop();
  if (open) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${open.name}"`);
  }
  return plain;
}

/** Plain text for a message: parses HTML when asked, leaves other modes as they are. */
export function plainTextOf(text: string, parseMode: unknown): string {
  if (typeof parseMode === "string" && parseMode.toUpperCase() === "HTML") return parseHtml(text);
  return text;
}
