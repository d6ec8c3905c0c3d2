/**
 * The message catalogs: every text a TelePay app sends, one module per app. Texts are English;
 * each function takes raw data and escapes it.
 */
export * as botTexts from "./catalog/bot.ts";
export { DASHBOARD_TEXTS, type DashboardTextKey, dashboardButton } from "./catalog/dashboard.ts";
export { message, type OutgoingMessage } from "./catalog/message.ts";
export * as notifierMessages from "./catalog/notifier.ts";
