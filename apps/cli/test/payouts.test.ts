import { auditLog, orders, payouts, users } from "@telepay/db";
import { payOrder, seedChannel } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliBackend,
  createCliBackend,
  pool,
  type RunResult,
  runTelepay,
  runTelepayInProcess,
} from "./helpers.ts";

// The operator settlement ledger through the CLI (runCli in this process) and database: what counts
// towards an owner (docs/settlement.md), payouts recorded against it, and no double counting under
// concurrency.

const OWNER = 4_600_001;
let backend: CliBackend;
let channelId: number;
let otherChannelId: number;
let tierId: number;
let otherTierId: number;
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);

function json(result: RunResult) {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

let seq = 0;
async function order(channel: number, tier: number, amount = "9.99") {
  const userId = 4_600_100 + ++seq;
  const db = backend.database.db;
  await db
    .insert(users)
    .values({ telegramId: BigInt(userId) })
    .onConflictDoNothing();
  const reference = `payout_${seq}_${userId}`;
  await db.insert(orders).values({
    reference,
    kind: "subscription",
    userId: BigInt(userId),
    channelId: channel,
    tierId: tier,
    amount,
    currency: "USD",
    durationDays: 30,
    status: "waiting",
  });
  return { reference, amount };
}

async function addChannel(n: number): Promise<{ channelId: number; tierId: number }> {
  const { channel, tier } = await seedChannel(backend.database, {
    ownerTelegramId: BigInt(OWNER),
    values: {
      openChatId: BigInt(-1_004_600_000_000 - n * 2),
      closedChatId: BigInt(-1_004_600_000_001 - n * 2),
      payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
    },
    tiers: [{ price: "9.99", durationDays: 30 }],
  });
  return { channelId: channel.id, tierId: tier.id };
}

beforeAll(async () => {
  backend = await createCliBackend();
  await backend.database.db.insert(users).values({ telegramId: BigInt(OWNER), firstName: "Owner" });
  ({ channelId, tierId } = await addChannel(1));
  ({ channelId: otherChannelId, tierId: otherTierId } = await addChannel(2));
  const db = backend.database.db;
  // Counts: paid, with what NOWPayments credited after its fee.
  await payOrder(db, await order(channelId, tierId), { outcomeAmount: "9.50", outcomeCurrency: "usdttrc20" });
  await payOrder(db, await order(channelId, tierId), { outcomeAmount: "9.4", outcomeCurrency: "USDTTRC20" });
  // Counts, in the price currency: an IPN without an outcome.
  await payOrder(db, await order(channelId, tierId, "5.00"));
  // Never counts: only partly paid (no access).
  await payOrder(db, await order(channelId, tierId), {
    status: "partially_paid",
    actuallyPaid: "4",
    outcomeAmount: "3.9",
  });
  // Never counts: paid, then refunded.
  const refunded = await order(channelId, tierId);
  await payOrder(db, refunded, { outcomeAmount: "9.5", paymentId: "refunded_pay" });
  await payOrder(db, refunded, { status: "refunded", outcomeAmount: "9.5", paymentId: "refunded_pay" });
  // Never counts: a second payment of an order already paid (set aside for review).
  const twice = await order(channelId, tierId);
  await payOrder(db, twice, { outcomeAmount: "9.5", paymentId: "first_pay" });
  await payOrder(db, twice, { outcomeAmount: "9.5", paymentId: "second_pay" });
  // The other channel: 10 due, for the concurrency test.
  await payOrder(db, await order(otherChannelId, otherTierId, "10"), {
    outcomeAmount: "10",
    outcomeCurrency: "usdc",
  });
}, 120_000);

afterAll(async () => {
  await backend?.close();
});

describe("payouts due / mark-paid", { timeout: 300_000 }, () => {
  it("counts paid, unreversed, unflagged payments as credited, per currency", async () => {
    const due = json(await telepay("payouts", "due", "--channel", String(channelId), "--json"));
    expect(due).toEqual([
      expect.objectContaining({ channelId, currency: "usd", earned: "5", paid: "0", due: "5", payments: 1 }),
      expect.objectContaining({
        channelId,
        ownerTelegramId: String(OWNER),
        currency: "usdttrc20",
        // 9.50 + 9.4 + the first payment of the order paid twice (9.5); not the partial, refunded or second one.
        earned: "28.4",
        paid: "0",
        due: "28.4",
        payments: 3,
        lastPayout: null,
        payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
      }),
    ]);
  });

  it("records a payout (audited), refuses more than is due unless --force, and asks for the currency when two", async () => {
    const ambiguous = await telepay("payouts", "mark-paid", "--channel", String(channelId), "--amount", "1");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/has balances in usd, usdttrc20: name the currency/);

    const paid = json(
      await telepay(
        "payouts",
        "mark-paid",
        "--channel",
        String(channelId),
        "--amount",
        "20.4",
        "--currency",
        "USDTTRC20",
        "--note",
        "tx 0xabc",
        "--json",
      ),
    );
    expect(paid).toMatchObject({
      channelId,
      amount: "20.4",
      currency: "usdttrc20",
      dueBefore: "28.4",
      dueAfter: "8",
      forced: false,
    });

    const over = await telepay(
      "payouts",
      "mark-paid",
      "--channel",
      String(channelId),
      "--amount",
      "8.00000001",
      "--currency",
      "usdttrc20",
    );
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(
      /8\.00000001 usdttrc20 is more than the 8 usdttrc20 due to channel \d+; add --force/,
    );

    const forced = json(
      await telepay(
        "payouts",
        "mark-paid",
        "--channel",
        String(channelId),
        "--amount",
        "10",
        "--currency",
        "usdttrc20",
        "--force",
        "--json",
      ),
    );
    expect(forced).toMatchObject({ dueAfter: "-2", forced: true });

    const due = json(await telepay("payouts", "due", "--channel", String(channelId), "--json"));
    expect(due.find((b: { currency: string }) => b.currency === "usdttrc20")).toMatchObject({
      earned: "28.4",
      paid: "30.4",
      due: "-2",
      lastPayout: { amount: "10", note: null },
    });
    const audits = await backend.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "payout.marked_paid"));
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      actor: "cli",
      channelId,
      details: expect.objectContaining({
        amount: "20.4",
        note: "tx 0xabc",
        dueBefore: "28.4",
        dueAfter: "8",
      }),
    });

    const csv = await telepay("payouts", "due", "--csv");
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "channelId,ownerTelegramId,currency,earned,paid,due,payments,lastPayoutAmount,lastPayoutAt,payoutWallet,payoutCurrency,payoutNetwork",
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(new RegExp(`^${channelId},${OWNER},usdttrc20,28.4,30.4,-2,3,10,20\\d\\d-`));
  });

  it("bad amounts exit 2 with one line and record nothing", async () => {
    const before = await backend.database.db.select().from(payouts);
    for (const amount of ["0", "-5", "1e3", "1.123456789", "abc", "12,5", "0.00"]) {
      const r = await telepay("payouts", "mark-paid", "--channel", String(channelId), "--amount", amount);
      expect([r.code, r.stderr.trimEnd().split("\n").length], amount).toEqual([2, 1]);
      expect(r.stderr).toMatch(/--amount must be a positive decimal/);
    }
    const missing = await telepay("payouts", "mark-paid", "--amount", "1");
    expect(missing).toMatchObject({ code: 2 });
    const unknown = await telepay("payouts", "mark-paid", "--channel", "9999", "--amount", "1");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no channel with id 9999/);
    expect(await backend.database.db.select().from(payouts)).toEqual(before);
  });

  it("concurrent mark-paids never pay the same balance twice", async () => {
    // 10 due; four operators record 4 each at once: two fit, two are refused.
    // Spawns: four real processes at once, each with its own connection, race at the database.
    const results = await pool([1, 2, 3, 4], 4, () =>
      runTelepay(["payouts", "mark-paid", "--channel", String(otherChannelId), "--amount", "4"], backend.env),
    );
    expect(results.map((r) => r.code).sort()).toEqual([0, 0, 1, 1]);
    for (const r of results.filter((x) => x.code === 1))
      expect(r.stderr).toMatch(/is more than the 2 usdc due/);
    const due = json(await telepay("payouts", "due", "--channel", String(otherChannelId), "--json"));
    expect(due).toEqual([expect.objectContaining({ currency: "usdc", earned: "10", paid: "8", due: "2" })]);
  });
});
