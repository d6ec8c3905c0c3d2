import { orders } from "@telepay/db";
import { createTestDatabase, type DashboardSeed, seedDashboard, type TestDatabase } from "@telepay/testing";
import { and, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelReport, createReports } from "../src/index.ts";

let database: TestDatabase;
let seed: DashboardSeed;
let report: ChannelReport;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  seed = await seedDashboard(database);
  report = await createReports({ db: database.db, now: () => seed.now }).channel(seed.channelId);
});
afterAll(async () => {
  await database?.close();
});

const tierName = (id: number | null) =>
  id === seed.tierIds.monthly
    ? "monthly"
    : id === seed.tierIds.quarterly
      ? "quarterly"
      : id === null
        ? null
        : `other ${id}`;

describe("commerce.reports.channel on seeded data with known totals", () => {
  it("revenue per day and per month, per tier and currency, crypto rail only, refunds and other channels left out", () => {
    const strip = (rows: ChannelReport["revenueDaily"]) =>
      rows.map((r) => ({
        period: r.period,
        tier: tierName(r.tierId),
        currency: r.currency,
        amount: r.amount,
        orders: r.orders,
      }));
    expect(strip(report.revenueDaily)).toEqual(seed.expected.revenueDaily);
    expect(strip(report.revenueMonthly)).toEqual(seed.expected.revenueMonthly);
    expect(new Set(report.revenueMonthly.map((r) => r.rail))).toEqual(new Set(["crypto"]));
  });

  it("the monthly figures equal a plain sum over the orders table", async () => {
    const plain = await database.db
      .select({ currency: orders.currency, total: sql<string>`sum(${orders.amount})::text` })
      .from(orders)
      .where(
        and(
          eq(orders.channelId, seed.channelId),
          eq(orders.status, "finished"),
          gte(orders.paidAt, new Date("2025-12-01T00:00:00Z")),
        ),
      )
      .groupBy(orders.currency)
      .orderBy(orders.currency);
    const fromReport = new Map<string, number>();
    for (const r of report.revenueMonthly)
      fromReport.set(r.currency, (fromReport.get(r.currency) ?? 0) + Math.round(Number(r.amount) * 100));
    expect(plain.map((p) => [p.currency, Math.round(Number(p.total) * 100)])).toEqual(
      [...fromReport.entries()].sort(),
    );
  });

  it("active subscribers, MRR, new and churned per month", () => {
    expect(report.subscribers.active).toBe(seed.expected.active);
    expect(report.subscribers.mrr).toEqual(seed.expected.mrr.map((m) => ({ rail: "crypto", ...m })));
    expect(report.subscribers.months).toHaveLength(12);
    expect(report.subscribers.months[0]!.month).toBe("2025-12");
    expect(report.subscribers.months.at(-1)!.month).toBe("2026-11");
    const nonZero = (key: "new" | "churned") =>
      Object.fromEntries(report.subscribers.months.filter((m) => m[key] > 0).map((m) => [m.month, m[key]]));
    expect(nonZero("new")).toEqual(seed.expected.newByMonth);
    expect(nonZero("churned")).toEqual(seed.expected.churnedByMonth);
  });

  it("conversion funnel and the reviews of this channel only", () => {
    expect(report.funnel).toMatchObject(seed.expected.funnel);
    expect(report.reviews.map((r) => r.paymentId)).toEqual(seed.expected.reviewPaymentIds);
    expect(report.reviews[0]).toMatchObject({ reason: "underpaid", amount: "20", currency: "usdttrc20" });
  });

  it("recordOfferOpen adds to the funnel", async () => {
    const reports = createReports({ db: database.db, now: () => seed.now });
    await reports.recordOfferOpen({ channelId: seed.channelId, tierId: seed.tierIds.monthly, userId: 901n });
    expect((await reports.channel(seed.channelId)).funnel.offersOpened).toBe(
      seed.expected.funnel.offersOpened + 1,
    );
  });
});
