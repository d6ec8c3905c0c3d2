import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NowPaymentsEmulator, startNowPaymentsEmulator } from "./emulator.ts";
import { type IpnReceiver, type ReceivedIpn, startIpnReceiver } from "./ipn-receiver.ts";
import { signIpnBody } from "./sign.ts";

const API_KEY = "np-test-key";
const IPN_SECRET = "np-ipn-secret";

let np: NowPaymentsEmulator;
let ipn: IpnReceiver;
let receiverUrl: string;
let received: ReceivedIpn[];

beforeEach(async () => {
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET, ipnTimeoutMs: 300 });
  ipn = await startIpnReceiver();
  ({ url: receiverUrl, received } = ipn);
});

afterEach(async () => {
  await np.stop();
  await ipn.close();
});

async function createInvoice(body: Record<string, unknown> | string, apiKey: string | null = API_KEY) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey !== null) headers["x-api-key"] = apiKey;
  const res = await fetch(`${np.apiBase}/invoice`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The signature, computed here without the emulator's helper: sort keys at every depth, HMAC-SHA512. */
function expectedSignature(raw: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return createHmac("sha512", IPN_SECRET)
    .update(JSON.stringify(sort(JSON.parse(raw))))
    .digest("hex");
}

describe("invoices", () => {
  it("answers /status", async () => {
    const res = await fetch(`${np.apiBase}/status`);
    expect(await res.json()).toEqual({ message: "OK" });
  });

  it("creates an invoice shaped like NOWPayments' answer, keeping the amount exact", async () => {
    const { status, body } = await createInvoice(
      '{"price_amount":12345678901234.56,"price_currency":"USD","order_id":"o_abc","order_description":"30 days",' +
        `"ipn_callback_url":"${receiverUrl}","success_url":"https://t.me/telepay_test_bot?start=o_abc"}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      order_id: "o_abc",
      order_description: "30 days",
      price_amount: "12345678901234.56",
      price_currency: "usd",
      pay_currency: null,
      ipn_callback_url: receiverUrl,
      success_url: "https://t.me/telepay_test_bot?start=o_abc",
      cancel_url: null,
    });
    expect(body.id).toMatch(/^\d+$/);
    expect(body.invoice_url).toBe(`https://nowpayments.io/payment/?iid=${body.id}`);
    expect(np.invoice(body.id as string)?.order_id).toBe("o_abc");
  });

  it("refuses a missing or wrong API key", async () => {
    for (const key of [null, "wrong"]) {
      const { status, body } = await createInvoice({ price_amount: 5, price_currency: "usd" }, key);
      expect(status).toBe(403);
      expect(body).toMatchObject({ statusCode: 403, code: "INVALID_API_KEY" });
    }
    expect(np.invoices).toHaveLength(0);
  });

  it.each([
    [{ price_currency: "usd" }, /price_amount/],
    [{ price_amount: 0, price_currency: "usd" }, /price_amount/],
    [{ price_amount: -1, price_currency: "usd" }, /price_amount/],
    [{ price_amount: 5 }, /price_currency/],
    [{ price_amount: 5, price_currency: "usd", success_url: "t.me/bot" }, /success_url/],
    // An unencoded query string is what the legacy system sent (docs/legacy-mistakes.md#lm-2).
    [{ price_amount: 5, price_currency: "usd", success_url: "https://t.me/bot?start=a b" }, /success_url/],
    [{ price_amount: 5, price_currency: "usd", cancel_url: "https://x.test/ü" }, /cancel_url/],
    [{ price_amount: 5, price_currency: "usd", ipn_callback_url: "ftp://x.test/ipn" }, /ipn_callback_url/],
  ])("rejects invalid parameters with 400 (%#)", async (input, pattern) => {
    const { status, body } = await createInvoice(input);
    expect(status).toBe(400);
    expect(body.code).toBe("INVALID_REQUEST_PARAMS");
    expect(body.message).toMatch(pattern);
    expect(np.invoices).toHaveLength(0);
  });

  it("can fail the next API request", async () => {
    np.failNext({ status: 503 });
    expect((await createInvoice({ price_amount: 5, price_currency: "usd" })).status).toBe(503);
    expect((await createInvoice({ price_amount: 5, price_currency: "usd" })).status).toBe(200);
  });
});

describe("IPNs", () => {
  async function invoice(extra: Record<string, unknown> = {}) {
    const { body } = await createInvoice({
      price_amount: 9.99,
      price_currency: "usd",
      order_id: "o_1",
      order_description: "Gold, 30 days",
      ipn_callback_url: receiverUrl,
      ...extra,
    });
    return body.id as string;
  }

  it("posts a signed IPN whose signature covers the nested fee object", async () => {
    const id = await invoice();
    const result = await np.sendIpn(id, "finished");
    expect(result.status).toBe(200);
    expect(result.body).toBe("ok");
    expect(received).toHaveLength(1);
    const { headers, raw } = received[0]!;
    const body = JSON.parse(raw);
    expect(body).toMatchObject({
      invoice_id: Number(id),
      payment_status: "finished",
      price_amount: 9.99,
      price_currency: "usd",
      pay_currency: "btc",
      order_id: "o_1",
      parent_payment_id: null,
      payin_extra_id: null,
      fee: { currency: "btc", depositFee: 0, withdrawalFee: 0 },
    });
    expect(typeof body.payment_id).toBe("number");
    expect(typeof body.purchase_id).toBe("string");
    expect(body.actually_paid).toBe(body.pay_amount);
    expect(headers["x-nowpayments-sig"]).toBe(expectedSignature(raw));
    // Keys are not sent sorted, so a receiver that signs the raw text would fail.
    expect(raw).not.toBe(JSON.stringify(JSON.parse(raw), Object.keys(body).sort()));
    // The shallow one-liner of the legacy system gives a different signature (mistake: nested keys dropped).
    const legacy = createHmac("sha512", IPN_SECRET)
      .update(JSON.stringify(body, Object.keys(body).sort()))
      .digest("hex");
    expect(headers["x-nowpayments-sig"]).not.toBe(legacy);
    expect(signIpnBody(body, IPN_SECRET)).toBe(expectedSignature(raw));
  });

  it("reuses one payment across statuses, and GET /payment/:id shows its current state", async () => {
    const id = await invoice({ pay_currency: "ltc" });
    const results = await np.payInvoice(id);
    expect(results.map((r) => r.payload.payment_status)).toEqual([
      "waiting",
      "confirming",
      "confirmed",
      "sending",
      "finished",
    ]);
    const paymentIds = new Set(results.map((r) => r.payload.payment_id));
    expect(paymentIds.size).toBe(1);
    const updated = results.map((r) => r.payload.updated_at as number);
    expect([...updated].sort((a, b) => a - b)).toEqual(updated);
    expect(new Set(updated).size).toBe(updated.length);
    const paymentId = [...paymentIds][0];
    const res = await fetch(`${np.apiBase}/payment/${paymentId}`, { headers: { "x-api-key": API_KEY } });
    const payment = (await res.json()) as Record<string, unknown>;
    expect(payment).toMatchObject({ payment_id: paymentId, payment_status: "finished", pay_currency: "ltc" });
    const denied = await fetch(`${np.apiBase}/payment/${paymentId}`);
    expect(denied.status).toBe(403);
    const missing = await fetch(`${np.apiBase}/payment/1`, { headers: { "x-api-key": API_KEY } });
    expect(missing.status).toBe(404);
  });

  it("applies overrides, forced payment ids and forged signatures", async () => {
    const id = await invoice();
    const underpaid = await np.sendIpn(id, "finished", {
      actually_paid: 0.00001,
      price_amount: 1,
      parent_payment_id: 77,
    });
    expect(underpaid.payload).toMatchObject({
      actually_paid: 0.00001,
      price_amount: 1,
      parent_payment_id: 77,
    });
    expect(received[0]!.headers["x-nowpayments-sig"]).toBe(expectedSignature(received[0]!.raw));
    const forced = await np.sendIpn(id, "finished", {}, { paymentId: "6000000001" });
    expect(forced.payload.payment_id).toBe(6000000001);
    const forged = await np.sendIpn(id, "finished", { signatureOverride: "deadbeef" });
    expect(received[2]!.headers["x-nowpayments-sig"]).toBe("deadbeef");
    expect(forged.signature).toBe("deadbeef");
    await np.sendIpn(id, "finished", { skipSignature: true });
    expect(received[3]!.headers["x-nowpayments-sig"]).toBeUndefined();
    expect(JSON.parse(received[3]!.raw)).not.toHaveProperty("skipSignature");
    const removed = await np.sendIpn(id, "finished", { order_id: undefined });
    expect(removed.payload).not.toHaveProperty("order_id");
  });

  it("reports the receiver's failures and timeouts instead of hiding them", async () => {
    const id = await invoice();
    ipn.status = 500;
    expect(await np.sendIpn(id, "finished")).toMatchObject({ status: 500, body: "nope" });
    const slow = await np.sendIpn(id, "finished", {}, { url: receiverUrl.replace("/ipn", "/slow") });
    expect(slow.status).toBe(0);
    expect(slow.error).toMatch(/did not answer within 300 ms/);
    expect(np.ipns.map((d) => d.status)).toEqual([500, 0]);
  });
});
