import { offerOpens } from "@telepay/db";
import type { CommerceDeps } from "./deps.ts";
import { coreOf } from "./deps.ts";
import { type RunSql, sqlRunner } from "./sql-runner.ts";

/**
 * How money came in. Every order today is paid through NOWPayments ("crypto"); Telegram Stars is a
 * separate rail whose amounts are never added to crypto ones (a figure is always per rail+currency).
 */
export type Rail = "crypto" | "stars";

/** Revenue of one (period, tier, rail, currency): `tierId` null is donations. */
export interface RevenueRow {
  period: string;
  tierId: number | null;
  rail: Rail;
  currency: string;
  /** Decimal string. */
  amount: string;
  orders: number;
}

export interface SubscriberMonth {
  month: string;
  /** Subscriptions (user, channel) created that month: first-time subscribers. */
  new: number;
  /** Subscriptions not active now whose access ended that month. */
  churned: number;
}

export interface ReviewItem {
  paymentId: string;
  orderReference: string;
  orderId: number;
  userId: string;
  status: string;
  reason: string | null;
  amount: string | null;
  currency: string | null;
  receivedAt: string;
}

/** Everything the owner dashboard shows for one channel, as of `asOf`. */
export interface ChannelReport {
  channelId: number;
  asOf: string;
  /** Per UTC day, the last `dailyDays` days (today included). */
  revenueDaily: RevenueRow[];
  /** Per UTC month, the last `months` months (this one included). */
  revenueMonthly: RevenueRow[];
  subscribers: {
    active: number;
    /** Monthly recurring revenue per rail+currency: each active subscription's last order, per 30 days. */
    mrr: Array<{ rail: Rail; currency: string; amount: string }>;
    months: SubscriberMonth[];
  };
  /** The last `funnelDays` days: offers opened → subscription invoices made → of those, paid. */
  funnel: { since: string; offersOpened: number; invoices: number; paid: number };
  reviews: ReviewItem[];
  /** Free trials started in the funnel's window, and how many of those people then paid a plan. */
  trials: { since: string; started: number; converted: number };
}

export interface ReportWindow {
  dailyDays?: number;
  months?: number;
  funnelDays?: number;
}

const DAY_MS = 86_400_000;

/** The first instant of the UTC month `back` months before `now`'s. */
function monthStart(now: Date, back: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
}
function dayStart(now: Date, back: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back));
}

// Every query below reads one channel over a bounded date window through an index made for it
// (migration 0002_dashboard, docs/dashboard.md has the plans on 1M payments): the cost follows the
// window's rows, never the channel's whole history.

const REVENUE_SQL = (unit: "day" | "month") => `
  SELECT to_char(date_trunc('${unit}', paid_at AT TIME ZONE 'UTC'), '${unit === "day" ? "YYYY-MM-DD" : "YYYY-MM"}') AS period,
         tier_id, CASE WHEN currency = 'XTR' THEN 'stars' ELSE 'crypto' END AS rail, currency,
         sum(amount)::text AS amount, count(*)::int AS orders
    FROM orders
   WHERE channel_id = $1 AND status = 'finished' AND paid_at >= $2::timestamptz AND paid_at < $3::timestamptz
   GROUP BY 1, tier_id, currency
   ORDER BY 1, tier_id NULLS LAST, currency`;

const ACTIVE_SQL = `
  SELECT count(*)::int AS active
    FROM subscriptions
   WHERE channel_id = $1 AND status = 'active' AND expires_at > $2::timestamptz`;

const MRR_SQL = `
  SELECT CASE WHEN o.currency = 'XTR' THEN 'stars' ELSE 'crypto' END AS rail, o.currency, round(sum(o.amount * 30 / o.duration_days), 2)::text AS amount
    FROM subscriptions s JOIN orders o ON o.id = s.last_order_id
   WHERE s.channel_id = $1 AND s.status = 'active' AND s.expires_at > $2::timestamptz
     AND o.kind = 'subscription' AND o.duration_days > 0
   GROUP BY o.currency ORDER BY o.currency`;

const NEW_SQL = `
  SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
    FROM subscriptions
   WHERE channel_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
   GROUP BY 1`;

const CHURN_SQL = `
  SELECT to_char(date_trunc('month', expires_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
    FROM subscriptions
   WHERE channel_id = $1 AND status <> 'active' AND expires_at >= $2::timestamptz AND expires_at < $3::timestamptz
   GROUP BY 1`;

const OPENS_SQL = `
  SELECT count(*)::int AS n FROM offer_opens
   WHERE channel_id = $1 AND opened_at >= $2::timestamptz AND opened_at <= $3::timestamptz`;

// An order reached the "invoice" step when it got a hosted invoice (SETTLEMENT=operator) or a direct
// payment in the chat (SETTLEMENT=direct: a checkouts row, found by its (order_id, pay_currency) index).
const PAYMENT_MADE = `(invoice_id IS NOT NULL OR EXISTS (SELECT 1 FROM checkouts k WHERE k.order_id = orders.id))`;
const INVOICES_SQL = `
  SELECT count(*) FILTER (WHERE ${PAYMENT_MADE})::int AS invoices,
         count(*) FILTER (WHERE ${PAYMENT_MADE} AND status = 'finished')::int AS paid
    FROM orders
   WHERE channel_id = $1 AND created_at >= $2::timestamptz AND created_at <= $3::timestamptz
     AND kind = 'subscription'`;

const REVIEWS_SQL = `
  SELECT p.payment_id, o.reference, o.id AS order_id, o.user_id::text AS user_id, p.status, p.review_reason,
         coalesce(p.actually_paid, p.price_amount)::text AS amount,
         coalesce(p.pay_currency, p.price_currency) AS currency, p.updated_at
    FROM payments p JOIN orders o ON o.id = p.order_id
   WHERE p.needs_review AND o.channel_id = $1
     -- Open reviews only: one settled (in the DM, the dashboard or the CLI) for the reason it is
     -- flagged with is done; flagged again for another reason, it is open again.
     AND NOT EXISTS (SELECT 1 FROM review_resolutions r
                      WHERE r.payment_id = p.payment_id AND r.reason = p.review_reason)
   ORDER BY p.updated_at DESC, p.payment_id
   LIMIT 50`;

// A trial converted when its user paid a plan of the channel after the trial began (trials are one
// per user and channel, ever, so each counts once).
const TRIALS_SQL = `
  SELECT count(*)::int AS started,
         count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM orders o
            WHERE o.channel_id = t.channel_id AND o.user_id = t.user_id AND o.kind = 'subscription'
              AND o.status = 'finished' AND o.paid_at >= t.created_at))::int AS converted
    FROM trials t
   WHERE t.channel_id = $1 AND t.created_at >= $2 AND t.created_at < $3`;

/** The statements behind the figures (bench/dashboard-plans.ts prints their plans). */
export const REPORT_SQL = {
  revenueDaily: REVENUE_SQL("day"),
  revenueMonthly: REVENUE_SQL("month"),
  active: ACTIVE_SQL,
  mrr: MRR_SQL,
  newPerMonth: NEW_SQL,
  churnedPerMonth: CHURN_SQL,
  offersOpened: OPENS_SQL,
  invoices: INVOICES_SQL,
  reviews: REVIEWS_SQL,
  trials: TRIALS_SQL,
} as const;

const iso = (d: Date) => d.toISOString();
const asIso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function revenueRows(rows: Array<Record<string, unknown>>): RevenueRow[] {
  return rows.map((r) => ({
    period: String(r.period),
    tierId: r.tier_id === null ? null : Number(r.tier_id),
    rail: r.rail as Rail,
    currency: String(r.currency),
    amount: String(r.amount),
    orders: Number(r.orders),
  }));
}

/** The month keys from `from` (inclusive) through `now`'s month, oldest first. */
function monthKeys(now: Date, months: number): string[] {
  return Array.from({ length: months }, (_, i) =>
    monthStart(now, months - 1 - i)
      .toISOString()
      .slice(0, 7),
  );
}

async function channelReport(
  run: RunSql,
  channelId: number,
  now: Date,
  window: Required<ReportWindow>,
): Promise<ChannelReport> {
  const end = new Date(dayStart(now, -1).getTime());
  const dailyFrom = dayStart(now, window.dailyDays - 1);
  const monthlyFrom = monthStart(now, window.months - 1);
  const funnelFrom = new Date(now.getTime() - window.funnelDays * DAY_MS);
  const [daily, monthly, active, mrr, fresh, churn, opens, invoices, reviews, trials] = await Promise.all([
    run(REVENUE_SQL("day"), [channelId, iso(dailyFrom), iso(end)]),
    run(REVENUE_SQL("month"), [channelId, iso(monthlyFrom), iso(end)]),
    run(ACTIVE_SQL, [channelId, iso(now)]),
    run(MRR_SQL, [channelId, iso(now)]),
    run(NEW_SQL, [channelId, iso(monthlyFrom), iso(end)]),
    run(CHURN_SQL, [channelId, iso(monthlyFrom), iso(now)]),
    run(OPENS_SQL, [channelId, iso(funnelFrom), iso(now)]),
    run(INVOICES_SQL, [channelId, iso(funnelFrom), iso(now)]),
    run(REVIEWS_SQL, [channelId]),
    run(TRIALS_SQL, [channelId, iso(funnelFrom), iso(now)]),
  ]);
  const newBy = new Map(fresh.map((r) => [String(r.month), Number(r.n)]));
  const churnBy = new Map(churn.map((r) => [String(r.month), Number(r.n)]));
  return {
    channelId,
    asOf: iso(now),
    revenueDaily: revenueRows(daily),
    revenueMonthly: revenueRows(monthly),
    subscribers: {
      active: Number(active[0]?.active ?? 0),
      mrr: mrr.map((r) => ({ rail: r.rail as Rail, currency: String(r.currency), amount: String(r.amount) })),
      months: monthKeys(now, window.months).map((month) => ({
        month,
        new: newBy.get(month) ?? 0,
        churned: churnBy.get(month) ?? 0,
      })),
    },
    funnel: {
      since: iso(funnelFrom),
      offersOpened: Number(opens[0]?.n ?? 0),
      invoices: Number(invoices[0]?.invoices ?? 0),
      paid: Number(invoices[0]?.paid ?? 0),
    },
    reviews: reviews.map((r) => ({
      paymentId: String(r.payment_id),
      orderReference: String(r.reference),
      orderId: Number(r.order_id),
      userId: String(r.user_id),
      status: String(r.status),
      reason: r.review_reason === null ? null : String(r.review_reason),
      amount: r.amount === null ? null : String(r.amount),
      currency: r.currency === null ? null : String(r.currency),
      receivedAt: asIso(r.updated_at),
    })),
    trials: {
      since: iso(funnelFrom),
      started: Number(trials[0]?.started ?? 0),
      converted: Number(trials[0]?.converted ?? 0),
    },
  };
}

/**
 * The owner dashboard's figures (read-only, except `recordOfferOpen`, the funnel's first step).
 * Callers check that the asker owns the channel before calling.
 */
export function createReports(deps: CommerceDeps) {
  const core = coreOf(deps);
  const run = sqlRunner(deps.db);
  return {
    /** All figures of one channel, windows default to 30 days, 12 months and 30 days. */
    channel(channelId: number, window: ReportWindow = {}): Promise<ChannelReport> {
      return channelReport(run, channelId, core.now(), {
        dailyDays: window.dailyDays ?? 30,
        months: window.months ?? 12,
        funnelDays: window.funnelDays ?? 30,
      });
    },
    /** A subscriber opened the channel's offer (tier menu: tierId null; one tier from its post). */
    async recordOfferOpen(open: { channelId: number; tierId: number | null; userId: bigint }): Promise<void> {
      await core.db.insert(offerOpens).values({ ...open, openedAt: core.now() });
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
