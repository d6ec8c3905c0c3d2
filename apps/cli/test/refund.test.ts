import { createCommerce } from "@telepay/commerce";
import { accessGrants, auditLog, orders, outbox, subscriptions, users } from "@telepay/db";
import { ipnPayloadSchema, ipnToPaymentReport } from "@telepay/payments";
import { seedChannel } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, type RunResult, runTelepayInProcess } from "./helpers.ts";

let backend: CliBackend;
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);
let channelId: number;
let tierId: number;
let seq = 0;
const DAY = 86_400_000;

beforeAll(async () => {
  backend = await createCliBackend();
  const { db } = backend.database;
  await db.insert(users).values([{ telegramId: 556n, firstName: "Payer" }]);
  const { channel, tier } = await seedChannel(db, { ownerTelegramId: 445n });
  channelId = channel.id;
  tierId = tier.id;
}, 120_000);
afterAll(async () => {
  await backend?.close();
});

/** An order and one IPN of `status` for it (the real payment writer). */
async function paid(status = "finished"): Promise<{ paymentId: string; reference: string; orderId: number }> {
  const { db } = backend.database;
  const reference = `clirefund_${++seq}_${Date.now().toString(36)}`;
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: 556n,
      channelId,
      tierId,
      durationDays: 30,
      amount: "4.99",
      currency: "USD",
      status: "waiting",
    })
    .returning();
  const paymentId = String(990_000 + seq);
  await createCommerce({ db }).payments.record(
    ipnToPaymentReport(
      ipnPayloadSchema.parse({
        payment_id: paymentId,
        payment_status: status,
        order_id: reference,
        price_amount: "4.99",
        price_currency: "usd",
        pay_amount: "5.04",
        actually_paid: status === "finished" ? "5.04" : "0",
        pay_currency: "usdttrc20",
      }),
    ),
    { underpaidTolerancePercent: "1" },
  );
  return { paymentId, reference, orderId: order!.id };
}

function failed(result: RunResult, reason: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(reason);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
}

describe("payments refund", { timeout: 300_000 }, () => {
  it("reverses a delivered order: its days come off, the notifier is woken, audited; a second refund is refused", async () => {
    const { db } = backend.database;
    const a = await paid();
    // The notifier delivered it: 30 days on the subscription (fixture rows as the grant leaves them).
    // One clock reading for both ends, as the grant writes them: an expiry read a millisecond before
    // the start would put the order's 30 days before the subscription began (nothing to withdraw).
    const startsAt = new Date();
    const expiresAt = new Date(startsAt.getTime() + 30 * DAY);
    const [sub] = await db
      .insert(subscriptions)
      .values({
        userId: 556n,
        channelId,
        tierId,
        startsAt,
        expiresAt,
        nextCheckAt: expiresAt,
      })
      .returning();
    await db
      .update(accessGrants)
      .set({ state: "dm_sent", subscriptionId: sub!.id, expiresAt })
      .where(eq(accessGrants.orderId, a.orderId));

    const out = JSON.parse((await telepay("payments", "refund", a.paymentId, "--json")).stdout);
    expect(out).toMatchObject({
      paymentId: a.paymentId,
      orderId: a.orderId,
      orderReference: a.reference,
      userId: "556",
      channelId,
      status: "refunded",
      grant: "reversed",
      accessLeft: false,
      subscriptionId: sub!.id,
    });
    expect(out.withdrawnDays).toBeGreaterThan(29.9);
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id));
    expect(after).toMatchObject({ status: "active", endCause: "reversal" });
    expect(after!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    const [event] = await db.select().from(outbox).where(eq(outbox.eventId, out.eventId));
    expect(event).toMatchObject({ topic: "payment.updated", orderingKey: a.reference });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "order.reversed"));
    expect(audit).toMatchObject({ actor: "cli", subjectUserId: 556n });

    failed(
      await telepay("payments", "refund", a.paymentId),
      /^telepay: error: order \S+ was already reversed at /,
    );
  });

  it("an order whose grant has not run is voided (text output)", async () => {
    const b = await paid();
    const result = await telepay("payments", "refund", b.paymentId);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(
      `Reversed order ${b.reference} (payment ${b.paymentId}): refunded before access was granted`,
    );
    const [grant] = await backend.database.db
      .select()
      .from(accessGrants)
      .where(eq(accessGrants.orderId, b.orderId));
    expect(grant!.state).toBe("void");
  });

  it("bad input: no id, an unknown id, an unpaid payment — one line, non-zero, nothing changes", async () => {
    const none = await telepay("payments", "refund");
    expect(none.code).toBe(2);
    failed(await telepay("payments", "refund", "nope-123"), /^telepay: error: no payment nope-123\n$/);
    const waiting = await paid("waiting");
    failed(
      await telepay("payments", "refund", waiting.paymentId, "--json"),
      /did not pay its order \(status waiting\); nothing to reverse/,
    );
    const [o] = await backend.database.db.select().from(orders).where(eq(orders.id, waiting.orderId));
    expect(o).toMatchObject({ status: "waiting", reversedAt: null });
  });
});
