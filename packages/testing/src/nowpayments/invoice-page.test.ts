import { afterEach, describe, expect, it } from "vitest";
import { type NowPaymentsEmulator, startNowPaymentsEmulator } from "./emulator.ts";

const KEYS = { apiKey: "np-key", ipnSecret: "np-secret" };
let np: NowPaymentsEmulator | undefined;

afterEach(async () => {
  await np?.stop();
  np = undefined;
});

async function createInvoice(emulator: NowPaymentsEmulator): Promise<{ id: string; invoice_url: string }> {
  const res = await fetch(`${emulator.apiBase}/invoice`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEYS.apiKey },
    body: JSON.stringify({ price_amount: 9.99, price_currency: "usd" }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; invoice_url: string };
}

describe("invoicePageUrl", () => {
  it("links invoices to NOWPayments' hosted page by default", async () => {
    np = await startNowPaymentsEmulator(KEYS);
    const invoice = await createInvoice(np);
    expect(invoice.invoice_url).toBe(`https://nowpayments.io/payment/?iid=${invoice.id}`);
  });

  it("links invoices to a local checkout page when given one", async () => {
    np = await startNowPaymentsEmulator({ ...KEYS, invoicePageUrl: "http://127.0.0.1:8090/payment/" });
    const invoice = await createInvoice(np);
    expect(invoice.invoice_url).toBe(`http://127.0.0.1:8090/payment/?iid=${invoice.id}`);
    expect(np.invoice(invoice.id)?.invoice_url).toBe(invoice.invoice_url);
  });

  it("refuses a page that is not an http(s) URL", async () => {
    await expect(
      startNowPaymentsEmulator({ ...KEYS, invoicePageUrl: "javascript:alert(1)" }),
    ).rejects.toThrow(/invoicePageUrl must be an http\(s\) URL/);
    await expect(startNowPaymentsEmulator({ ...KEYS, invoicePageUrl: "not a url" })).rejects.toThrow();
  });
});
