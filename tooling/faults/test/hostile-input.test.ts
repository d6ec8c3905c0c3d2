/**
 * Hostile input against the running composition (standalone on a real port; a second ingress
 * configured as behind Cloud Run's proxy for the X-Forwarded-For cases): forged and tampered IPN
 * signatures, replayed / stale / foreign internal signatures and ones made for another route,
 * forged Pub/Sub pushes, spoofed X-Forwarded-For, oversize (announced or chunked) and malformed bodies, SQL and HTML in every owner-editable text rendered into Telegram (the emulator
 * rejects malformed HTML, as Telegram does), and deep links that are too long or name someone
 * else's order. Runs on PGlite and Postgres.
 */
import { randomBytes } from "node:crypto";
import { channels, orders, outbox, payments, subscriptions } from "@telepay/db";
import { encodeEnvelope, enqueue, parseEvent, TOPICS } from "@telepay/events";
import { signIpn } from "@telepay/payments";
import { signInternalRequest } from "@telepay/security";
import { createStandalone, type Standalone } from "@telepay/standalone";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  postOversize,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Served, serveFetch } from "../src/serve.ts";
import {
  API_KEY,
  eventually,
  IPN_SECRET,
  memoryLogger,
  type PlacedOrder,
  placeOrder,
  type SeededChannel,
  SIGNING_SECRET,
  seedChannel,
  seedUser,
} from "../src/world.ts";

/** SQL and HTML an owner might type (or paste) into any text field. */
const EVIL = `<b>x</b> & <script>alert(1)</script> "'; DROP TABLE channels; -- <a href="javascript:1">`;
const NOWPAYMENTS_IP = "51.89.194.21";

let database: TestDatabase;
let tg: BotApiEmulator;
let np: NowPaymentsEmulator;
let standalone: Standalone;
let served: Served;
let proxied: Served;
let channel: SeededChannel;
let ipnUrl: string;
const log = memoryLogger("standalone");

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
      allowedIps: ["127.0.0.1"],
      // Hostile requests are failures the limiter counts; these tests are about the checks behind it.
      rateLimit: { perMinute: 10_000, burst: 10_000 },
      trustedProxyHops: 0,
      sweepIntervalMs: 3_600_000,
      relayIntervalMs: 200,
    },
    logger: log.logger,
  });
  served = await serveFetch(standalone.app.fetch);
  await standalone.start();
  ipnUrl = `${served.url}/webhooks/nowpayments`;
  // The same ingress as deployed behind one proxy (Cloud Run) with NOWPayments' address allowed.
  const behindProxy = await createIngress({
    db: database,
    config: {
      ipnSecret: IPN_SECRET,
      allowedIps: [`${NOWPAYMENTS_IP}/32`],
      trustedProxyHops: 1,
      rateLimit: { perMinute: 10_000, burst: 10_000 },
    },
    logger: memoryLogger("proxied").logger,
  });
  proxied = await serveFetch(behindProxy.app.fetch);
  channel = await seedChannel(database, tg, {
    ownerId: 9_300_001,
    openTitle: `Open ${EVIL}`,
    closedTitle: `Closed ${EVIL}`,
    description: `About ${EVIL}`,
    donationMessage: `Thanks ${EVIL}`,
    tiers: [
      { price: "9.99", durationDays: 30, label: `Monthly ${EVIL}` },
      { price: "99", durationDays: 365, label: `Yearly ${EVIL}` },
    ],
  });
});

afterAll(async () => {
  await standalone?.stop();
  await served?.close();
  await proxied?.close();
  await np?.stop();
  await tg?.stop();
  await database?.close();
});

const post = (url: string, body: string | ReadableStream, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);

const orderRow = async (id: number) => (await database.db.select().from(orders).where(eq(orders.id, id)))[0]!;
let nextUser = 8_400_000;
const newCustomer = async () => {
  const id = ++nextUser;
  await seedUser(database, tg, id, `Customer ${id}`);
  return id;
};

/** Sends a private message to the bot and resolves with the bot's replies that follow it. */
async function say(from: number, text: string, replies = 1) {
  const before = tg.messages(from).filter((m) => m.from_id === tg.botId).length;
  tg.sendUserMessage({ from, text });
  await eventually(
    () => tg.messages(from).filter((m) => m.from_id === tg.botId).length >= before + replies,
    `the bot to answer "${text.slice(0, 40)}"`,
    15_000,
    50,
  );
  return tg
    .messages(from)
    .filter((m) => m.from_id === tg.botId)
    .slice(before);
}

describe("IPN signatures", () => {
  it("forged, missing and tampered signatures are refused with nothing recorded; the genuine IPN then works", async () => {
    const order: PlacedOrder = await placeOrder(database, np, {
      channel,
      userId: await newCustomer(),
      ipnUrl,
    });
    const forged = await np.sendIpn(order.invoiceId, "finished", { signatureOverride: "ab".repeat(64) });
    const missing = await np.sendIpn(order.invoiceId, "finished", { skipSignature: true });
    // A real signature, over a different body: a cheaper price pasted into a captured IPN.
    const genuine = np.payment(np.ipns.at(-1)!.paymentId)!;
    const tampered = { ...genuine, payment_status: "finished", price_amount: 0.01 };
    const tamperedRes = await post(ipnUrl, JSON.stringify(tampered), {
      "x-nowpayments-sig": signIpn({ ...tampered, price_amount: Number(genuine.price_amount) }, IPN_SECRET),
    });
    expect([forged.status, missing.status, tamperedRes.status]).toEqual([401, 401, 401]);
    expect((await orderRow(order.id)).status).toBe("waiting");
    expect(
      await database.db.select().from(payments).where(eq(payments.orderReference, order.reference)),
    ).toEqual([]);
    expect((await np.sendIpn(order.invoiceId, "finished")).status).toBe(200);
    expect((await orderRow(order.id)).status).toBe("finished");
  });
});

describe("internal signed routes (/jobs/*)", () => {
  const sweepUrl = () => `${served.url}/jobs/sweep`;
  const sweep = (body: string) => ({ method: "POST", path: "/jobs/sweep", body });
  it("a signature works once: replayed, stale, foreign-secret and body-swapped signatures get 401", async () => {
    const body = JSON.stringify({ dryRun: true });
    const signature = signInternalRequest(sweep(body), SIGNING_SECRET);
    const first = await post(sweepUrl(), body, { "x-signature": signature });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({});
    const replayed = await post(sweepUrl(), body, { "x-signature": signature });
    const stale = await post(sweepUrl(), body, {
      "x-signature": signInternalRequest(sweep(body), SIGNING_SECRET, Math.floor(Date.now() / 1000) - 301),
    });
    const foreign = await post(sweepUrl(), body, {
      "x-signature": signInternalRequest(sweep(body), "someone-elses-secret-0123456789"),
    });
    const fresh = signInternalRequest(sweep(body), SIGNING_SECRET);
    const swapped = await post(sweepUrl(), JSON.stringify({ dryRun: false }), { "x-signature": fresh });
    const unsigned = await post(sweepUrl(), body);
    expect([replayed.status, stale.status, foreign.status, swapped.status, unsigned.status]).toEqual([
      401, 401, 401, 401, 401,
    ]);
  });

  it("a correctly signed body that is not JSON, or has unknown fields, is a 400", async () => {
    for (const body of ["{not json", JSON.stringify({ dryRun: true, drop: "table" })]) {
      const res = await post(sweepUrl(), body, {
        "x-signature": signInternalRequest(sweep(body), SIGNING_SECRET),
      });
      expect(res.status, body).toBe(400);
    }
  });

  it("a signature captured from POST /jobs/relay with {} opens neither /jobs/sweep nor another query string", async () => {
    const relay = signInternalRequest({ method: "POST", path: "/jobs/relay", body: "{}" }, SIGNING_SECRET);
    const onSweep = await post(sweepUrl(), "{}", { "x-signature": relay });
    const dry = signInternalRequest(
      { method: "POST", path: "/jobs/sweep?dryRun=1", body: "{}" },
      SIGNING_SECRET,
    );
    const otherQuery = await post(`${sweepUrl()}?dryRun=0`, "{}", { "x-signature": dry });
    expect([onSweep.status, otherQuery.status]).toEqual([401, 401]);
    // Made for /jobs/relay, it still works there (once): the failed attempts did not spend it.
    expect((await post(`${served.url}/jobs/relay`, "{}", { "x-signature": relay })).status).toBe(200);
  });

  it("an 8 MiB body under a well-formed forged signature is refused with 413 before it is read", async () => {
    for (const path of ["/jobs/sweep", "/jobs/relay"]) {
      for (const framing of ["content-length", "chunked"] as const) {
        const forged = `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString("hex")}`;
        const res = await postOversize(`${served.url}${path}`, {
          framing,
          headers: { "x-signature": forged },
        });
        expect([res.status, res.finished], `${path} ${framing}`).toEqual([413, false]);
        expect(JSON.parse(res.body).error.code).toBe("PAYLOAD_TOO_LARGE");
      }
    }
  });
});

describe("forged Pub/Sub push", () => {
  it("there is no /pubsub/push to post a forged payment.confirmed to: 404, no access, no DM", async () => {
    const customer = await newCustomer();
    const order = await placeOrder(database, np, { channel, userId: customer, ipnUrl });
    const tier = channel.tiers[0]!;
    const wire = encodeEnvelope({
      id: crypto.randomUUID(),
      topic: TOPICS.paymentConfirmed,
      occurredAt: new Date().toISOString(),
      data: parseEvent(TOPICS.paymentConfirmed, {
        orderId: order.id,
        orderReference: order.reference,
        kind: "subscription",
        userId: String(customer),
        channelId: channel.id,
        tierId: tier.id,
        amount: tier.price,
        currency: "USD",
        durationDays: tier.durationDays,
        paymentId: "forged-push-1",
        actuallyPaid: tier.price,
        payCurrency: "usdttrc20",
        paidAt: new Date().toISOString(),
      }),
    });
    const res = await post(
      `${served.url}/pubsub/push`,
      JSON.stringify({
        message: { data: wire.data.toString("base64"), attributes: wire.attributes, messageId: "42" },
        subscription: "projects/telepay/subscriptions/notifier-payment-confirmed",
      }),
    );
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await database.db
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.userId, BigInt(customer))),
    ).toEqual([]);
    expect(tg.messages(customer).filter((m) => m.from_id === tg.botId)).toEqual([]);
    expect((await orderRow(order.id)).status).toBe("waiting");
  });
});

describe("X-Forwarded-For behind one trusted proxy, NOWPayments' address allowed", () => {
  const signedUnknownIpn = () => {
    const body = {
      payment_id: 5_999_000_000 + Math.floor(Math.random() * 1e6),
      payment_status: "finished",
      price_amount: 1,
      price_currency: "usd",
      pay_amount: 1,
      actually_paid: 1,
      pay_currency: "usdttrc20",
      order_id: null,
      updated_at: Date.now(),
    };
    return { raw: JSON.stringify(body), sig: signIpn(body, IPN_SECRET) };
  };
  it("only the address the proxy appended counts: a client-written NOWPayments address is refused", async () => {
    const url = `${proxied.url}/webhooks/nowpayments`;
    const a = signedUnknownIpn();
    // The proxy appended the caller's real address after the spoofed one.
    const spoofed = await post(url, a.raw, {
      "x-nowpayments-sig": a.sig,
      "x-forwarded-for": `${NOWPAYMENTS_IP}, 203.0.113.9`,
    });
    const many = await post(url, a.raw, {
      "x-nowpayments-sig": a.sig,
      "x-forwarded-for": `${NOWPAYMENTS_IP}, ${NOWPAYMENTS_IP}, 203.0.113.9`,
    });
    const none = await post(url, a.raw, { "x-nowpayments-sig": a.sig });
    expect([spoofed.status, many.status, none.status]).toEqual([403, 403, 403]);
    const b = signedUnknownIpn();
    const genuine = await post(url, b.raw, { "x-nowpayments-sig": b.sig, "x-forwarded-for": NOWPAYMENTS_IP });
    expect(genuine.status).toBe(200);
  });
});

describe("oversize and malformed IPN bodies", () => {
  it("over 64 KiB is 413 (with or without Content-Length); malformed JSON is 400; nothing recorded", async () => {
    const before = (await database.db.select().from(payments)).length;
    const big = JSON.stringify({ payment_id: 1, pad: "x".repeat(70 * 1024) });
    const sized = await post(ipnUrl, big, { "x-nowpayments-sig": signIpn(JSON.parse(big), IPN_SECRET) });
    const chunks = new TextEncoder().encode(big);
    const streamed = await post(
      ipnUrl,
      new ReadableStream({
        start(controller) {
          for (let i = 0; i < chunks.length; i += 8192) controller.enqueue(chunks.slice(i, i + 8192));
          controller.close();
        },
      }),
      { "x-nowpayments-sig": "00" },
    );
    expect([sized.status, streamed.status]).toEqual([413, 413]);
    for (const raw of ["{not json", '{"payment_id": 1,', "", "\u0000"]) {
      const res = await post(ipnUrl, raw, { "x-nowpayments-sig": "ab".repeat(64) });
      expect(res.status, JSON.stringify(raw)).toBe(400);
    }
    expect((await database.db.select().from(payments)).length).toBe(before);
  });
});

describe("SQL and HTML in every owner-editable text", () => {
  const sentOk = () => tg.calls.filter((c) => c.ok && /^(sendMessage|editMessageText)$/.test(c.method));
  const parseErrors = () =>
    tg.calls.filter((c) => !c.ok && /parse entities/i.test(JSON.stringify(c.response)));
  const shows = (m: { plainText?: string | undefined; reply_markup: unknown }, text: string) =>
    (m.plainText ?? "").includes(text) ||
    JSON.stringify(m.reply_markup ?? "").includes(JSON.stringify(text).slice(1, -1));

  it("posts, menus, invites and owner notices are sent and show the text literally", async () => {
    // The channel's posts (tier post in the open channel, donation post in the closed one).
    await database.db.transaction((tx) =>
      enqueue(tx, TOPICS.channelPublishRequested, { channelId: channel.id, requestedBy: "owner" }),
    );
    standalone.relay.kick();
    const openPost = await eventually(
      () => tg.messages(channel.openChatId).find((m) => m.from_id === tg.botId),
      "the tier post",
      15_000,
    );
    const donationPost = await eventually(
      () => tg.messages(channel.closedChatId).find((m) => m.from_id === tg.botId),
      "the donation post",
      15_000,
    );
    expect(shows(openPost, `Monthly ${EVIL}`) || shows(openPost, `About ${EVIL}`)).toBe(true);
    expect(openPost.text).not.toContain("<script>");
    expect(shows(donationPost, `Thanks ${EVIL}`) || shows(donationPost, `Closed ${EVIL}`)).toBe(true);

    // The bot's tier menu, a tier offer and the donation prompt.
    const customer = await newCustomer();
    const menu = await say(customer, `/start c${channel.id}`);
    expect(
      menu.some((m) => shows(m, `Monthly ${EVIL}`) || shows(m, `Open ${EVIL}`) || shows(m, `Closed ${EVIL}`)),
    ).toBe(true);
    await say(customer, `/start d${channel.id}`);

    // A payment: the access DM and the owner's notice carry the title and tier label.
    const order = await placeOrder(database, np, { channel, userId: customer, ipnUrl });
    expect((await np.sendIpn(order.invoiceId, "finished")).status).toBe(200);
    const invite = await eventually(
      () =>
        tg
          .messages(customer)
          .find((m) => m.from_id === tg.botId && (m.plainText ?? "").includes("Payment received")),
      "the access DM",
      15_000,
    );
    expect(invite.plainText).toContain(`Closed ${EVIL}`);
    expect(invite.plainText).toContain(`Monthly ${EVIL}`);
    const notice = await eventually(
      () =>
        tg
          .messages(channel.ownerId)
          .find((m) => m.from_id === tg.botId && (m.plainText ?? "").includes(order.reference)),
      "the owner notice",
      15_000,
    );
    expect(notice.plainText).toContain(`Closed ${EVIL}`);
    expect(notice.text).toContain("&lt;script&gt;");

    expect(parseErrors()).toEqual([]);
    expect(sentOk().length).toBeGreaterThanOrEqual(5);
    // And the SQL stayed text.
    expect(
      (await database.db.select().from(channels).where(eq(channels.id, channel.id)))[0]!.closedTitle,
    ).toBe(`Closed ${EVIL}`);
  });
});

describe("deep links", () => {
  it("someone else's order reveals nothing: not by /start o…, not by forged status or invoice buttons", async () => {
    const alice = await newCustomer();
    const mallory = await newCustomer();
    const order = await placeOrder(database, np, { channel, userId: alice, ipnUrl });
    const invoiceUrl = (await orderRow(order.id)).invoiceUrl!;
    const invoicesBefore = np.invoices.length;
    const replies = await say(mallory, `/start o${order.reference}`);
    for (const data of [`ost:${order.reference}`, `oinv:${order.reference}`]) {
      tg.injectUpdate({
        callback_query: {
          id: `cb-${data}`,
          from: { id: mallory, is_bot: false, first_name: "Mallory" },
          chat_instance: "ci",
          message: replies[0]
            ? { message_id: replies[0].message_id, date: 0, chat: { id: mallory, type: "private" } }
            : undefined,
          data,
        },
      });
    }
    await eventually(
      () =>
        tg.calls.filter(
          (c) => c.method === "answerCallbackQuery" && String(c.params.callback_query_id).startsWith("cb-"),
        ).length >= 2,
      "both callbacks answered",
      15_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    const seen = JSON.stringify(
      tg
        .messages(mallory)
        .filter((m) => m.from_id === tg.botId)
        .map((m) => [m.text, m.reply_markup, m.edits]),
    );
    expect(replies[0]!.plainText).toContain("can't find that order");
    for (const secret of [invoiceUrl, order.reference, "9.99", `Customer ${alice}`])
      expect(seen).not.toContain(secret);
    expect(np.invoices.length).toBe(invoicesBefore);
    expect((await orderRow(order.id)).userId).toBe(BigInt(alice));
  });

  it("payloads that are too long, malformed or carry SQL get a plain 'not recognised' and change nothing", async () => {
    const user = await newCustomer();
    const ordersBefore = (await database.db.select().from(orders)).length;
    const outboxBefore = (await database.db.select().from(outbox)).length;
    for (const payload of [
      `c${"1".repeat(100)}`,
      `o${"A".repeat(80)}`,
      `t${channel.id}_${"9".repeat(40)}`,
      `c${channel.id}'; DROP TABLE orders; --`,
      `d-${channel.id}`,
      "<b>hi</b>",
    ]) {
      const [reply] = await say(user, `/start ${payload}`);
      expect(reply!.plainText, payload).toMatch(/doesn't lead anywhere|can't find/);
    }
    expect((await database.db.select().from(orders)).length).toBe(ordersBefore);
    expect((await database.db.select().from(outbox)).length).toBe(outboxBefore);
    expect(tg.calls.filter((c) => !c.ok && c.method === "sendMessage")).toEqual([]);
  });
});
