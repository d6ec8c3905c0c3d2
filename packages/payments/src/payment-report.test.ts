import { describe, expect, it } from "vitest";
import { ipnPayloadSchema } from "./ipn-payload.ts";
import { ipnToPaymentReport } from "./payment-report.ts";

describe("ipnToPaymentReport", () => {
  it("carries every field the payment writer stores, in provider-neutral names", () => {
    const body = {
      payment_id: 5077125051,
      invoice_id: 4522625843,
      payment_status: "finished",
      pay_address: "addr",
      price_amount: 4.99,
      price_currency: "usd",
      pay_amount: "0.0001234",
      actually_paid: 1e-7,
      pay_currency: "btc",
      order_id: "rA3_kZ-0pQ9vX2mN7cT1wY",
      purchase_id: "5837122679",
      outcome_amount: "0.0000995",
      outcome_currency: "btc",
      parent_payment_id: 5077125050,
      fee: { currency: "btc", serviceFee: 0.0000005 },
      updated_at: 1700000000000,
    };
    expect(ipnToPaymentReport(ipnPayloadSchema.parse(body))).toEqual({
      provider: "nowpayments",
      paymentId: "5077125051",
      orderReference: "rA3_kZ-0pQ9vX2mN7cT1wY",
      invoiceId: "4522625843",
      status: "finished",
      priceAmount: "4.99",
      priceCurrency: "usd",
      payAmount: "0.0001234",
      actuallyPaid: "0.0000001",
      payCurrency: "btc",
      outcomeAmount: "0.0000995",
      outcomeCurrency: "btc",
      payAddress: "addr",
      purchaseId: "5837122679",
      parentPaymentId: "5077125050",
      providerUpdatedAt: 1700000000000,
      raw: body,
    });
  });

  it("keeps a status NOWPayments added later as it came (the decision flags it)", () => {
    const ipn = ipnPayloadSchema.parse({ payment_id: 1, payment_status: "wrong_asset_confirmed" });
    expect(ipnToPaymentReport(ipn)).toMatchObject({
      status: "wrong_asset_confirmed",
      orderReference: null,
      invoiceId: null,
      providerUpdatedAt: null,
    });
  });
});
