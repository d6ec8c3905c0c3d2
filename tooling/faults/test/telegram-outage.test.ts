/**
 * Fault: Telegram answers every call with 429 (invite links) or 502 (everything else) for 30 s while
 * payments come in. The standalone composition (ingress + notifier + bot on the in-process bus, the
 * same createApp code as Cloud Run) must deliver every invite and notification afterwards, none twice.
 * Runs on PGlite and Postgres.
 */
import { accessGrants } from "@telepay/db";
import { createStandalone, type Standalone } from "@telepay/standalone";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Served, serveFetch } from "../src/serve.ts";
import {
  API_KEY,
  eventually,
  IPN_SECRET,
  mapLimit,
  memoryLogger,
  placeOrder,
  SIGNING_SECRET,
  seedChannel,
  seedUser,
} from "../src/world.ts";

/** The 30 s (FAULTS_TELEGRAM_OUTAGE_MS shortens it for a quick local run). */
const OUTAGE_MS = Number(process.env.FAULTS_TELEGRAM_OUTAGE_MS ?? 30_000);
const PAID = 8;
const PARTIAL = 2;

describe(`Bot API failing for ${OUTAGE_MS} ms`, () => {
  let database: TestDatabase;
  let tg: BotApiEmulator;
  let np: NowPaymentsEmulator;
  let standalone: Standalone;
  let served: Served;
  const log = memoryLogger("standalone");

  beforeAll(async () => {
    database = await createTestDatabase(process.env.TEST_DATABASE_URL);
    tg = await startBotApiEmulator();
    np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
    standalone = await createStandalone({
      database,
      config: {
        telegram: { token: tg.token, apiRoot: tg.apiRoot },
        nowPayments: { apiKey: API_KEY, ipnSecret: IPN_SECRET, apiBase: np.apiBase, allowedIps: [] },
        publicBaseUrl: "http://127.0.0.1:9",
        signingSecret: SIGNING_SECRET,
        allowedIps: ["127.0.0.1"],
        rateLimit: { perMinute: 10, burst: 20 },
        trustedProxyHops: 0,
        sweepIntervalMs: 3_600_000,
        relayIntervalMs: 250,
      },
      logger: log.logger,
    });
    served = await serveFetch(standalone.app.fetch);
    await standalone.start();
  });

  afterAll(async () => {
    await standalone?.stop();
    await served?.close();
    await np?.stop();
    await tg?.stop();
    await database?.close();
  });

  it("every invite and notification arrives afterwards, none twice", async () => {
    const channel = await seedChannel(database, tg, { ownerId: 9_200_001, closedTitle: "Outage Club" });
    const ipnUrl = `${served.url}/webhooks/nowpayments`;
    const users = Array.from({ length: PAID + PARTIAL }, (_, i) => 8_300_000 + i);
    for (const id of users) await seedUser(database, tg, id);
    const placed = await mapLimit(users, 5, (userId) =>
      placeOrder(database, np, { channel, userId, ipnUrl }),
    );
    const paid = placed.slice(0, PAID);
    const partial = placed.slice(PAID);

    const outageStart = Date.now();
    tg.failFor(OUTAGE_MS, { kind: "429", retryAfter: 3 }, "createChatInviteLink");
    tg.failFor(OUTAGE_MS, { kind: "5xx", status: 502 }, "*");
    const answers = [
      ...(await mapLimit(paid, 4, (o) => np.sendIpn(o.invoiceId, "finished"))),
      ...(await mapLimit(partial, 4, (o) => np.sendIpn(o.invoiceId, "partially_paid"))),
    ];
    // Telegram being down is not the payment's problem: every IPN is recorded at once.
    expect(answers.map((a) => a.status)).toEqual(placed.map(() => 200));

    // The notifier kept trying during the outage (the failures were served to it)…
    await eventually(() => tg.stats.injected >= PAID, "the notifier to hit the outage", OUTAGE_MS);
    const okDuringOutage = () =>
      tg.calls.filter(
        (c) => c.ok && c.at >= outageStart && c.at < outageStart + OUTAGE_MS && c.method !== "getUpdates",
      );
    // …and everything arrives once Telegram is back.
    const ownerTexts = () => tg.messages(channel.ownerId).filter((m) => m.from_id === tg.botId);
    await eventually(
      async () => {
        const grants = await database.db.select().from(accessGrants);
        const delivered = grants.filter((g) => g.state === "dm_sent").length === PAID;
        const partialTold = partial.every((o) => tg.messages(o.userId).some((m) => m.from_id === tg.botId));
        // The owner hears of every paid order and is asked to review every partial payment.
        return delivered && partialTold && ownerTexts().length >= PAID + PARTIAL;
      },
      "every invite, partial-payment notice and owner notice after the outage",
      OUTAGE_MS + 90_000,
      250,
    ).catch(async (err) => {
      const states = (await database.db.select().from(accessGrants)).map((g) => g.state);
      throw new Error(
        `${(err as Error).message}; grants ${JSON.stringify(states)}; owner ${ownerTexts().length}; ` +
          `dead letters ${standalone.bus.deadLetters.length}; injected ${tg.stats.injected}`,
      );
    });
    expect(okDuringOutage()).toEqual([]);
    expect(Date.now() - outageStart).toBeGreaterThanOrEqual(OUTAGE_MS);

    // None twice: one link per order, one DM per customer, one owner notice per paid order.
    const links = tg.calls.filter((c) => c.ok && c.method === "createChatInviteLink");
    expect(links.map((c) => c.params.name).sort()).toEqual(paid.map((o) => o.reference.slice(0, 32)).sort());
    const grants = await database.db.select().from(accessGrants);
    for (const o of paid) {
      const dms = tg.messages(o.userId).filter((m) => m.from_id === tg.botId);
      expect(dms, `DMs to ${o.userId}`).toHaveLength(1);
      expect(JSON.stringify(dms[0]!.reply_markup)).toContain(
        grants.find((g) => g.orderId === o.id)!.inviteLink!,
      );
    }
    for (const o of partial) {
      const dms = tg.messages(o.userId).filter((m) => m.from_id === tg.botId);
      expect(dms, `DMs to ${o.userId}`).toHaveLength(1);
      expect(dms[0]!.plainText).toContain("is incomplete");
    }
    const owner = ownerTexts().map((m) => m.plainText ?? "");
    expect(owner).toHaveLength(PAID + PARTIAL);
    for (const o of placed) expect(owner.filter((t) => t.includes(o.reference))).toHaveLength(1);
    expect(standalone.bus.deadLetters).toEqual([]);
    console.info(
      `telegram outage ${OUTAGE_MS} ms: ${tg.stats.injected} failures served, all delivered ` +
        `${Date.now() - outageStart - OUTAGE_MS} ms after it ended`,
    );
  });
});
