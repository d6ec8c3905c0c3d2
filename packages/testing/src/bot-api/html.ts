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

/** One node of a parsed Telegram HTML text: a run of text (entities decoded) or a formatting tag. */
export type HtmlNode =
  | { type: "text"; text: string }
  | { type: "tag"; name: string; attributes: Record<string, string>; children: HtmlNode[] };

/**
 * Parses Telegram HTML into a tree of text runs and the documented tags with their attributes
 * (names lower-cased, entities in values decoded), for showing a message with its formatting.
 * Throws EntityParseError exactly where Telegram answers "can't parse entities".
 */
export function parseHtmlTree(text: string): HtmlNode[] {
  const fail = (what: string, index: number): never => {
    throw new EntityParseError(`${what} at byte offset ${byteOffset(text, index)}`);
  };
  const root: HtmlNode[] = [];
  const stack: { name: string; index: number; children: HtmlNode[] }[] = [];
  const children = () => stack.at(-1)?.children ?? root;
  const append = (plain: string) => {
    const list = children();
    const last = list.at(-1);
    if (last?.type === "text") last.text += plain;
    else list.push({ type: "text", text: plain });
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "&") {
      const m = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});/.exec(text.slice(i, i + 12));
      if (!m) fail("Character entity expected (use &amp; for a literal &)", i);
      append(decodeEntity(m![1]!, () => fail(`Unsupported HTML entity "${m![0]}"`, i)));
      i += m![0].length;
      continue;
    }
    if (ch !== "<") {
      append(ch);
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
    const attributes: Record<string, string> = {};
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
      const attrName = attr![0].toLowerCase();
      i += attr![0].length;
      while (text[i] === " ") i++;
      if (text[i] !== "=") {
        attributes[attrName] = "";
        continue;
      }
      i++;
      while (text[i] === " ") i++;
      const quote = text[i];
      let value: string;
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail("Unclosed start tag", start);
        value = text.slice(i + 1, end);
        i = end + 1;
      } else {
        const from = i;
        while (i < text.length && !/[\s>]/.test(text[i]!)) i++;
        value = text.slice(from, i);
      }
      attributes[attrName] = decodeAttribute(value);
    }
    const node: HtmlNode = { type: "tag", name, attributes, children: [] };
    children().push(node);
    stack.push({ name, index: start, children: node.children });
  }
  const open = stack.pop();
  if (open) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${open.name}"`);
  }
  return root;
}

function decodeEntity(body: string, unsupported: () => never): string {
  if (body.startsWith("#x")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
  if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
  return NAMED_ENTITIES[body] ?? unsupported();
}

/** Entities inside an attribute value (an href with &amp;); anything unknown stays as written. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});/g, (whole, body: string) => {
    try {
      return decodeEntity(body, () => {
        throw new Error("unsupported");
      });
    } catch {
      return whole;
    }
  });
}

/** The text a user sees: every text run of the tree, in order. */
export function plainTextOfTree(nodes: HtmlNode[]): string {
  let out = "";
  for (const node of nodes) out += node.type === "text" ? node.text : plainTextOfTree(node.children);
  return out;
}

/** Parses Telegram HTML and returns the plain text a user would see (see parseHtmlTree). */
export function parseHtml(text: string): string {
  return plainTextOfTree(parseHtmlTree(text));
}

/** Plain text for a message: parses HTML when asked, leaves other modes as they are. */
export function plainTextOf(text: string, parseMode: unknown): string {
  if (typeof parseMode === "string" && parseMode.toUpperCase() === "HTML") return parseHtml(text);
  return text;
}
