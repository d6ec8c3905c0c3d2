export { BotApiError } from "./api-error.ts";
export { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";
export { EntityParseError, type HtmlNode, parseHtml, parseHtmlTree, plainTextOfTree } from "./html.ts";
export {
  STARS_SUBSCRIPTION_PERIOD,
  type StarSubscriptionRecord,
  type StarsControls,
  type StarsInvoiceRecord,
  type StarTransactionRecord,
} from "./stars.ts";
export type * from "./types.ts";
