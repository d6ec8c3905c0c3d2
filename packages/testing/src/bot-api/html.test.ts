import { describe, expect, it } from "vitest";
import { EntityParseError, parseHtml, parseHtmlTree, plainTextOfTree } from "./html.ts";

describe("parseHtmlTree", () => {
  it("keeps the formatting tags, nested, with their attributes decoded", () => {
    const tree = parseHtmlTree(
      '✅ <b>Paid — <i>welcome</i></b>\n<a href="https://t.me/bot?start=x&amp;y=1">Open</a> &lt;3 <span class=tg-spoiler>s</span>',
    );
    expect(tree).toEqual([
      { type: "text", text: "✅ " },
      {
        type: "tag",
        name: "b",
        attributes: {},
        children: [
          { type: "text", text: "Paid — " },
          { type: "tag", name: "i", attributes: {}, children: [{ type: "text", text: "welcome" }] },
        ],
      },
      { type: "text", text: "\n" },
      {
        type: "tag",
        name: "a",
        attributes: { href: "https://t.me/bot?start=x&y=1" },
        children: [{ type: "text", text: "Open" }],
      },
      { type: "text", text: " <3 " },
      {
        type: "tag",
        name: "span",
        attributes: { class: "tg-spoiler" },
        children: [{ type: "text", text: "s" }],
      },
    ]);
  });

  it("lower-cases tag and attribute names and keeps valueless attributes", () => {
    expect(parseHtmlTree("<BLOCKQUOTE Expandable>q</blockquote>")).toEqual([
      {
        type: "tag",
        name: "blockquote",
        attributes: { expandable: "" },
        children: [{ type: "text", text: "q" }],
      },
    ]);
  });

  it("refuses what Telegram refuses, with the same wording as parseHtml", () => {
    for (const bad of [
      "<b>open",
      "a < b",
      "Tom & Jerry",
      "<script>x</script>",
      "<b><i>x</b></i>",
      "&nbsp;",
    ]) {
      expect(() => parseHtmlTree(bad)).toThrow(EntityParseError);
      expect(() => parseHtml(bad)).toThrow(EntityParseError);
    }
    expect(() => parseHtmlTree("&nbsp;")).toThrow('Unsupported HTML entity "&nbsp;"');
  });

  it("gives the same plain text as parseHtml", () => {
    const text =
      "<b>A</b> &amp; <code>&#60;B&#x3e;</code> <tg-emoji emoji-id='5368324170671202286'>👍</tg-emoji>";
    expect(plainTextOfTree(parseHtmlTree(text))).toBe("A & <B> 👍");
    expect(parseHtml(text)).toBe("A & <B> 👍");
  });
});
