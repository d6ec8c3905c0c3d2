export {
  type IpnDelivery,
  type IpnOptions,
  type IpnOverrides,
  type IpnResult,
  type NowPaymentsEmulator,
  type NowPaymentsEmulatorOptions,
  type NowPaymentsFailure,
  type NowPaymentsInvoice,
  type NowPaymentsPayment,
  type PaymentStatus,
  startNowPaymentsEmulator,
} from "./emulator.ts";
export { type IpnReceiver, type ReceivedIpn, startIpnReceiver } from "./ipn-receiver.ts";
export { signIpnBody, sortKeysDeep } from "./sign.ts";
