import { accessGrants, orders, users } from "@telepay/db";
import { createNowPaymentsClient } from "@telepay/payments";
import { type NowPaymentsEmulator, seedChannel, startNowPaymentsEmulator } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, runTelepayInProcess } from "./helpers.ts";

const API_KEY = "CLI-RECONCILE-KEY";
const LOGIN = { email: "ops@example.com", password: "dashboard-secret-1" };

let backend: CliBackend;
let np: NowPaymentsEmulator;
let channelId: number;
let tierId: number;
const env = () => ({
  ...backend.env,
  NOWPAYMENTS_API_KEY: API_KEY,
  NOWPAYMENTS_API_BASE: np.apiBase,
  NOWPAYMENTS_EMAIL: LOGIN.email,
  NOWPAYMENTS_PASSWORD: LOGIN.password,
});

beforeAll(async () => {
  backend = await createCliBackend();
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: "ipn", ...LOGIN });
  const db = backend.database.db;
  await db.insert(users).values({ telegramId: 5_500_001n, firstName: "Payer" });
  const { channel, tier } = await seedChannel(db, {
    ownerTelegramId: 5_500_002n,
    values: { payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb", payoutCurrency: "usdttrc20" },
    tiers: [{ price: "9.99", durationDays: 30 }],
  });
  channelId = channel.id;
  tierId = tier.id;
}, 120_000);
afterAll(async () => {
  await np?.stop();
  await backend?.close();
});

describe("telepay payments reconcile", () => {
  it("--order finds a payment whose IPNs were all dropped and records it as paid", async () => {
    const reference = `cli_rc_${Date.now().toString(36)}`;
    const invoice = await createNowPaymentsClient({ apiKey: API_KEY, baseUrl: np.apiBase }).createInvoice({
      priceAmount: "9.99",
      priceCurrency: "USD",
      orderId: reference,
      ipnCallbackUrl: "http://127.0.0.1:9/webhooks/nowpayments",
    });
    const [order] = await backend.database.db
      .insert(orders)
      .values({
        reference,
        kind: "subscription",
        userId: 5_500_001n,
        channelId,
        tierId,
        durationDays: 30,
        amount: "9.99",
        currency: "USD",
        invoiceId: invoice.id,
      })
      .returning();
    np.dropIpns(true);
    await np.payInvoice(invoice.id);
    np.dropIpns(false);

    const dry = await runTelepayInProcess(
      ["payments", "reconcile", "--order", reference, "--dry-run", "--json"],
      env(),
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).orders[0].payments[0]).toMatchObject({
      remoteStatus: "finished",
      outcome: null,
    });

    const run = await runTelepayInProcess(["payments", "reconcile", "--order", reference, "--json"], env());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ checked: 1, recorded: 1, errors: 0 });
    expect(body.orders[0]).toMatchObject({ orderReference: reference, statusAfter: "finished" });
    const [row] = await backend.database.db.select().from(orders).where(eq(orders.id, order!.id));
    expect(row!.status).toBe("finished");
    const [grant] = await backend.database.db
      .select()
      .from(accessGrants)
      .where(eq(accessGrants.orderId, order!.id));
    expect(grant?.state).toBe("owed");
    // The password never reaches the output.
    expect(run.stdout).not.toContain(LOGIN.password);
  });

  it("refuses with a one-line reason: no API key, an unknown order, a malformed reference, half a login", async () => {
    const noKey = await runTelepayInProcess(["payments", "reconcile"], backend.env);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/needs NOWPAYMENTS_API_KEY/);
    const unknown = await runTelepayInProcess(["payments", "reconcile", "--order", "nope_123"], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no order with reference 'nope_123'/);
    const bad = await runTelepayInProcess(["payments", "reconcile", "--order", "a b"], env());
    expect(bad.code).toBe(2);
    const half = await runTelepayInProcess(["payments", "reconcile"], { ...env(), NOWPAYMENTS_PASSWORD: "" });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/NOWPAYMENTS_PASSWORD/);
  });
});
