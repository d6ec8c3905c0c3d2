import { accessGrants, auditLog, notices, orders, outbox, reviewResolutions, users } from "@telepay/db";
import { ipnPayloadSchema, ipnToPaymentReport, type PaymentReport } from "@telepay/payments";
import { createTestDatabase, seedChannel, type TestDatabase } from "@telepay/testing";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommerceError, confirmedEventId, createCommerce } from "../src/index.ts";

const POLICY = { underpaidTolerancePercent: "1" };
const OWNER = 4242n;
let database: TestDatabase;
let channelId: number;
let tierId: number;
let seq = 0;
let kicks = 0;
let commerce: ReturnType<typeof createCommerce>;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  const db = database.db;
  await db.insert(users).values([{ telegramId: 901n, firstName: "Payer" }]);
  const { channel, tier } = await seedChannel(db, { ownerTelegramId: OWNER });
  channelId = channel.id;
  tierId = tier.id;
  commerce = createCommerce({ db, onEnqueued: () => void kicks++ });
});
afterAll(async () => {
  await database?.close();
});

async function order() {
  const [row] = await database.db
    .insert(orders)
    .values({
      reference: `rev_${++seq}_${Date.now().toString(36)}`,
      kind: "subscription",
      userId: 901n,
      channelId,
      tierId,
      durationDays: 30,
      amount: "4.99",
      currency: "USD",
      status: "waiting",
    })
    .returning();
  return row!;
}

function report(reference: string, paymentId: string, status: string, extra: object = {}): PaymentReport {
  return ipnToPaymentReport(
    ipnPayloadSchema.parse({
      payment_id: paymentId,
      payment_status: status,
      order_id: reference,
      price_amount: "4.99",
      price_currency: "usd",
      pay_amount: "5.04",
      actually_paid: "5.04",
      pay_currency: "usdttrc20",
      ...extra,
    }),
  );
}

/** An order whose `finished` payment fell short of what was asked (paid_short): flagged, not paid. */
async function shortPaid() {
  const o = await order();
  const paymentId = String(7_000_000 + seq);
  const recorded = await commerce.payments.record(
    report(o.reference, paymentId, "finished", { actually_paid: "4.00" }),
    POLICY,
  );
  expect(recorded).toMatchObject({
    outcome: "review",
    reviewReason: "paid_short",
    orderStatus: "needs_review",
  });
  return { o, paymentId };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof CommerceError) return err.code;
    throw err;
  }
  throw new Error("expected a CommerceError");
};

describe("payments flagged for review", () => {
  it("a short payment asks the channel owner once (an owner_review notice) and is listed as open", async () => {
    const { o, paymentId } = await shortPaid();
    // The same report again is a duplicate: no second notice.
    await commerce.payments.record(
      report(o.reference, paymentId, "finished", { actually_paid: "4.00" }),
      POLICY,
    );
    const owed = await database.db.select().from(notices).where(eq(notices.orderId, o.id));
    expect(owed.map((n) => [n.kind, n.key])).toEqual([
      ["owner_review", `payment:${paymentId}:review:paid_short`],
    ]);
    const [review] = await commerce.reviews.list({ paymentId });
    expect(review).toMatchObject({
      id: paymentId,
      reason: "paid_short",
      status: "open",
      orderId: o.id,
      orderReference: o.reference,
      channelId,
      userId: 901n,
      actuallyPaid: "4",
      payAmount: "5.04",
      canGrant: true,
      resolution: null,
    });
    expect((await commerce.reviews.list({ ownerTelegramId: OWNER })).map((r) => r.id)).toContain(paymentId);
    expect(await commerce.reviews.list({ ownerTelegramId: 1n })).toEqual([]);
  });

  it("grant anyway pays the order through the core's grant rows, once; a second resolution is refused", async () => {
    const { o, paymentId } = await shortPaid();
    const before = kicks;
    const resolved = await commerce.reviews.resolve({
      paymentId,
      decision: "grant",
      note: "close enough",
      actor: { kind: "owner", telegramId: OWNER },
      reason: "paid_short",
    });
    expect(resolved.eventId).toBe(confirmedEventId(o.reference));
    expect(resolved.review).toMatchObject({ status: "granted", canGrant: false, orderStatus: "finished" });
    expect(kicks - before).toBe(1);
    const db = database.db;
    expect((await db.select().from(orders).where(eq(orders.id, o.id)))[0]).toMatchObject({
      status: "finished",
    });
    expect((await db.select().from(accessGrants).where(eq(accessGrants.orderId, o.id))).length).toBe(1);
    expect(
      (await db.select().from(outbox).where(eq(outbox.orderingKey, o.reference))).map((e) => e.topic),
    ).toEqual(["payment.confirmed"]);
    expect(
      (await db.select().from(notices).where(eq(notices.orderId, o.id)).orderBy(asc(notices.id))).map(
        (n) => n.kind,
      ),
    ).toEqual(["owner_review", "owner_paid"]);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "review.granted"), eq(auditLog.subjectUserId, 901n)))
      .orderBy(asc(auditLog.id));
    expect(audit).toMatchObject({ actor: "owner", actorTelegramId: OWNER, channelId });
    expect(audit!.details).toMatchObject({ paymentId, reason: "paid_short", note: "close enough" });

    // Again, by anyone and either way: refused, nothing more written.
    expect(
      await codeOf(commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "cli" } })),
    ).toBe("CONFLICT");
    expect(
      await codeOf(commerce.reviews.resolve({ paymentId, decision: "dismiss", actor: { kind: "cli" } })),
    ).toBe("CONFLICT");
    expect(
      (await db.select().from(reviewResolutions).where(eq(reviewResolutions.paymentId, paymentId))).length,
    ).toBe(1);
    expect((await commerce.reviews.list({ paymentId })).length).toBe(0);
  });

  it("two resolutions at once: exactly one wins", async () => {
    const { o, paymentId } = await shortPaid();
    const results = await Promise.allSettled([
      commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "cli" } }),
      commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "owner", telegramId: OWNER } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as CommerceError).code).toBe("CONFLICT");
    expect((await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, o.id))).length).toBe(
      1,
    );
  });

  it("someone else's owner is refused; dismissing keeps the order unpaid and records the note", async () => {
    const { o, paymentId } = await shortPaid();
    expect(
      await codeOf(
        commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "owner", telegramId: 77n } }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(
        commerce.reviews.resolve({
          paymentId,
          decision: "dismiss",
          actor: { kind: "owner", telegramId: OWNER },
          reason: "underpaid",
        }),
      ),
    ).toBe("CONFLICT");
    const resolved = await commerce.reviews.resolve({
      paymentId,
      decision: "dismiss",
      note: "refunded by hand",
      actor: { kind: "cli" },
    });
    expect(resolved).toMatchObject({ eventId: null, review: { status: "dismissed" } });
    expect(resolved.review.resolution).toMatchObject({
      decision: "dismiss",
      note: "refunded by hand",
      actor: "cli",
    });
    expect((await database.db.select().from(orders).where(eq(orders.id, o.id)))[0]!.status).toBe(
      "needs_review",
    );
    expect((await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, o.id))).length).toBe(
      0,
    );
  });

  it("a second payment of a paid order, an unknown order and an overpayment cannot be granted, only dismissed", async () => {
    const o = await order();
    await commerce.payments.record(report(o.reference, `${o.id}01`, "finished"), POLICY);
    const second = await commerce.payments.record(report(o.reference, `${o.id}02`, "finished"), POLICY);
    expect(second.reviewReason).toBe("duplicate_payment");
    const unknown = await commerce.payments.record(
      report("no_such_order_123", `${o.id}03`, "finished"),
      POLICY,
    );
    expect(unknown.outcome).toBe("unknown_order");
    const o2 = await order();
    const over = await commerce.payments.record(
      report(o2.reference, `${o2.id}04`, "finished", { actually_paid: "6.00" }),
      POLICY,
    );
    expect(over).toMatchObject({ outcome: "confirmed", reviewReason: "overpaid", orderStatus: "finished" });

    for (const paymentId of [`${o.id}02`, `${o.id}03`, `${o2.id}04`]) {
      const [review] = await commerce.reviews.list({ paymentId });
      expect(review?.canGrant, paymentId).toBe(false);
      expect(
        await codeOf(commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "cli" } })),
        paymentId,
      ).toBe("CONFLICT");
      await commerce.reviews.resolve({
        paymentId,
        decision: "dismiss",
        note: "refund",
        actor: { kind: "cli" },
      });
    }
    // Nothing was granted twice: one grant per order, one payment.confirmed per order.
    for (const id of [o.id, o2.id]) {
      expect((await database.db.select().from(accessGrants).where(eq(accessGrants.orderId, id))).length).toBe(
        1,
      );
    }
    // The unknown order has no owner to ask; the overpaid order's owner is asked.
    const asked = await database.db.select().from(notices).where(eq(notices.kind, "owner_review"));
    expect(asked.map((n) => n.key)).toEqual(
      expect.arrayContaining([
        `payment:${o.id}02:review:duplicate_payment`,
        `payment:${o2.id}04:review:overpaid`,
      ]),
    );
    expect(asked.some((n) => n.key.startsWith(`payment:${o.id}03:`))).toBe(false);
  });

  it("a payment still waiting for money cannot be granted", async () => {
    const o = await order();
    await database.db.update(orders).set({ invoiceId: "inv-real" }).where(eq(orders.id, o.id));
    const paymentId = `${o.id}05`;
    const r = await commerce.payments.record(
      report(o.reference, paymentId, "waiting", { invoice_id: "inv-other" }),
      POLICY,
    );
    expect(r.reviewReason).toBe("invoice_mismatch");
    expect((await commerce.reviews.list({ paymentId }))[0]?.canGrant).toBe(false);
    expect(
      await codeOf(commerce.reviews.resolve({ paymentId, decision: "grant", actor: { kind: "cli" } })),
    ).toBe("CONFLICT");
    expect(
      await codeOf(
        commerce.reviews.resolve({ paymentId: "404404", decision: "dismiss", actor: { kind: "cli" } }),
      ),
    ).toBe("NOT_FOUND");
  });
});
