import { auditLog, offerOpens, outbox, tiers } from "@telepay/db";
import { signInitData } from "@telepay/security";
import { type DashboardSeed, seedDashboard } from "@telepay/testing";
import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, seedChannel, startHarness, uniqueId } from "./harness.ts";

describe("owner dashboard (Mini App) served by bot-gateway", () => {
  let h: Harness;
  let seed: DashboardSeed;
  beforeAll(async () => {
    h = await startHarness();
    const owner = uniqueId();
    seed = await seedDashboard(h.db, { ownerId: BigInt(owner), otherOwnerId: BigInt(uniqueId()) });
    // The bot's clock at the seed's instant: the figures are computed as of then.
    h.advance(seed.now.getTime() - h.now().getTime());
  });
  afterAll(async () => {
    await h?.close();
  });

  /** initData as Telegram would sign it for `userId`, `ageSeconds` ago (token: the bot's, unless forged). */
  const initData = (userId: bigint | number, ageSeconds = 5, token = h.tg.token) =>
    signInitData(
      {
        auth_date: String(Math.floor(h.now().getTime() / 1000) - ageSeconds),
        query_id: "AAEAAQ",
        user: JSON.stringify({ id: Number(userId), first_name: "Olivia" }),
      },
      token,
    );
  const get = (path: string, init?: string) =>
    h.app.app.request(path, init === undefined ? {} : { headers: { authorization: `tma ${init}` } });
  const post = (path: string, init: string, body: unknown) => send("POST", path, init, body);
  const put = (path: string, init: string, body: unknown) => send("PUT", path, init, body);
  const send = (method: string, path: string, init: string, body: unknown) =>
    h.app.app.request(path, {
      method,
      headers: { authorization: `tma ${init}`, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("serves the page, its one script and stylesheet with a CSP that lets only them run and Telegram Web frame it", async () => {
    const page = await get("/dashboard");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/dashboard/app.js"></script>');
    expect(html).toContain('"revenueMonthly":"Revenue per month"');
    // In the owner's language, which the /mychannels button passes.
    const ru = await (await get("/dashboard?lang=ru")).text();
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain('"revenueMonthly":"Выручка по месяцам"');
    expect(ru).toContain('"reviewConflict":"Уже решено или изменилось за это время: {reason}"');
    expect(await (await get("/dashboard?lang=%3Cscript%3E")).text()).toContain('<html lang="en">');
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors https://web.telegram.org");
    expect(page.headers.get("x-frame-options")).toBeNull();
    const js = await get("/dashboard/app.js");
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await js.text()).length).toBeLessThan(20_000);
    // The API keeps the strict JSON headers.
    const api = await get("/dashboard/api/channels", initData(seed.ownerId));
    expect(api.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(api.headers.get("x-frame-options")).toBe("DENY");
  });

  it("shows the owner's figures exactly as the database has them", async () => {
    const res = await get(`/dashboard/api/channels/${seed.channelId}`, initData(seed.ownerId));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      channel: { id: number; title: string };
      report: {
        subscribers: { active: number; mrr: unknown[] };
        funnel: object;
        reviews: Array<{ paymentId: string }>;
        trials: { started: number; converted: number };
      };
      promos: Array<{ code: string; percentOff: number | null; amountOff: string | null; uses: number }>;
      charts: { monthly: Array<{ series: string; period: string; amount: string }>; daily: unknown[] };
      byTier: Array<{ series: string; tierId: number | null; amount: string; orders: number }>;
    };
    expect(body.channel).toMatchObject({ id: seed.channelId, title: "Alpha VIP" });
    expect(body.report.subscribers.active).toBe(seed.expected.active);
    expect(body.report.subscribers.mrr).toEqual([{ rail: "crypto", currency: "USD", amount: "18.32" }]);
    expect(body.report.funnel).toMatchObject(seed.expected.funnel);
    expect(body.report.reviews.map((r) => r.paymentId)).toEqual(seed.expected.reviewPaymentIds);
    expect(body.report.trials).toMatchObject(seed.expected.trials);
    // The owner's promo codes with their use counts; the other owner's code is not among them.
    expect(body.promos.map((p) => p.code)).toEqual(seed.expected.promoCodes);
    expect(body.promos[0]).toMatchObject({ percentOff: 20, maxUses: 10, uses: 0, active: true });
    expect(body.promos[1]).toMatchObject({ amountOff: "5", active: false });
    // Chart points: one per rail+currency and month, the tiers added exactly; never USD + EUR.
    expect(body.charts.monthly).toEqual([
      { series: "crypto:USD", period: "2026-10", amount: "9.99" },
      { series: "crypto:USD", period: "2026-11", amount: "39.98" },
      { series: "crypto:EUR", period: "2026-11", amount: "7.50" },
    ]);
    expect(body.byTier).toEqual(
      expect.arrayContaining([
        { series: "crypto:USD", tierId: seed.tierIds.monthly, amount: "19.98", orders: 2 },
        { series: "crypto:USD", tierId: seed.tierIds.quarterly, amount: "24.99", orders: 1 },
        { series: "crypto:USD", tierId: null, amount: "5.00", orders: 1 },
        { series: "crypto:EUR", tierId: null, amount: "7.50", orders: 1 },
      ]),
    );
    const list = (await (await get("/dashboard/api/channels", initData(seed.ownerId))).json()) as {
      channels: Array<{ id: number }>;
    };
    expect(list.channels.map((c) => c.id)).toEqual([seed.channelId]);
  });

  it("refuses another owner's, a stale, a forged and a missing initData on every route", async () => {
    const routes = [
      (i: string) => get(`/dashboard/api/channels/${seed.channelId}`, i),
      (i: string) =>
        put(`/dashboard/api/channels/${seed.channelId}/tiers`, i, {
          tiers: [{ label: "X", price: "1", days: 1 }],
        }),
      (i: string) =>
        post(`/dashboard/api/channels/${seed.channelId}/reviews/${seed.expected.reviewPaymentIds[0]}`, i, {
          decision: "grant",
          reason: "underpaid",
        }),
    ];
    const forgedUser = initData(seed.ownerId).replace(
      encodeURIComponent(`"id":${seed.ownerId}`),
      encodeURIComponent(`"id":${seed.otherOwnerId}`),
    );
    for (const route of routes) {
      const other = await route(initData(seed.otherOwnerId));
      expect(other.status).toBe(403);
      expect(((await other.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
      const stale = await route(initData(seed.ownerId, 3601));
      expect(stale.status).toBe(401);
      expect(await stale.text()).toContain("stale");
      const forged = await route(initData(seed.ownerId, 5, "123:another-bots-token"));
      expect(forged.status).toBe(401);
      expect(await forged.text()).toContain("bad_hash");
      expect((await route(forgedUser)).status).toBe(401);
      expect((await route("")).status).toBe(401);
    }
    expect((await get("/dashboard/api/channels")).status).toBe(401);
    // A channel that does not exist answers like another owner's: no way to probe ids.
    expect((await get("/dashboard/api/channels/2147483000", initData(seed.ownerId))).status).toBe(403);
    // The other owner's plans were not touched.
    const active = await h.db.db
      .select()
      .from(tiers)
      .where(and(eq(tiers.channelId, seed.channelId), eq(tiers.active, true)));
    expect(active.map((t) => t.label).sort()).toEqual(["Monthly", "Quarterly"]);
  });

  it("authenticates before reading the body, then bounds it", async () => {
    const big = JSON.stringify({ tiers: [{ label: "x".repeat(40_000), price: "1", days: 1 }] });
    expect((await put(`/dashboard/api/channels/${seed.channelId}/tiers`, "forged", big)).status).toBe(401);
    expect(
      (await put(`/dashboard/api/channels/${seed.channelId}/tiers`, initData(seed.ownerId), big)).status,
    ).toBe(413);
  });

  it("edits plans: old rows kept inactive, audited, the tier post republished; bad plans and lost rights refused", async () => {
    const { channel, owner, openChat } = await seedChannel(h);
    const path = `/dashboard/api/channels/${channel.id}/tiers`;
    const bad = await put(path, initData(owner), { tiers: [{ label: "Free", price: "0", days: 30 }] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("positive amount");

    const res = await put(path, initData(owner), {
      tiers: [
        { label: "Weekly", price: "3.50", days: 7 },
        { label: "Yearly", price: "99", days: 365 },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tiers: Array<{ label: string }> }).tiers.map((t) => t.label)).toEqual([
      "Weekly",
      "Yearly",
    ]);
    const rows = await h.db.db
      .select()
      .from(tiers)
      .where(eq(tiers.channelId, channel.id))
      .orderBy(asc(tiers.id));
    expect(rows.map((r) => [r.label, r.price, r.durationDays, r.active])).toEqual([
      ["Monthly", "9.99", 30, false],
      ["Quarterly", "24.99", 90, false],
      ["Weekly", "3.5", 7, true],
      ["Yearly", "99", 365, true],
    ]);
    const [audit] = await h.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.channelId, channel.id))
      .orderBy(desc(auditLog.id));
    expect(audit).toMatchObject({ action: "channel.tiers_changed", actorTelegramId: BigInt(owner) });
    const events = await h.db.db.select().from(outbox).where(eq(outbox.topic, "channel.publish_requested"));
    expect(events.some((e) => (e.payload as { channelId: number }).channelId === channel.id)).toBe(true);

    // Telegram says the owner is no longer an admin of the public channel: refused, nothing changed.
    h.tg.setChatMember(openChat, owner, "member");
    const refused = await put(path, initData(owner), { tiers: [{ label: "Cheap", price: "1", days: 1 }] });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("owner_not_admin");
    const after = await h.db.db
      .select()
      .from(tiers)
      .where(and(eq(tiers.channelId, channel.id), eq(tiers.active, true)));
    expect(after.map((t) => t.label).sort()).toEqual(["Weekly", "Yearly"]);
  });

  it("/mychannels has a web_app button opening the channel's dashboard; opened offers are counted", async () => {
    const { channel, owner } = await seedChannel(h);
    await h.say(owner, "/mychannels");
    await h.press(owner, h.last(owner).message_id, `mc:o:${channel.id}`);
    const markup = h.last(owner).reply_markup as {
      inline_keyboard: Array<Array<{ text: string; web_app?: { url: string } }>>;
    };
    const button = markup.inline_keyboard.flat().find((b) => b.web_app);
    expect(button).toEqual({
      text: "📊 Dashboard",
      web_app: { url: `https://pay.example.test/dashboard?channel=${channel.id}&lang=en` },
    });

    const buyer = uniqueId();
    h.tg.addUser({ id: buyer, first_name: "Sam" });
    await h.say(buyer, `/start c${channel.id}`);
    const opened = await h.db.db.select().from(offerOpens).where(eq(offerOpens.channelId, channel.id));
    expect(opened).toMatchObject([{ userId: BigInt(buyer), tierId: null }]);
  });

  it("settles a review like the owner's DM: through the core, once, only for the channel's owner", async () => {
    const [paymentId] = seed.expected.reviewPaymentIds;
    const path = `/dashboard/api/channels/${seed.channelId}/reviews/${paymentId}`;
    const open = async () =>
      (
        (await (await get(`/dashboard/api/channels/${seed.channelId}`, initData(seed.ownerId))).json()) as {
          report: { reviews: Array<{ paymentId: string }> };
        }
      ).report.reviews.map((r) => r.paymentId);
    const audits = async () =>
      (await h.db.db.select().from(auditLog).where(eq(auditLog.channelId, seed.channelId))).filter((a) =>
        a.action.startsWith("review."),
      );

    // Hostile input changes nothing: a malformed body, a review of another owner's channel named
    // under this channel, a payment id that is no id, and a decision on a reason the owner never saw.
    expect(
      (await post(path, initData(seed.ownerId), { decision: "refund", reason: "underpaid" })).status,
    ).toBe(400);
    expect((await post(path, initData(seed.ownerId), "{not json")).status).toBe(400);
    const foreign = `/dashboard/api/channels/${seed.channelId}/reviews/${seed.foreignReviewPaymentId}`;
    expect(
      (await post(foreign, initData(seed.ownerId), { decision: "grant", reason: "underpaid" })).status,
    ).toBe(404);
    const odd = `/dashboard/api/channels/${seed.channelId}/reviews/${encodeURIComponent("x' or 1=1--")}`;
    expect((await post(odd, initData(seed.ownerId), { decision: "grant", reason: "underpaid" })).status).toBe(
      404,
    );
    const stale = await post(path, initData(seed.ownerId), { decision: "grant", reason: "overpaid" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("flagged again");
    expect(await open()).toEqual([paymentId]);
    expect(await audits()).toEqual([]);

    const note = "refunded the 4.99 difference";
    const dismissed = await post(path, initData(seed.ownerId), {
      decision: "dismiss",
      reason: "underpaid",
      note,
    });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toEqual({ paymentId, status: "dismissed" });
    expect(await open()).toEqual([]);
    const [audit] = await audits();
    expect(audit).toMatchObject({ actorTelegramId: seed.ownerId });
    expect(JSON.stringify(audit?.details)).toContain(note);

    // A second tap (or the DM's button after the dashboard) finds it settled.
    const again = await post(path, initData(seed.ownerId), { decision: "grant", reason: "underpaid" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already resolved");
    expect(await audits()).toHaveLength(1);
  });
});
