import {
  type ChannelReport,
  CommerceError,
  type CommerceErrorCode,
  createChannels,
  createPromos,
  createReviews,
  listReviews,
  MAX_NOTE_LENGTH,
  type PromoSummary,
  promoJson,
  type Reports,
  type RevenueRow,
} from "@telepay/commerce";
import { channels, type Db, tiers } from "@telepay/db";
import { BODY_LIMITS, type ErrorCode, errorResponse, limitBody } from "@telepay/security";
import { and, asc, eq } from "drizzle-orm";
import type { Api } from "grammy";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type ChannelRole, checkChannelRights } from "../services/chat-rights.ts";
import { textsFor } from "../services/locale.ts";
import { type DashboardVars, initDataAuth } from "./auth.ts";
import { addDecimals } from "./money.ts";
import { checkTiers } from "./tiers.ts";

export interface DashboardApiDeps {
  db: Db;
  reports: Reports;
  /** The bot's Api (current admin rights are checked before an edit) and its id. */
  api: Api;
  botId: number;
  botToken: string;
  initDataMaxAgeSeconds: number;
  now: () => Date;
  kickRelay: () => void;
}

/** One point of a chart: the total of one rail+currency in one period, over every tier. */
export interface SeriesPoint {
  series: string;
  period: string;
  amount: string;
}

function totals(rows: readonly RevenueRow[]): SeriesPoint[] {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.rail}:${r.currency}\u0000${r.period}`;
    groups.set(key, [...(groups.get(key) ?? []), r.amount]);
  }
  return [...groups.entries()].map(([key, amounts]) => {
    const [series = "", period = ""] = key.split("\u0000");
    return { series, period, amount: addDecimals(amounts) };
  });
}

/** Each plan's revenue over the monthly window, per rail+currency (donations: tierId null). */
function byTier(rows: readonly RevenueRow[]) {
  const groups = new Map<
    string,
    { series: string; tierId: number | null; amounts: string[]; orders: number }
  >();
  for (const r of rows) {
    const series = `${r.rail}:${r.currency}`;
    const key = `${series}\u0000${r.tierId ?? ""}`;
    const g = groups.get(key) ?? { series, tierId: r.tierId, amounts: [], orders: 0 };
    g.amounts.push(r.amount);
    g.orders += r.orders;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    series: g.series,
    tierId: g.tierId,
    amount: addDecimals(g.amounts),
    orders: g.orders,
  }));
}

const tiersBody = z.object({
  tiers: z
    .array(
      z.object({
        label: z.string().max(200),
        price: z.string().max(20),
        days: z.number().int(),
      }),
    )
    .max(50),
});

const reviewBody = z.strictObject({
  decision: z.enum(["grant", "dismiss"]),
  /** The reason the owner saw: a payment flagged again meanwhile is not decided on stale facts. */
  reason: z.string().min(1).max(64),
  note: z.string().max(MAX_NOTE_LENGTH).optional(),
});
/** A review id as NOWPayments (or a Stars charge) names a payment; anything else is no review. */
const PAYMENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** How the core's refusals answer on this API. */
const STATUS_OF: Record<CommerceErrorCode, ErrorCode> = {
  INVALID: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  CHAT_TAKEN: "CONFLICT",
  CONFLICT: "CONFLICT",
};

type Ctx = Context<{ Variables: DashboardVars }>;

/**
 * The dashboard's JSON API under /dashboard/api. Every route verifies the initData first, then
 * answers only about channels whose `owner_telegram_id` is the verified user: another owner's
 * channel and a channel that does not exist get the same 403.
 */
export function dashboardApi(deps: DashboardApiDeps): Hono<{ Variables: DashboardVars }> {
  const api = new Hono<{ Variables: DashboardVars }>();
  api.use(
    initDataAuth({ botToken: deps.botToken, maxAgeSeconds: deps.initDataMaxAgeSeconds, now: deps.now }),
  );

  async function owned(c: Ctx) {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return undefined;
    const [row] = await deps.db
      .select()
      .from(channels)
      .where(and(eq(channels.id, id), eq(channels.ownerTelegramId, BigInt(c.get("owner").id))));
    return row;
  }
  const notYours = (c: Ctx) => errorResponse(c, "FORBIDDEN", "not your channel");

  api.get("/channels", async (c) => {
    const rows = await deps.db
      .select({
        id: channels.id,
        title: channels.closedTitle,
        openTitle: channels.openTitle,
        status: channels.status,
      })
      .from(channels)
      .where(eq(channels.ownerTelegramId, BigInt(c.get("owner").id)))
      .orderBy(asc(channels.id));
    return c.json({ channels: rows });
  });

  api.get("/channels/:id", async (c) => {
    const channel = await owned(c);
    if (!channel) return notYours(c);
    const owner = { kind: "owner" as const, telegramId: BigInt(c.get("owner").id) };
    const [report, allTiers, promos] = await Promise.all([
      deps.reports.channel(channel.id),
      deps.db
        .select()
        .from(tiers)
        .where(eq(tiers.channelId, channel.id))
        .orderBy(asc(tiers.position), asc(tiers.id)),
      createPromos({ db: deps.db, now: deps.now }).list(owner, channel.id),
    ]);
    return c.json(view(channel, allTiers, report, promos));
  });

  api.put("/channels/:id/tiers", limitBody({ maxBytes: BODY_LIMITS.dashboard }), async (c) => {
    const channel = await owned(c);
    if (!channel) return notYours(c);
    const body = tiersBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return errorResponse(c, "BAD_REQUEST", "body must be {tiers: [{label, price, days}]}");
    const checked = checkTiers(body.data.tiers, await textsFor(deps.db, c.get("owner").id));
    if (!checked.ok) return errorResponse(c, "BAD_REQUEST", checked.error);
    // The owner's *current* admin rights, as in /mychannels (docs/legacy-mistakes.md#lm-9).
    for (const [chatId, role] of [
      [channel.openChatId, "open"],
      [channel.closedChatId, "closed"],
    ] as Array<[bigint, ChannelRole]>) {
      const problem = await checkChannelRights(
        deps.api,
        chatId.toString(),
        c.get("owner").id,
        deps.botId,
        role,
      );
      if (problem && problem.kind !== "bot_missing_rights")
        return errorResponse(c, "FORBIDDEN", `rights: ${problem.kind}`);
    }
    // The same core call as the /mychannels editor: old rows kept inactive, audited, republished.
    await createChannels({ db: deps.db, now: deps.now, onEnqueued: deps.kickRelay }).replaceTiers(
      channel.id,
      { kind: "owner", telegramId: BigInt(c.get("owner").id) },
      checked.value.map((x) => ({
        price: x.price,
        durationDays: x.days,
        label: x.label,
        starsPrice: x.starsPrice ?? null,
      })),
    );
    const active = await deps.db
      .select()
      .from(tiers)
      .where(and(eq(tiers.channelId, channel.id), eq(tiers.active, true)))
      .orderBy(asc(tiers.position));
    return c.json({ tiers: active.map(tierView) });
  });

  // "Grant anyway" / "Dismiss with a note", as on the owner's review DM: the same core call
  // (commerce reviews.resolve), which checks ownership again, refuses a resolved or re-flagged
  // review, and audits the decision.
  api.post("/channels/:id/reviews/:paymentId", limitBody({ maxBytes: BODY_LIMITS.dashboard }), async (c) => {
    const channel = await owned(c);
    if (!channel) return notYours(c);
    const paymentId = c.req.param("paymentId");
    if (!PAYMENT_ID.test(paymentId)) return errorResponse(c, "NOT_FOUND", "no such review in this channel");
    const body = reviewBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return errorResponse(
        c,
        "BAD_REQUEST",
        `body must be {decision: "grant"|"dismiss", reason, note?} (note at most ${MAX_NOTE_LENGTH} characters)`,
      );
    }
    // The review must be about this channel's order: the URL's channel is the one checked above.
    const [review] = await listReviews(deps.db, { paymentId, channelId: channel.id, includeResolved: true });
    if (!review) return errorResponse(c, "NOT_FOUND", "no such review in this channel");
    try {
      const resolved = await createReviews({
        db: deps.db,
        now: deps.now,
        onEnqueued: deps.kickRelay,
      }).resolve({
        paymentId,
        decision: body.data.decision,
        note: body.data.note ?? null,
        reason: body.data.reason,
        actor: { kind: "owner", telegramId: BigInt(c.get("owner").id) },
      });
      return c.json({ paymentId, status: resolved.review.status });
    } catch (err) {
      if (err instanceof CommerceError) return errorResponse(c, STATUS_OF[err.code], err.message);
      throw err;
    }
  });

  return api;
}

type TierRow = typeof tiers.$inferSelect;
const tierView = (t: TierRow) => ({
  id: t.id,
  position: t.position,
  label: t.label,
  price: t.price,
  currency: t.currency,
  days: t.durationDays,
  active: t.active,
});

function view(
  channel: typeof channels.$inferSelect,
  allTiers: TierRow[],
  report: ChannelReport,
  promos: PromoSummary[],
) {
  return {
    channel: {
      id: channel.id,
      title: channel.closedTitle || channel.openTitle,
      openTitle: channel.openTitle,
      status: channel.status,
    },
    tiers: allTiers.filter((t) => t.active).map(tierView),
    /** Names of every plan the figures mention, retired ones included. */
    tierNames: Object.fromEntries(allTiers.map((t) => [t.id, { label: t.label, active: t.active }])),
    report,
    charts: { daily: totals(report.revenueDaily), monthly: totals(report.revenueMonthly) },
    byTier: byTier(report.revenueMonthly),
    promos: promos.map(promoJson),
  };
}
