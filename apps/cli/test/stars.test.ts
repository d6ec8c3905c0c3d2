import { createCommerce } from "@telepay/commerce";
import { accessGrants, auditLog, channels, orders, tiers, users } from "@telepay/db";
import { type BotApiEmulator, startBotApiEmulator } from "@telepay/testing";
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, pool, type RunResult, runTelepayInProcess } from "./helpers.ts";

let backend: CliBackend;
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);

beforeAll(async () => {
  backend = await createCliBackend();
}, 60_000);
afterAll(async () => {
  await backend?.close();
});

function json(result: RunResult) {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

let chat = -1001770000000;
function addArgs(...extra: string[]) {
  return [
    "channel",
    "add",
    "--owner",
    "111",
    "--open",
    String(--chat),
    "--closed",
    String(--chat),
    "--tier",
    "9.99:30:Monthly",
    "--tier",
    "99:365:Yearly",
    "--wallet",
    "TXYZabcdefgh12345",
    "--currency",
    "usdttrc20",
    ...extra,
  ];
}

describe("channel add --rails --stars", () => {
  it("stores the rails and one Stars price per tier; channel show --json reports them", async () => {
    const created = json(await telepay(...addArgs("--rails", "both", "--stars", "250,2000"), "--json"));
    expect(created.rails).toBe("both");
    expect(created.tiers.map((t: { starsPrice: number }) => t.starsPrice)).toEqual([250, 2000]);
    const shown = json(await telepay("channel", "show", String(created.id), "--json"));
    expect(shown.rails).toBe("both");
    expect(shown.tiers.map((t: { starsPrice: number | null }) => t.starsPrice)).toEqual([250, 2000]);
    const human = await telepay("channel", "show", String(created.id));
    expect(human.stdout).toContain("rails          both");
  }, 60_000);

  it("defaults to crypto without Stars prices", async () => {
    const created = json(await telepay(...addArgs(), "--json"));
    expect(created.rails).toBe("crypto");
    expect(created.tiers.map((t: { starsPrice: number | null }) => t.starsPrice)).toEqual([null, null]);
  }, 60_000);

  it("refuses bad rails and Stars prices in one line, changing nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["--rails", "paypal"], /--rails must be crypto, stars or both/],
      [["--rails", "stars"], /--rails stars\|both needs --stars/],
      [["--rails", "both", "--stars", "250"], /--stars needs one price per --tier \(2\), got 1/],
      [["--rails", "stars", "--stars", "250,0"], /--stars price for tier 2 must be a whole number/],
      [["--rails", "stars", "--stars", "250,10001"], /--stars price for tier 2 must be a whole number/],
      [["--rails", "stars", "--stars", "2.5,10"], /--stars price for tier 1 must be a whole number/],
      [["--rails", "stars", "--stars", "abc,10"], /--stars price for tier 1 must be a whole number/],
    ];
    const { db } = backend.database;
    const snapshot = async () => ({
      channels: (await db.select({ n: count() }).from(channels))[0]!.n,
      tiers: (await db.select({ n: count() }).from(tiers))[0]!.n,
      audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
    });
    const before = await snapshot();
    const results = await pool(cases, 3, ([extra]) => telepay(...addArgs(...extra), "--json"));
    const wrong = cases.flatMap(([extra, pattern], i) => {
      const r = results[i]!;
      const lines = r.stderr.trimEnd().split("\n");
      return r.code === 2 && lines.length === 1 && pattern.test(lines[0]!) && r.stdout === ""
        ? []
        : [{ extra, code: r.code, stderr: r.stderr }];
    });
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const rows = await db.select().from(channels).orderBy(asc(channels.id));
    expect(rows.every((c) => c.rails === "crypto" || c.rails === "both")).toBe(true);
  }, 120_000);
});

describe("payments reconcile: Stars charges", () => {
  let tg: BotApiEmulator;
  beforeAll(async () => {
    tg = await startBotApiEmulator();
  });
  afterAll(async () => {
    await tg?.stop();
  });

  it("records a charge whose successful_payment was lost, through the same path, once", async () => {
    const { db } = backend.database;
    const commerce = createCommerce({ db });
    const created = json(await telepay(...addArgs("--rails", "stars", "--stars", "250,2000"), "--json"));
    const [tier] = await db.select().from(tiers).where(eq(tiers.id, created.tiers[0].id));
    const payer = 5_770_001;
    await db
      .insert(users)
      .values({ telegramId: BigInt(payer), firstName: "Lost" })
      .onConflictDoNothing();
    const order = await commerce.orders.open({
      userId: BigInt(payer),
      item: { kind: "subscription", channelId: created.id, tier: tier!, rail: "stars" },
      reuseMs: 60_000,
    });
    // The bot made the invoice; Telegram charged the payer but the update never reached us.
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/createInvoiceLink`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        title: "VIP",
        description: "Monthly: 30 days",
        payload: order.reference,
        provider_token: "",
        currency: "XTR",
        prices: [{ label: "Monthly", amount: 250 }],
        subscription_period: 2_592_000,
      }),
    });
    const link = ((await res.json()) as { result: string }).result;
    const { chargeId } = tg.payStars({ from: payer, invoice: link, deliver: false });

    const env = { ...backend.env, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot };
    const first = json(await runTelepayInProcess(["payments", "reconcile", "--json"], env));
    expect(first.stars.missing).toEqual([
      expect.objectContaining({
        chargeId,
        orderReference: order.reference,
        amount: 250,
        outcome: "confirmed",
      }),
    ]);
    const [paid] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(paid!.status).toBe("finished");
    expect(await db.select().from(accessGrants).where(eq(accessGrants.orderId, order.id))).toHaveLength(1);

    const second = json(await runTelepayInProcess(["payments", "reconcile", "--json"], env));
    expect(second.stars.missing).toEqual([]);
    expect(second.stars.known).toBeGreaterThanOrEqual(1);

    // payments refund <charge id>: without a bot token it cannot give the Stars back, so nothing changes.
    const noToken = await telepay("payments", "refund", chargeId);
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain("TELEGRAM_BOT_TOKEN");
    expect((await db.select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("finished");
    // With it: Telegram refunds the charge, then the core takes the access back (the grant never ran).
    const refunded = json(await runTelepayInProcess(["payments", "refund", chargeId, "--json"], env));
    expect(refunded).toMatchObject({ paymentId: chargeId, orderReference: order.reference, grant: "voided" });
    const refunds = tg.calls.filter((c) => c.method === "refundStarPayment");
    expect(refunds.map((c) => c.params)).toEqual([
      expect.objectContaining({ user_id: payer, telegram_payment_charge_id: chargeId }),
    ]);
    expect((await db.select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("refunded");
    // Twice: refused by the core, and Telegram is not asked again.
    const again = await runTelepayInProcess(["payments", "refund", chargeId], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already reversed");
    expect(tg.calls.filter((c) => c.method === "refundStarPayment")).toHaveLength(1);
  }, 120_000);
});
