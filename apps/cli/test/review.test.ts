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

beforeAll(async () => {
  backend = await createCliBackend();
  const { db } = backend.database;
  await db.insert(users).values([{ telegramId: 555n, firstName: "Payer" }]);
  const { channel, tier } = await seedChannel(db, { ownerTelegramId: 444n });
  channelId = channel.id;
  tierId = tier.id;
}, 120_000);
afterAll(async () => {
  await backend?.close();
});

function json(result: RunResult) {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

/** An order paid short (actually_paid below pay_amount): flagged paid_short, order needs_review. */
async function flagged(): Promise<{ paymentId: string; reference: string; orderId: number }> {
  const { db } = backend.database;
  const reference = `clirev_${++seq}_${Date.now().toString(36)}`;
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      kind: "subscription",
      userId: 555n,
      channelId,
      tierId,
      durationDays: 30,
      amount: "4.99",
      currency: "USD",
      status: "waiting",
    })
    .returning();
  const paymentId = String(880_000 + seq);
  await createCommerce({ db }).payments.record(
    ipnToPaymentReport(
      ipnPayloadSchema.parse({
        payment_id: paymentId,
        payment_status: "finished",
        order_id: reference,
        price_amount: "4.99",
        price_currency: "usd",
        pay_amount: "5.04",
        actually_paid: "3.50",
        pay_currency: "usdttrc20",
      }),
    ),
    { underpaidTolerancePercent: "1" },
  );
  return { paymentId, reference, orderId: order!.id };
}

describe("review list / resolve", { timeout: 300_000 }, () => {
  it("lists open reviews, grants one through the core once, refuses a second resolution, audits it", async () => {
    const a = await flagged();
    const b = await flagged();
    const listed = json(await telepay("review", "list", "--json"));
    expect(listed.map((r: { id: string }) => r.id)).toEqual([a.paymentId, b.paymentId]);
    expect(listed[0]).toMatchObject({
      id: a.paymentId,
      paymentId: a.paymentId,
      reason: "paid_short",
      status: "open",
      orderReference: a.reference,
      channelId,
      userId: "555",
      actuallyPaid: "3.5",
      payAmount: "5.04",
      canGrant: true,
      decision: null,
    });

    const granted = json(
      await telepay("review", "resolve", a.paymentId, "--grant", "--note", "paid the rest in cash", "--json"),
    );
    expect(granted).toMatchObject({
      id: a.paymentId,
      status: "granted",
      decision: "grant",
      note: "paid the rest in cash",
      resolvedBy: "cli",
      orderStatus: "finished",
    });
    const { db } = backend.database;
    expect((await db.select().from(orders).where(eq(orders.id, a.orderId)))[0]!.status).toBe("finished");
    expect(await db.select().from(accessGrants).where(eq(accessGrants.orderId, a.orderId))).toHaveLength(1);
    const [confirmed] = await db.select().from(outbox).where(eq(outbox.eventId, granted.eventId));
    expect(confirmed).toMatchObject({ topic: "payment.confirmed", orderingKey: a.reference });

    const again = await telepay("review", "resolve", a.paymentId, "--dismiss");
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/^telepay: error: review \d+ was already resolved: granted by cli at .+\n$/);

    const dismissed = await telepay("review", "resolve", b.paymentId, "--dismiss", "--note", "refunded");
    expect(dismissed).toMatchObject({ code: 0, stderr: "" });
    expect(dismissed.stdout).toContain(`Dismissed review ${b.paymentId} (paid_short): refunded.`);
    expect(json(await telepay("review", "list", "--json"))).toEqual([]);
    const all = json(await telepay("review", "list", "--all", "--json"));
    expect(all.map((r: { status: string }) => r.status)).toEqual(["granted", "dismissed"]);

    const audit = json(await telepay("audit", "list", "--channel", String(channelId), "--json"));
    expect(audit.map((e: { action: string }) => e.action)).toEqual(["review.granted", "review.dismissed"]);
    expect(audit[0]).toMatchObject({
      actor: "cli",
      channelId,
      userId: "555",
      details: { paymentId: a.paymentId, reason: "paid_short", note: "paid the rest in cash" },
    });
    expect(typeof audit[0].at).toBe("string");
  });

  it("bad resolve command lines exit 2; unknown ids exit 1; nothing changes", async () => {
    const c = await flagged();
    for (const [args, code, message] of [
      [["review", "resolve", c.paymentId], 2, /exactly one of --grant or --dismiss/],
      [["review", "resolve", c.paymentId, "--grant", "--dismiss"], 2, /exactly one of --grant or --dismiss/],
      [["review", "resolve"], 2, /give the review's id/],
      [["review", "resolve", "999999999", "--dismiss"], 1, /no payment 999999999/],
      [["review", "resolve", c.paymentId, "--dismiss", "--note", "x".repeat(501)], 2, /longer than 500/],
    ] as const) {
      const r = await telepay(...args);
      expect({ code: r.code, stderr: r.stderr }, args.join(" ")).toMatchObject({
        code,
        stderr: expect.stringMatching(message),
      });
    }
    expect(json(await telepay("review", "list", "--json")).map((r: { id: string }) => r.id)).toEqual([
      c.paymentId,
    ]);
  });
});

describe("audit list and subscription extend --until --allow-earlier", { timeout: 300_000 }, () => {
  it("an operator moves an expiry into the past on purpose; it is audited with the previous expiry", async () => {
    const user = "777000111";
    json(
      await telepay(
        "subscription",
        "grant",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--days",
        "30",
        "--no-wait",
        "--json",
      ),
    );
    const refused = await telepay(
      "subscription",
      "extend",
      "--channel",
      String(channelId),
      "--user",
      user,
      "--until",
      "2020-01-01T00:00:00Z",
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("add --allow-earlier");
    const since = new Date().toISOString();
    const moved = json(
      await telepay(
        "subscription",
        "extend",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--until",
        "2020-01-01T00:00:00Z",
        "--allow-earlier",
        "--no-wait",
        "--json",
      ),
    );
    expect(moved.expiresAt).toBe("2020-01-01T00:00:00.000Z");
    const [row] = await backend.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, moved.id));
    expect(row!.expiresAt.toISOString()).toBe("2020-01-01T00:00:00.000Z");
    const audit = json(await telepay("audit", "list", "--since", since, "--json"));
    expect(audit).toEqual([
      expect.objectContaining({
        action: "subscription.extend",
        actor: "cli",
        channelId,
        userId: user,
        details: expect.objectContaining({
          until: "2020-01-01T00:00:00.000Z",
          previousExpiresAt: moved.previousExpiresAt,
        }),
      }),
    ]);
    expect(await backend.database.db.select().from(auditLog)).not.toHaveLength(0);
  });

  it("db migrate says there was nothing to apply", async () => {
    const out = json(await telepay("db", "migrate", "--json"));
    expect(out).toMatchObject({ status: "migrated", applied: [] });
    const human = await telepay("db", "migrate");
    expect(human.stdout).toMatch(/^Database is up to date: nothing to apply/);
  });
});
