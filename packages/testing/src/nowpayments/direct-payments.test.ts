import { createNowPaymentsClient, NowPaymentsError, verifyIpnSignature } from "@telepay/payments";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NowPaymentsEmulator, startNowPaymentsEmulator } from "./emulator.ts";
import { type IpnReceiver, type ReceivedIpn, startIpnReceiver } from "./ipn-receiver.ts";

/** SETTLEMENT=direct against the emulator: POST /payment with payout fields, address validation, IPNs. */

const API_KEY = "np-direct-key";
const IPN_SECRET = "np-direct-secret";
const OWNER_TRON = "TXYZabcdefghijkmnopqrstuvwxyz12345";
const OWNER_ETH = `0x${"ab".repeat(20)}`;

let np: NowPaymentsEmulator;
let ipn: IpnReceiver;
let receiverUrl: string;
let received: ReceivedIpn[];

beforeEach(async () => {
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET, ipnTimeoutMs: 500 });
  ipn = await startIpnReceiver();
  ({ url: receiverUrl, received } = ipn);
});

afterEach(async () => {
  await np.stop();
  await ipn.close();
});

const client = () => createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });

describe("direct payments", () => {
  it("creates a payment that pays out to the owner's wallet and reports its deposit details", async () => {
    const created = await client().createPayment({
      priceAmount: "4.99",
      priceCurrency: "USD",
      payCurrency: "usdttrc20",
      orderId: "ord_abc",
      ipnCallbackUrl: receiverUrl,
      payoutAddress: OWNER_TRON,
      payoutCurrency: "usdttrc20",
      payoutExtraId: null,
    });
    expect(created.paymentId).toMatch(/^\d+$/);
    expect(created.payAmount).toBe("4.99");
    expect(created.payCurrency).toBe("usdttrc20");
    expect(created.payAddress).toMatch(/^T/);
    expect(created.expiresAt).toBeInstanceOf(Date);
    const stored = np.payment(created.paymentId)!;
    expect(stored.payout_address).toBe(OWNER_TRON);
    expect(stored.payout_currency).toBe("usdttrc20");
    expect(stored.invoice_id).toBeNull();
    // The exact amount went over the wire as a number literal, not a float round trip.
    const request = np.requests.find((r) => r.path === "/v1/payment");
    expect(request?.status).toBe(201);
  });

  it("refuses a payout address of the wrong chain when the payment is created", async () => {
    const err = await client()
      .createPayment({
        priceAmount: "5",
        priceCurrency: "usd",
        payCurrency: "btc",
        orderId: "ord_x",
        ipnCallbackUrl: receiverUrl,
        payoutAddress: OWNER_ETH,
        payoutCurrency: "usdttrc20",
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NowPaymentsError);
    expect((err as NowPaymentsError).kind).toBe("bad_request");
    expect(np.payments).toHaveLength(0);
  });

  it("validates addresses: a bare OK is valid, a 400 is a reason, a rejected wallet is invalid", async () => {
    expect(await client().validateAddress({ address: OWNER_TRON, currency: "usdttrc20" })).toEqual({
      valid: true,
    });
    const wrongChain = await client().validateAddress({ address: OWNER_ETH, currency: "usdttrc20" });
    expect(wrongChain.valid).toBe(false);
    expect(wrongChain.valid ? "" : wrongChain.reason).toContain("Invalid payout_address");
    const unknownCoin = await client().validateAddress({ address: OWNER_TRON, currency: "zzz" });
    expect(unknownCoin.valid).toBe(false);
    np.rejectAddress(OWNER_ETH);
    expect((await client().validateAddress({ address: OWNER_ETH, currency: "eth" })).valid).toBe(false);
  });

  it("an outage while validating throws instead of calling the wallet invalid", async () => {
    np.failNext({ status: 503 });
    await expect(client().validateAddress({ address: OWNER_TRON, currency: "trx" })).rejects.toMatchObject({
      kind: "unavailable",
    });
  });

  it("walks a direct payment through its statuses with signed IPNs that GET /payment agrees with", async () => {
    const created = await client().createPayment({
      priceAmount: "10",
      priceCurrency: "usd",
      payCurrency: "btc",
      orderId: "ord_walk",
      ipnCallbackUrl: receiverUrl,
      payoutAddress: OWNER_TRON,
      payoutCurrency: "usdttrc20",
    });
    const results = await np.payPayment(created.paymentId, ["waiting", "confirming", "finished"]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(received).toHaveLength(3);
    const last = received.at(-1)!;
    expect(verifyIpnSignature(last.raw, String(last.headers["x-nowpayments-sig"]), IPN_SECRET)).toBeTruthy();
    const body = JSON.parse(last.raw);
    expect(body).toMatchObject({ payment_status: "finished", order_id: "ord_walk", invoice_id: null });
    const now = await client().getPayment(created.paymentId);
    expect(now.paymentStatus).toBe("finished");
    expect(now.orderId).toBe("ord_walk");
    expect(np.ipns.at(-1)?.invoiceId).toBeNull();
    await expect(np.sendPaymentIpn("999", "finished")).rejects.toThrow(/no direct payment/);
  });
});
