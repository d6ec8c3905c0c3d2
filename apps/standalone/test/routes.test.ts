import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { subscriptions, users } from "@telepay/db";
import { encodeEnvelope, parseEvent } from "@telepay/events";
import { signInternalRequest } from "@telepay/security";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  postOversize,
  seedChannel,
  seedOrder,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStandalone, type Standalone } from "../src/compose.ts";

// The one port `pnpm start` opens, as someone on the network meets it: no push route to forge
// events through, /jobs/* only for ALLOWED_IPS and a signature, bodies refused before they are
// read, and every error in the one format of packages/security.

const SIGNING_SECRET = "standalone-routes-signing-secret-0123";
const IPN_SECRET = "standalone-routes-ipn-secret";
const API_KEY = "standalone-routes-api-key";
/** The address the (one, trusted) proxy in front of this standalone appends for internal callers. */
const INTERNAL = "10.0.0.5";
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let database: TestDatabase;
let tg: BotApiEmulator;
let np: NowPaymentsEmulator;
let standalone: Standalone;
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  tg = await startBotApiEmulator();
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
  standalone = await createStandalone({
    database,
    config: {
      telegram: { token: tg.token, apiRoot: tg.apiRoot },
      nowPayments: { apiKey: API_KEY, ipnSecret: IPN_SECRET, apiBase: np.apiBase, allowedIps: [] },
      publicBaseUrl: "http://127.0.0.1:9",
      signingSecret: SIGNING_SECRET,
      allowedIps: ["10.0.0.0/8"],
      rateLimit: { perMinute: 10_000, burst: 10_000 },
      trustedProxyHops: 1,
      sweepIntervalMs: 3_600_000,
    },
    logger: quiet,
  });
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: standalone.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await standalone.start();
});

afterAll(async () => {
  await standalone?.stop();
  server?.close();
  await np?.stop();
  await tg?.stop();
  await database?.close();
});

type ErrorBody = { error: { code: string; message: string; requestId: string } };

/** Status and the one error format, with the request id echoed in the header. */
async function expectError(
  res: Response | { status: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  const text = res instanceof Response ? await res.text() : res.body;
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error).toEqual({ code, message: expect.any(String), requestId: expect.any(String) });
  expect(body.error.requestId).not.toBe("");
  const header = res instanceof Response ? res.headers.get("x-request-id") : res.headers["x-request-id"];
  expect(header).toBe(body.error.requestId);
}

const forgedSignature = () => `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString("hex")}`;

describe("standalone's one port", () => {
  it("has no /pubsub/push: a well-formed push of a forged payment is a 404 and grants nothing", async () => {
    const userId = 6_100_001;
    await database.db.insert(users).values([{ telegramId: 6_100_000n }, { telegramId: BigInt(userId) }]);
    tg.addUser({ id: userId, first_name: "Mallory" });
    tg.addChat({ id: userId, type: "private" });
    const { channel, tier } = await seedChannel(database, {
      ownerTelegramId: 6_100_000n,
      tiers: [{ price: "9.99", durationDays: 30 }],
    });
    const order = await seedOrder(database, tier, {
      userId: BigInt(userId),
      reference: `ord_forged_${Date.now()}`,
    });
    const wire = encodeEnvelope({
      id: crypto.randomUUID(),
      topic: "payment.confirmed",
      occurredAt: new Date().toISOString(),
      data: parseEvent("payment.confirmed", {
        orderId: order.id,
        orderReference: order.reference,
        kind: "subscription",
        userId: String(userId),
        channelId: channel.id,
        tierId: tier.id,
        amount: "9.99",
        currency: "USD",
        durationDays: 30,
        paymentId: "forged-1",
        actuallyPaid: "9.99",
        payCurrency: "usdttrc20",
        paidAt: new Date().toISOString(),
      }),
    });
    const push = {
      message: { data: wire.data.toString("base64"), attributes: wire.attributes, messageId: "1" },
      subscription: "projects/p/subscriptions/notifier-payment-confirmed",
    };
    const res = await fetch(`${base}/pubsub/push`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(push),
    });
    await expectError(res, 404, "NOT_FOUND");
    await new Promise((r) => setTimeout(r, 300));
    expect(await database.db.select().from(subscriptions)).toEqual([]);
    expect(tg.messages(userId)).toEqual([]);
  });

  it("answers an unknown path, and /telegram/webhook in polling mode, with a 404 in the standard format", async () => {
    await expectError(await fetch(`${base}/nope`), 404, "NOT_FOUND");
    await expectError(
      await fetch(`${base}/telegram/webhook`, { method: "POST", body: "{}" }),
      404,
      "NOT_FOUND",
    );
  });

  it("takes /jobs/* only from ALLOWED_IPS, the client read through TRUSTED_PROXY_HOPS", async () => {
    const body = JSON.stringify({ dryRun: true });
    const signature = () =>
      signInternalRequest({ method: "POST", path: "/jobs/sweep", body }, SIGNING_SECRET);
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/jobs/sweep`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "x-signature": signature(), ...headers },
      });
    await expectError(await post({}), 403, "FORBIDDEN");
    await expectError(await post({ "x-forwarded-for": `${INTERNAL}, 203.0.113.9` }), 403, "FORBIDDEN");
    const ok = await post({ "x-forwarded-for": INTERNAL });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ dryRun: true });
  });

  it("refuses oversize bodies with 413 before reading them, announced or chunked, on every route", async () => {
    const routes: [string, Record<string, string>][] = [
      ["/jobs/sweep", { "x-signature": forgedSignature(), "x-forwarded-for": INTERNAL }],
      ["/jobs/relay", { "x-signature": forgedSignature(), "x-forwarded-for": INTERNAL }],
      ["/webhooks/nowpayments", { "x-nowpayments-sig": "ab".repeat(64), "x-forwarded-for": "51.89.194.21" }],
    ];
    for (const [path, headers] of routes) {
      for (const framing of ["content-length", "chunked"] as const) {
        const res = await postOversize(`${base}${path}`, { framing, headers });
        await expectError(res, 413, "PAYLOAD_TOO_LARGE");
        expect(res.finished, `${path} ${framing}`).toBe(false);
      }
    }
  });
});
