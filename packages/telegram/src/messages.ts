/**
 * The message catalogs: every text a TelePay app sends, one module per app, each a factory bound
 * to a locale. The texts themselves are Fluent files in packages/telegram/locales; each function
 * takes raw data and escapes it.
 */
export {
  type BotTexts,
  botTexts,
  type ChannelView,
  type InputProblem,
  ORDER_STATUS_LINES,
  type TierView,
} from "./catalog/bot.ts";
export {
  type BroadcastAudienceName,
  type BroadcastProgress,
  type BroadcastProgressState,
  type BroadcastTexts,
  broadcastTexts,
} from "./catalog/broadcast.ts";
export {
  CHECKOUT_FINAL_STATUSES,
  type CheckoutTexts,
  type CheckoutView,
  checkoutTexts,
} from "./catalog/checkout.ts";
export {
  type DashboardTextKey,
  type DashboardTexts,
  dashboardButton,
  dashboardTexts,
} from "./catalog/dashboard.ts";
export { message, type OutgoingMessage } from "./catalog/message.ts";
export {
  type AccessDetails,
  type BotAction,
  type NotifierMessages,
  notifierMessages,
  type OwnerPaymentNotice,
  type OwnerReviewRequest,
  type PaymentUpdate,
} from "./catalog/notifier.ts";
export {
  type PromoField,
  type PromoListItem,
  type PromoRefusalReason,
  type PromoTexts,
  promoTexts,
  type TrialRefusalReason,
} from "./catalog/promo.ts";
export { type RefundMethod, type RefundTexts, refundTexts } from "./catalog/refund.ts";
export { type OwnerBalanceView, ownerBalanceText } from "./catalog/settlement.ts";
export { type StarsRefusal, type StarsTexts, starsTexts } from "./catalog/stars.ts";
export { type Arg, type Translator, translator } from "./catalog/translator.ts";
