import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createNowPaymentsClient, NowPaymentsError } from "./nowpayments-client.ts";

const API_KEY = "NP-KEY-SHOULD-NEVER-LEAK";

/** A small stand-in for the NOWPayments API (external service: emulated, not mocked code of ours). */
function fakeNowPayments() {
  const received: { path: string; headers: Record<string, string>; body: string }[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    received.push({ path: c.req.path, headers: c.req.header(), body: await c.req.text() });
    if (c.req.header("x-api-key") !== API_KEY) {
      return c.json(
        { status: false, statusCode: 403, message: `Invalid api key ${c.req.header("x-api-key")}` },
        403,
      );
    }
    await next();
  });
  app.post("/v1/invoice", async (c) => {
    const body = JSON.parse(received.at(-1)!.body);
    if (!body.price_amount) return c.json({ message: "price_amount is required" }, 400);
    return c.json(
      {
        id: "4522625843",
        order_id: body.order_id,
        price_amount: String(body.price_amount),
        price_currency: body.price_currency,
        invoice_url: "https://nowpayments.io/payment/?iid=4522625843",
        success_url: body.success_url,
      },
      200,
    );
  });
  app.get("/v1/payment/:id", (c) =>
    c.json({
      payment_id: Number(c.req.param("id")),
      payment_status: "confirming",
      price_amount: 4.99,
      price_currency: "usd",
      actually_paid: "0.00012",
      order_id: "ref",
    }),
  );
  app.get("/v1/status", (c) => c.json({ message: "OK" }));
  app.get("/v1/boom", (c) => c.text("bad gateway", 502));
  const fetch = ((url: string | URL | Request, init?: RequestInit) =>
    app.request(String(url), init)) as typeof globalThis.fetch;
  return { fetch, received };
}

describe("createNowPaymentsClient", () => {
  it("creates an invoice with an exact amount, encoded URLs and the API key header", async () => {
    const np = fakeNowPayments();
    const client = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1/",
      fetch: np.fetch,
    });
    const inv = await client.createInvoice({
      priceAmount: "4.99",
      priceCurrency: "USD",
      orderId: "rA3_kZ-0pQ9vX2mN7cT1wY",
      orderDescription: "VIP «30 days»",
      ipnCallbackUrl: "https://pay.example.com/webhooks/nowpayments",
      successUrl: "https://t.me/my_bot?start=orA3_kZ 0pQ9",
      isFeePaidByUser: true,
    });
    expect(inv).toMatchObject({
      id: "4522625843",
      orderId: "rA3_kZ-0pQ9vX2mN7cT1wY",
      priceAmount: "4.99",
      invoiceUrl: "https://nowpayments.io/payment/?iid=4522625843",
    });
    const sent = np.received[0]!;
    expect(sent.headers["x-api-key"]).toBe(API_KEY);
    expect(sent.body.startsWith('{"price_amount":4.99,')).toBe(true);
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({
      price_currency: "usd",
      order_id: "rA3_kZ-0pQ9vX2mN7cT1wY",
      is_fee_paid_by_user: true,
    });
    expect(body.success_url).toBe("https://t.me/my_bot?start=orA3_kZ%200pQ9");
  });

  it("refuses a float-looking or non-positive amount before calling out", async () => {
    const np = fakeNowPayments();
    const client = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1",
      fetch: np.fetch,
    });
    for (const priceAmount of ["1e3", "0", "-1", "abc"]) {
      await expect(
        client.createInvoice({
          priceAmount,
          priceCurrency: "usd",
          orderId: "x",
          ipnCallbackUrl: "https://a.b/c",
        }),
      ).rejects.toMatchObject({ kind: "bad_request" });
    }
    await expect(
      client.createInvoice({
        priceAmount: "1",
        priceCurrency: "usd",
        orderId: "x",
        ipnCallbackUrl: "not a url",
      }),
    ).rejects.toMatchObject({ kind: "bad_request" });
    expect(np.received).toHaveLength(0);
  });

  it("reads a payment with string/number fields into typed decimals", async () => {
    const np = fakeNowPayments();
    const client = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1",
      fetch: np.fetch,
    });
    const p = await client.getPayment("5077125051");
    expect(p).toMatchObject({
      paymentId: "5077125051",
      paymentStatus: "confirming",
      priceAmount: "4.99",
      actuallyPaid: "0.00012",
    });
    await expect(client.getPayment("../status")).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("maps a rejected key to kind auth without leaking the key", async () => {
    const np = fakeNowPayments();
    const wrong = `${API_KEY}-WRONG`;
    const client = createNowPaymentsClient({ apiKey: wrong, baseUrl: "https://np.test/v1", fetch: np.fetch });
    const err = await client.getPayment("1").catch((e) => e);
    expect(err).toBeInstanceOf(NowPaymentsError);
    expect(err).toMatchObject({ kind: "auth", status: 403 });
    expect(err.message).not.toContain(wrong);
    expect(await client.status()).toBe(false);
  });

  it("maps 5xx to unavailable, network errors to unavailable and slowness to timeout", async () => {
    const np = fakeNowPayments();
    const client = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1",
      fetch: np.fetch,
    });
    expect(await client.status()).toBe(true);
    const down = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1",
      fetch: (async () => new Response("upstream down", { status: 502 })) as typeof fetch,
    });
    await expect(down.getPayment("1")).rejects.toMatchObject({ kind: "unavailable", status: 502 });
    const refused = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:1/v1",
    });
    await expect(refused.getPayment("1")).rejects.toMatchObject({ kind: "unavailable", status: 0 });
    const slow = createNowPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "https://np.test/v1",
      timeoutMs: 50,
      fetch: ((_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => {
          init.signal!.addEventListener("abort", () => reject(init.signal!.reason));
        })) as unknown as typeof fetch,
    });
    await expect(slow.getPayment("1")).rejects.toMatchObject({ kind: "timeout" });
  });

  it("fails at construction on a missing key or a bad base URL", () => {
    expect(() => createNowPaymentsClient({ apiKey: " ", baseUrl: "https://x" })).toThrow(/apiKey/);
    expect(() => createNowPaymentsClient({ apiKey: "k", baseUrl: "nope" })).toThrow(/baseUrl/);
  });
});
