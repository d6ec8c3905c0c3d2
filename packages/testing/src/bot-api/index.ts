export { BotApiError } from "./api-error.ts";
export { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";
export { EntityParseError, type HtmlNode, parseHtml, parseHtmlTree, plainTextOfTree } from "./html.ts";
export type * from "./types.ts";
