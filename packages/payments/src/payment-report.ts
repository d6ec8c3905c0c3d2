import type { IpnPayload } from "./ipn-payload.ts";
import type { PaymentStatus } from "./status.ts";

/** The rails TelePay takes money through. */
export const PAYMENT_PROVIDERS = ["nowpayments", "telegram_stars"] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/**
 * What a payment rail reports about one payment, in provider-neutral terms: the input of the
 * payment decision (decidePayment) and of the core's payment writer. The rail's adapter has
 * verified it (a NOWPayments IPN's signature, a Telegram update's origin) before it becomes one.
 * Amounts are decimal strings (never floats); ids are strings.
 */
export interface PaymentReport {
  provider: PaymentProvider;
  /** The rail's id of this payment; several reports of one payment share it. */
  paymentId: string;
  /** Our order reference as the rail echoes it back; null when it named none. */
  orderReference: string | null;
  /** The rail's invoice the payment was made against, when it has one. */
  invoiceId: string | null;
  /**
   * The payment's status in our status model (PAYMENT_STATUSES), or a status the rail added later
   * (stored and flagged for review, never acted on).
   */
  status: PaymentStatus | (string & {});
  /** The order's price as the rail states it, in the order's currency. */
  priceAmount: string | null;
  priceCurrency: string | null;
  /** What the payer was asked to pay and what arrived, both in payCurrency. */
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
  /** What reaches the owner's wallet after the rail's fees. */
  outcomeAmount: string | null;
  outcomeCurrency: string | null;
  /** Where the payer was asked to send the money (a crypto address), when the rail has one. */
  payAddress: string | null;
  /** The rail's reference grouping the payments of one checkout, when it has one. */
  purchaseId: string | null;
  /** Set when this payment is a re-deposit or wrong-asset child of another: never paid automatically. */
  parentPaymentId: string | null;
  /** The rail's own time of this report (epoch ms), to order reports that arrive out of order. */
  providerUpdatedAt: number | null;
  /** The rail's payload exactly as received, kept for audit and review. */
  raw: Record<string, unknown>;
}

/** A verified NOWPayments IPN as a payment report (NOWPayments' statuses are our status model). */
export function ipnToPaymentReport(ipn: IpnPayload): PaymentReport {
  return {
    provider: "nowpayments",
    paymentId: ipn.paymentId,
    orderReference: ipn.orderId,
    invoiceId: ipn.invoiceId,
    status: ipn.paymentStatus,
    priceAmount: ipn.priceAmount,
    priceCurrency: ipn.priceCurrency,
    payAmount: ipn.payAmount,
    actuallyPaid: ipn.actuallyPaid,
    payCurrency: ipn.payCurrency,
    outcomeAmount: ipn.outcomeAmount,
    outcomeCurrency: ipn.outcomeCurrency,
    payAddress: ipn.payAddress,
    purchaseId: ipn.purchaseId,
    parentPaymentId: ipn.parentPaymentId,
    providerUpdatedAt: ipn.updatedAt,
    raw: ipn.raw,
  };
}
