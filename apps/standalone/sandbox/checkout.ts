import type { NowPaymentsEmulator, NowPaymentsInvoice, NowPaymentsPayment } from "@telepay/testing";

/** What a customer's payment looks like to NOWPayments, IPN by IPN, in the order it sends them. */
export const PAYMENT_STATUSES = ["waiting", "confirming", "finished"] as const;

export interface CheckoutView {
  invoice: NowPaymentsInvoice;
  payment: NowPaymentsPayment | undefined;
  /** Every IPN sent for this invoice: status and how TelePay answered. */
  ipns: Array<{ status: string; answered: number; error?: string }>;
  paying: boolean;
}

/** Why a payment could not be made, worded for the person who tried. */
export class CheckoutError extends Error {
  readonly status: 404 | 409;
  constructor(status: 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}

export interface Checkout {
  view(invoiceId: string): CheckoutView | undefined;
  /**
   * The customer pays: NOWPayments moves the payment waiting → confirming, waits `confirmationMs`
   * (the chain confirming it), then → finished, sending a signed IPN to the invoice's
   * ipn_callback_url at each step. Refuses an unknown invoice, one being paid and one already paid.
   */
  pay(invoiceId: string): Promise<CheckoutView>;
}

/** The emulated NOWPayments checkout page's logic, over the NOWPayments emulator. */
export function createCheckout(deps: { np: NowPaymentsEmulator; confirmationMs?: number }): Checkout {
  const { np } = deps;
  const confirmationMs = deps.confirmationMs ?? 1500;
  const paying = new Set<string>();

  const view = (invoiceId: string): CheckoutView | undefined => {
    const invoice = np.invoice(invoiceId);
    if (!invoice) return undefined;
    return {
      invoice,
      payment: np.payments.find((p) => String(p.invoice_id) === invoice.id),
      ipns: np.ipns
        .filter((i) => i.invoiceId === invoice.id)
        .map((i) => ({
          status: String(i.payload.payment_status),
          answered: i.status,
          ...(i.error ? { error: i.error } : {}),
        })),
      paying: paying.has(invoice.id),
    };
  };

  return {
    view,
    async pay(invoiceId) {
      const before = view(invoiceId);
      if (!before) throw new CheckoutError(404, `There is no invoice ${invoiceId}.`);
      const id = before.invoice.id;
      if (paying.has(id)) throw new CheckoutError(409, "This invoice is being paid already.");
      if (before.payment && before.payment.payment_status !== "waiting") {
        throw new CheckoutError(409, `This invoice is ${before.payment.payment_status} already.`);
      }
      paying.add(id);
      try {
        for (const status of PAYMENT_STATUSES) {
          if (status === "finished") await new Promise((resolve) => setTimeout(resolve, confirmationMs));
          const result = await np.sendIpn(id, status);
          // TelePay did not take it: NOWPayments would retry later; the page shows what happened.
          if (result.status !== 200) break;
        }
      } finally {
        paying.delete(id);
      }
      return view(id)!;
    },
  };
}
