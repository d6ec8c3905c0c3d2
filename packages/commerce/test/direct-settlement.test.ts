import { accessGrants, channels, checkouts, orders, tiers, users } from "@telepay/db";
import { createNowPaymentsClient, ipnToPaymentReport } from "@telepay/payments";
import {
  createTestDatabase,
  type NowPaymentsEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CommerceError,
  createChannels,
  createCheckouts,
  createOrders,
  createPayments,
  createReconciler,
  createReports,
  createSettlement,
} from "../src/index.ts";

/** SETTLEMENT=direct through the real database and the NOWPayments emulator (docs/settlement.md). */

const API_KEY = "DIRECT-KEY";
const POLICY = { underpaidTolerancePercent: "1" };
const OWNER_WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";
const COINS = ["btc", "usdttrc20"];
const IPN_URL = "http://127.0.0.1:9/webhooks/nowpayments";
const MINUTE = 60_000;

let database: TestDatabase;
let np: NowPaymentsEmulator;
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: "ipn-secret" });
  await database.db.insert(users).values({ telegramId: 7001n, firstName: "Payer" }).onConflictDoNothing();
});
afterAll(async () => {
  await np?.stop();
  await database?.close();
});

const client = () => createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase });
const deps = () => ({ db: database.db, payoutAddresses: client() });

async function register(wallet = OWNER_WALLET, currency = "usdttrc20") {
  const n = ++seq;
  return createChannels(deps()).register(
    { kind: "cli" },
    {
      ownerTelegramId: 7100n + BigInt(n),
      openChatId: -7_000_000n - BigInt(n * 2),
      closedChatId: -7_000_001n - BigInt(n * 2),
      tiers: [{ price: "4.99", durationDays: 30, label: "Month" }],
      priceCurrency: "USD",
      payoutWallet: wallet,
      payoutCurrency: currency,
    },
  );
}

async function openOrder(channelId: number) {
  const [tier] = await database.db.select().from(tiers).where(eq(tiers.channelId, channelId));
  return createOrders(deps()).open({
    userId: 7001n,
    item: { kind: "subscription", channelId, tier: tier! },
    reuseMs: 60_000,
  });
}

const checkoutsCore = () => createCheckouts(deps());
const startCheckout = (orderId: number, payCurrency = "usdttrc20", userId = 7001n) =>
  checkoutsCore().open({
    orderId,
    userId,
    payCurrency,
    allowedCoins: COINS,
    gateway: client(),
    ipnCallbackUrl: IPN_URL,
  });

describe("direct settlement", () => {
  it("refuses a wallet NOWPayments cannot pay out to, and stores nothing", async () => {
    const before = await database.db.select().from(channels);
    const wrongChain = await register(`0x${"cd".repeat(20)}`, "usdttrc20").catch((e: unknown) => e);
    expect(wrongChain).toBeInstanceOf(CommerceError);
    expect(wrongChain).toMatchObject({
      code: "INVALID",
      details: { field: "payoutWallet", reason: "refused" },
    });
    expect((wrongChain as Error).message).toContain("Invalid payout_address");
    // An outage is not a verdict: the owner is told to try again, nothing is stored either.
    np.failNext({ status: 503 });
    const outage = await register().catch((e: unknown) => e);
    expect(outage).toMatchObject({ code: "INVALID", details: { reason: "unavailable" } });
    expect(await database.db.select().from(channels)).toHaveLength(before.length);
    expect(np.requests.filter((r) => r.path === "/v1/payout/validate-address").length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it("creates the payment with the owner's wallet as payout address; a repeated tap reuses it", async () => {
    const { channel } = await register();
    const order = await openOrder(channel.id);
    const checkout = await startCheckout(order.id);
    const remote = np.payment(checkout.paymentId)!;
    expect(remote).toMatchObject({
      payout_address: OWNER_WALLET,
      payout_currency: "usdttrc20",
      order_id: order.reference,
      price_amount: 4.99,
      pay_currency: "usdttrc20",
    });
    expect(checkout).toMatchObject({
      payAmount: "4.99",
      payAddress: remote.pay_address,
      payoutAddress: OWNER_WALLET,
    });
    expect(checkout.expiresAt).toBeInstanceOf(Date);
    const again = await startCheckout(order.id);
    expect(again.id).toBe(checkout.id);
    expect(np.payments.filter((p) => p.order_id === order.reference)).toHaveLength(1);
    const [stored] = await database.db.select().from(orders).where(eq(orders.id, order.id));
    expect(stored!.status).toBe("waiting");
  });

  it("only the payer opens a checkout, only in an offered coin", async () => {
    const { channel } = await register();
    const order = await openOrder(channel.id);
    await expect(startCheckout(order.id, "usdttrc20", 9999n)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(startCheckout(order.id, "doge")).rejects.toMatchObject({
      code: "INVALID",
      details: { field: "payCurrency" },
    });
    expect(np.payments.filter((p) => p.order_id === order.reference)).toHaveLength(0);
  });

  it("a paid direct payment grants access through the IPN path and is never owed by the operator", async () => {
    const { channel } = await register();
    const order = await openOrder(channel.id);
    const checkout = await startCheckout(order.id);
    // What the IPN route does with a verified body: the same report, the same record call.
    np.dropIpns(true);
    await np.payPayment(checkout.paymentId, ["waiting", "confirming", "finished"]);
    np.dropIpns(false);
    const report = ipnToPaymentReport(await client().getPayment(checkout.paymentId));
    const recorded = await createPayments(deps()).record(report, POLICY);
    expect(recorded).toMatchObject({ outcome: "confirmed", orderStatus: "finished" });
    const grants = await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id));
    expect(grants).toHaveLength(1);
    // Settled straight to the owner: the ledger has nothing due for it.
    const balances = await createSettlement(deps()).balances({ channelId: channel.id });
    expect(balances).toEqual([]);
    // The owner's dashboard counts the in-chat payment as the funnel's "invoice made", and paid.
    const dashboard = await createReports(deps()).channel(channel.id);
    expect(dashboard.funnel).toMatchObject({ invoices: 1, paid: 1 });
  });

  it("reconciles a direct payment by its id with the API key alone when every IPN was lost", async () => {
    const { channel } = await register();
    const order = await openOrder(channel.id);
    const checkout = await startCheckout(order.id, "btc");
    await database.db
      .update(orders)
      .set({ createdAt: new Date(Date.now() - 10 * MINUTE) })
      .where(eq(orders.id, order.id));
    np.dropIpns(true);
    await np.payPayment(checkout.paymentId, ["confirming", "finished"]);
    np.dropIpns(false);
    // No dashboard login: the client cannot list payments, only ask for one by id.
    const reconciler = createReconciler({ db: database.db, source: client(), policy: POLICY });
    const result = await reconciler.run();
    const mine = result.orders.find((o) => o.orderId === order.id);
    expect(mine).toMatchObject({ statusBefore: "waiting", statusAfter: "finished", result: "recorded" });
    expect(np.requests.some((r) => r.path === `/v1/payment/${checkout.paymentId}` && r.status === 200)).toBe(
      true,
    );
    expect(np.requests.some((r) => r.path === "/v1/auth")).toBe(false);
  });

  it("lists checkout messages whose payment moved on, until they are marked shown", async () => {
    const { channel } = await register();
    const order = await openOrder(channel.id);
    const checkout = await startCheckout(order.id);
    const core = checkoutsCore();
    await core.attachMessage(checkout.id, { chatId: 7001n, messageId: 55, shownStatus: "waiting" });
    expect(await core.staleMessages({ orderIds: [order.id] })).toEqual([]);
    np.dropIpns(true);
    await np.sendPaymentIpn(checkout.paymentId, "confirming");
    np.dropIpns(false);
    await createPayments(deps()).record(
      ipnToPaymentReport(await client().getPayment(checkout.paymentId)),
      POLICY,
    );
    const stale = await core.staleMessages({ orderIds: [order.id] });
    expect(stale.map((s) => [s.checkout.id, s.status])).toEqual([[checkout.id, "confirming"]]);
    expect(await core.markShown(checkout.id, "waiting", "confirming")).toBe(true);
    // A second worker that read the old state records nothing.
    expect(await core.markShown(checkout.id, "waiting", "confirming")).toBe(false);
    expect(await core.staleMessages({ orderIds: [order.id] })).toEqual([]);
    const [row] = await database.db.select().from(checkouts).where(eq(checkouts.id, checkout.id));
    expect(row).toMatchObject({ chatId: 7001n, messageId: 55, shownStatus: "confirming" });
  });
});
