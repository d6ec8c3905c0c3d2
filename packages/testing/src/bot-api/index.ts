export { BotApiError } from "./api-error.ts";
export { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";
export { EntityParseError, parseHtml } from "./html.ts";
export type * from "./types.ts";
