export { compareDecimal, isDecimalString, paidWithinTolerance, toDecimalString } from "./decimal.ts";
export { findRepeatedKey, type IpnJson, parseIpnJson } from "./ipn-json.ts";
export { describeIssues, type IpnPayload, ipnPayloadSchema, unstorableReason } from "./ipn-payload.ts";
export { canonicalIpnJson, signIpn, verifyIpnSignature, verifyParsedIpnSignature } from "./ipn-signature.ts";
export {
  type AddressVerdict,
  type CreatedPayment,
  type CreateInvoiceInput,
  type CreatePaymentInput,
  createNowPaymentsClient,
  type Invoice,
  type NowPaymentsClient,
  type NowPaymentsClientOptions,
  NowPaymentsError,
  type NowPaymentsErrorKind,
} from "./nowpayments-client.ts";
export { isOrderReference, newOrderReference, ORDER_REFERENCE_LENGTH } from "./order-reference.ts";
export {
  decidePayment,
  type OrderSnapshot,
  type PaymentDecision,
  type PaymentOutcome,
  type PaymentPolicy,
  type PaymentSnapshot,
  type ReviewReason,
  type UserUpdateStatus,
} from "./payment-decision.ts";
export {
  ipnToPaymentReport,
  PAYMENT_PROVIDERS,
  type PaymentProvider,
  type PaymentReport,
} from "./payment-report.ts";
export {
  canTransition,
  isPaymentStatus,
  nextOrderStatus,
  type OrderStatusValue,
  PAYMENT_STATUSES,
  type PaymentStatus,
  type StatusMeaning,
  type StatusMeaningKey,
  statusMeaning,
  TERMINAL_STATUSES,
} from "./status.ts";
