import { type HtmlNode, parseHtmlTree } from "@telepay/testing";

/** Text made safe to place between HTML tags or inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Telegram's formatting tags and the one element each becomes; any other tag keeps only its text.
const ELEMENTS: Record<string, string> = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
};

/** An http(s) link as a normalised URL, or undefined for anything else (javascript:, tg:, junk). */
export function safeHttpUrl(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function renderNodes(nodes: HtmlNode[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") {
      out += escapeHtml(node.text);
      continue;
    }
    const inner = renderNodes(node.children);
    if (node.name === "a") {
      const href = safeHttpUrl(node.attributes.href);
      out += href
        ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${inner}</a>`
        : `<span class="link">${inner}</span>`;
    } else if (
      node.name === "tg-spoiler" ||
      (node.name === "span" && node.attributes.class === "tg-spoiler")
    ) {
      out += `<span class="spoiler">${inner}</span>`;
    } else {
      const element = ELEMENTS[node.name];
      out += element ? `<${element}>${inner}</${element}>` : inner;
    }
  }
  return out;
}

/**
 * A message's text as safe HTML, looking as Telegram shows it: with parse_mode HTML the
 * documented formatting tags become a fixed set of attribute-free elements (links: http(s) only),
 * and every piece of text is escaped; any other text is escaped as a whole. Nothing the bot (or a
 * user) wrote can add an element, attribute or script of its own.
 */
export function renderTelegramText(text: string | undefined, parseMode: string | undefined): string {
  if (text === undefined) return "";
  if (parseMode?.toUpperCase() !== "HTML") return escapeHtml(text);
  try {
    return renderNodes(parseHtmlTree(text));
  } catch {
    // The emulator refused such a text already; if one slips through, show it as typed.
    return escapeHtml(text);
  }
}
