/**
 * Fault: the three-service composition (Postgres, the Pub/Sub emulator, webhook-ingress with its
 * outbox relay, the notifier in its own process consuming by streaming pull, as `NOTIFIER_CONSUME=
 * subscribe`) while Telegram answers slowly (~300 ms per call). A burst of paid IPNs arrives; the
 * notifier is SIGKILLed in the middle of it and started again. The invariant: every order whose IPN
 * got a 2xx ends with exactly one invite DM within 60 s after the restarted notifier is up, with no
 * dead letter — whatever the restarted subscription does (the recovery is the database re-drive).
 * The worst recovery time is printed.
 */
import { randomBytes } from "node:crypto";
import { deadLetters } from "@telepay/db";
import { createOutboxRelay, createPubSubBus, type PubSubBus } from "@telepay/events";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  type PubSubEmulatorProcess,
  pubSubEmulatorAvailable,
  startBotApiEmulator,
  startLink,
  startNowPaymentsEmulator,
  startPubSubEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessOf,
  describeRepeat,
  orphanLinks,
  settledOnce,
  summarize,
  unexplainedRepeats,
  waitForAccess,
} from "../src/access-invariant.ts";
import { type ChildApp, spawnChild } from "../src/child.ts";
import { freePort, type Served, serveFetch } from "../src/serve.ts";
import {
  API_KEY,
  eventually,
  IPN_SECRET,
  mapLimit,
  memoryLogger,
  type PlacedOrder,
  placeOrder,
  type SeededChannel,
  SIGNING_SECRET,
  seedChannel,
  seedUser,
} from "../src/world.ts";

const databaseUrl = process.env.TEST_DATABASE_URL;
/** The run's shared emulator (CI starts one): this fault kills the notifier, never the emulator. */
const sharedEmulator = process.env.PUBSUB_EMULATOR_HOST;
const emulatorInstalled = Boolean(sharedEmulator) || pubSubEmulatorAvailable();
const N = Number(process.env.FAULTS_BURST ?? 100);
/** Payer DMs seen before the kill. */
const KILL_AFTER_DMS = Number(process.env.FAULTS_KILL_AFTER_DMS ?? 25);
const RECOVERY_DEADLINE_MS = 60_000;

describe.skipIf(!databaseUrl || !emulatorInstalled)(
  "three services: notifier SIGKILLed mid-burst and restarted (Postgres + Pub/Sub emulator; skipped without TEST_DATABASE_URL or an emulator)",
  () => {
    let database: TestDatabase;
    let tg: BotApiEmulator;
    let link: Awaited<ReturnType<typeof startLink>>;
    let np: NowPaymentsEmulator;
    let bus: PubSubBus;
    let relay: ReturnType<typeof createOutboxRelay>;
    let ingress: Served;
    let channel: SeededChannel;
    let emulator: Pick<PubSubEmulatorProcess, "host" | "stop">;
    let notifierPort: number;
    let placed: PlacedOrder[];
    const children: ChildApp[] = [];
    const prefix = `faults-crash-${randomBytes(4).toString("hex")}-`;

    beforeAll(async () => {
      // Topics and subscriptions are under this run's prefix, so the shared emulator is safe to use;
      // a private one (a JVM start, seconds of CPU) only when none is running.
      emulator = sharedEmulator
        ? { host: sharedEmulator, stop: async () => {} }
        : await startPubSubEmulator();
      notifierPort = await freePort();
      database = await createTestDatabase(databaseUrl);
      tg = await startBotApiEmulator();
      link = await startLink(tg.apiRoot, 150, 20);
      np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
      const { logger } = memoryLogger("ingress");
      bus = await createPubSubBus({
        projectId: "fault-tests",
        apiEndpoint: emulator.host,
        topicPrefix: prefix,
        subscriptionPrefix: prefix,
        createIfMissing: true,
        logger,
      });
      relay = createOutboxRelay({ db: database.db, bus, logger });
      relay.start(200);
      const handle = await createIngress({
        db: database,
        bus,
        relay,
        config: {
          ipnSecret: IPN_SECRET,
          allowedIps: [],
          trustedProxyHops: 0,
          rateLimit: { perMinute: 1000, burst: 1000 },
        },
        logger,
      });
      ingress = await serveFetch(handle.app.fetch);
      channel = await seedChannel(database, tg, { ownerId: 9_000_001, closedTitle: "Crash <Club>" });
      const users = Array.from({ length: N }, (_, i) => 8_100_000 + i);
      for (const id of users) await seedUser(database, tg, id);
      const ipnUrl = `${ingress.url}/webhooks/nowpayments`;
      placed = await mapLimit(users, 8, (userId) => placeOrder(database, np, { channel, userId, ipnUrl }));
    }, 180_000);

    afterAll(async () => {
      for (const child of children) await child.kill("SIGKILL");
      await relay?.stop();
      await bus?.close();
      await ingress?.close();
      await np?.stop();
      await link?.stop();
      await tg?.stop();
      await database?.close();
      await emulator?.stop();
    });

    const startNotifier = async () => {
      const child = spawnChild("notifier-child", {
        DATABASE_URL: database.url!,
        PUBSUB_HOST: emulator.host,
        TOPIC_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: link.url,
        BOT_USERNAME: tg.botUsername,
        SIGNING_SECRET,
        LEASE_MS: "120000",
        CONSUME: "subscribe",
        PORT: String(notifierPort),
      });
      children.push(child);
      await child.ready;
      return child;
    };

    const payerDms = () =>
      tg.calls.filter(
        (c) => c.ok && c.method === "sendMessage" && Number(c.params.chat_id) !== channel.ownerId,
      ).length;

    it(`${N} paid IPNs, notifier SIGKILLed after ${KILL_AFTER_DMS} invite DMs, restarted: one invite DM each within 60 s`, async () => {
      const first = await startNotifier();
      // The customers pay; every IPN is answered by webhook-ingress, which never dies here.
      const burst = mapLimit(placed, 10, (o) => np.sendIpn(o.invoiceId, "finished"));
      await eventually(() => payerDms() >= KILL_AFTER_DMS, `${KILL_AFTER_DMS} invite DMs`, 120_000, 20);
      const killedAt = Date.now();
      expect((await first.kill("SIGKILL")).signal).toBe("SIGKILL");
      const answers = await burst;
      expect(answers.map((a) => a.status)).toEqual(placed.map(() => 200));
      const atKill = accessOf(tg, placed).filter((a) => a.inviteDms > 0).length;
      expect(atKill).toBeLessThan(N);

      const second = await startNotifier();
      const upAt = Date.now();
      const health = await fetch(`http://127.0.0.1:${notifierPort}/health`).then(
        async (r) => `${r.status} ${await r.text()}`,
        (e: unknown) => String(e),
      );
      const { worstMs, final, complete } = await waitForAccess(tg, placed, upAt, RECOVERY_DEADLINE_MS);
      console.log(
        `[fault] three-service crash: ${atKill}/${N} payers had their DM at the kill; ` +
          `worst recovery ${(worstMs / 1000).toFixed(1)} s after the restarted notifier was up ` +
          `(deadline ${RECOVERY_DEADLINE_MS / 1000} s); its /health then: ${health.slice(0, 200)}`,
      );
      expect(
        complete,
        `not every paid order got access: ${summarize(final)}\n${second.logs().slice(-3000)}`,
      ).toBe(true);
      await new Promise((r) => setTimeout(r, 2_000));
      const state = accessOf(tg, placed);
      expect(
        unexplainedRepeats(state, killedAt, 2_000).map((a) => describeRepeat(a, killedAt)),
        summarize(state),
      ).toEqual([]);
      console.log(
        `[fault] three-service crash: ${state.filter(settledOnce).length}/${N} payers got exactly one DM; ` +
          `${state.filter((a) => a.dms > 1).length} DM(s) and ${orphanLinks(state)} link(s) repeated, all in flight at the kill`,
      );
      expect(await database.db.select().from(deadLetters)).toEqual([]);
      expect((await second.kill("SIGTERM")).code).toBe(0);
    }, 600_000);
  },
);
