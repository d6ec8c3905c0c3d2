/**
 * Fault: the notifier is killed (SIGKILL) in the middle of a batch of access grants and started
 * again. Real pieces: Postgres, the Pub/Sub emulator pushing to the notifier's /pubsub/push (as on
 * Cloud Run), webhook-ingress on a port, the outbox relay, the notifier in a child process;
 * NOWPayments and Telegram are the emulators. Postgres + Pub/Sub only: a child process cannot share
 * an in-memory PGlite.
 *
 * Why push and not streaming pull: the emulator (0.8.20) does not reliably hand a killed pull
 * client's outstanding messages to the next client (its log shows NoSuchMethodError while tearing
 * down the dead stream; messages stayed leased for minutes), so a pull version tests the emulator.
 *
 * The kill point: Telegram traffic is held at a gate, the process records the answers it already
 * got, then SIGKILL. So the crash is mid-batch for the database and the bus (grants pending or
 * leased, events unacknowledged), but not inside a Telegram call. A crash *between* Telegram
 * answering and the database recording it can repeat that one call (a second link nobody receives,
 * or a second DM): documented in apps/notifier/src/access.ts and not asserted away here.
 */
import { randomBytes } from "node:crypto";
import { accessGrants, processedEvents, subscriptions } from "@telepay/db";
import { createOutboxRelay, createPubSubBus, type PubSubBus, TOPICS } from "@telepay/events";
import { subscriptionNameFor } from "@telepay/notifier";
import {
  type BotApiEmulator,
  createTestDatabase,
  type NowPaymentsEmulator,
  type PubSubEmulatorProcess,
  pubSubEmulatorAvailable,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  startPubSubEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildApp, spawnChild } from "../src/child.ts";
import { type HttpGate, startHttpGate } from "../src/http-gate.ts";
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
// A private emulator: the shared one has push subscriptions of earlier suites retrying dead
// endpoints, and in CI its pushes to our restarted notifier starved behind them (nothing in 240 s).
const emulatorInstalled = pubSubEmulatorAvailable();
const N = 50;
/** Access DMs seen before the kill; the rest of the batch is still in flight. */
const KILL_AFTER_DMS = 12;
const LEASE_MS = 3_000;
// Generous for a loaded 2-core CI machine; a healthy run recovers in seconds.
const RECOVERY_TIMEOUT_MS = Number(process.env.FAULTS_RECOVERY_TIMEOUT_MS ?? 120_000);

const ownerNoticesDone = async (database: TestDatabase) =>
  (
    await database.db
      .select({ id: processedEvents.eventId })
      .from(processedEvents)
      .where(eq(processedEvents.consumer, "notifier.owner-notice"))
  ).length;

/**
 * The notifier's subscriptions as the bus would create them (dead-letter and retry policy), except
 * message ordering. Why: the emulator (0.8.20) cannot serve an *ordered* subscription again after a
 * streaming-pull client died mid-batch — every new stream ends at once with UNKNOWN, and its log shows
 * `NoSuchMethodError: io.grpc.InternalStatus.asRuntimeException` on the reset stream. Real Pub/Sub
 * has no such problem, and one payment.confirmed per order needs no cross-message order.
 */
async function createSubscriptionsWithoutOrdering(bus: PubSubBus, pushEndpoint?: string): Promise<void> {
  for (const topic of Object.values(TOPICS)) {
    const [main] = await bus.client.createTopic(bus.topicName(topic));
    const [dlq] = await bus.client.createTopic(bus.deadLetterTopicName(topic));
    await dlq.createSubscription(bus.deadLetterTopicName(topic));
    await main.createSubscription(bus.subscriptionName(subscriptionNameFor(topic)), {
      enableMessageOrdering: false,
      ackDeadlineSeconds: 10,
      ...(pushEndpoint ? { pushConfig: { pushEndpoint } } : {}),
      deadLetterPolicy: { deadLetterTopic: dlq.name, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } },
    });
  }
}

describe.skipIf(!databaseUrl || !emulatorInstalled)(
  "notifier killed mid-batch (Postgres + Pub/Sub emulator; skipped without TEST_DATABASE_URL or the emulator jar)",
  () => {
    let database: TestDatabase;
    let tg: BotApiEmulator;
    let np: NowPaymentsEmulator;
    let gate: HttpGate;
    let bus: PubSubBus;
    let relay: ReturnType<typeof createOutboxRelay>;
    let ingress: Served;
    let channel: SeededChannel;
    const children: ChildApp[] = [];
    const prefix = `faults-crash-${randomBytes(4).toString("hex")}-`;

    let notifierPort: number;
    let emulator: PubSubEmulatorProcess;
    beforeAll(async () => {
      emulator = await startPubSubEmulator();
      notifierPort = await freePort();
      database = await createTestDatabase(databaseUrl);
      tg = await startBotApiEmulator();
      np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET });
      gate = await startHttpGate(tg.apiRoot);
      const { logger } = memoryLogger("ingress");
      bus = createPubSubBus({
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
    });

    afterAll(async () => {
      for (const child of children) await child.kill("SIGKILL");
      await relay?.stop();
      await bus?.close();
      await ingress?.close();
      await gate?.close();
      await np?.stop();
      await tg?.stop();
      await database?.close();
      await emulator?.stop();
    });

    const startNotifier = async (consume: "push" | "subscribe" = "push") => {
      const child = spawnChild("notifier-child", {
        DATABASE_URL: database.url!,
        PUBSUB_HOST: emulator.host,
        TOPIC_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: gate.url,
        BOT_USERNAME: tg.botUsername,
        SIGNING_SECRET,
        LEASE_MS: String(LEASE_MS),
        CONSUME: consume,
        PORT: String(notifierPort),
      });
      children.push(child);
      await child.ready;
      return child;
    };

    const userDms = () =>
      tg.calls.filter(
        (c) => c.ok && c.method === "sendMessage" && Number(c.params.chat_id) !== channel.ownerId,
      );

    it(
      `${N} paid orders, SIGKILL after ${KILL_AFTER_DMS} invites, restart: one grant, one link, one DM each`,
      async () => {
        const users = Array.from({ length: N }, (_, i) => 8_100_000 + i);
        for (const id of users) await seedUser(database, tg, id);
        const ipnUrl = `${ingress.url}/webhooks/nowpayments`;
        const placed: PlacedOrder[] = await mapLimit(users, 8, (userId) =>
          placeOrder(database, np, { channel, userId, ipnUrl }),
        );

        await createSubscriptionsWithoutOrdering(bus, `http://127.0.0.1:${notifierPort}/pubsub/push`);
        const first = await startNotifier();
        // The customers pay: NOWPayments sends `finished` for every invoice.
        const answers = await mapLimit(placed, 10, (o) => np.sendIpn(o.invoiceId, "finished"));
        expect(answers.map((a) => a.status)).toEqual(placed.map(() => 200));

        // Some invites went out; freeze Telegram traffic where it stands and kill the process.
        await tg.waitForCalls(
          "sendMessage",
          KILL_AFTER_DMS,
          30_000,
          (c) => Number(c.params.chat_id) !== channel.ownerId,
        );
        gate.hold();
        await gate.drained();
        // Let the process record what Telegram already answered (it cannot get further: the gate holds).
        await eventually(
          async () => {
            const grants = await database.db.select().from(accessGrants);
            const dmSent = new Set(grants.filter((g) => g.state === "dm_sent").map((g) => g.inviteLink));
            const stored = new Set(grants.map((g) => g.inviteLink).filter(Boolean));
            const links = tg.calls.filter((c) => c.ok && c.method === "createChatInviteLink");
            const linksStored = links.every((c) =>
              stored.has((c.response as { result: { invite_link: string } }).result.invite_link),
            );
            const dmsMarked = userDms().length === dmSent.size;
            const ownerMarked =
              (await ownerNoticesDone(database)) ===
              tg.calls.filter(
                (c) => c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === channel.ownerId,
              ).length;
            return linksStored && dmsMarked && ownerMarked;
          },
          "the notifier to record the Telegram answers it got",
          10_000,
        );
        const killed = await first.kill("SIGKILL");
        expect(killed.signal).toBe("SIGKILL");
        expect(gate.dropHeld()).toBeGreaterThanOrEqual(0);
        gate.open();

        const atKill = await database.db.select().from(accessGrants);
        const deliveredAtKill = atKill.filter((g) => g.state === "dm_sent").length;
        // Mid-batch for real: invites went out, and not every paid order had its invite yet.
        expect(deliveredAtKill).toBeGreaterThanOrEqual(KILL_AFTER_DMS);
        expect(deliveredAtKill).toBeLessThan(N);

        // The emulator (0.8.20) does not reliably push again to an endpoint whose pushes failed while
        // the process was dead (seen: nothing for 240 s). The restarted notifier therefore takes over by
        // streaming pull from the same subscriptions, which keep every unacknowledged message — what a
        // restarted consumer must recover is the same either way.
        for (const topic of Object.values(TOPICS)) {
          await bus.client
            .subscription(bus.subscriptionName(subscriptionNameFor(topic)))
            .modifyPushConfig({});
        }
        const second = await startNotifier("subscribe");
        await eventually(
          async () => {
            const grants = await database.db.select().from(accessGrants);
            const done = grants.filter((g) => g.state === "dm_sent").length === N;
            return done && (await ownerNoticesDone(database)) === N;
          },
          `all ${N} invites and owner notices after the restart`,
          RECOVERY_TIMEOUT_MS,
          250,
        ).catch(async (err) => {
          const states = (await database.db.select().from(accessGrants)).map((g) => g.state);
          const count = (xs: string[]) =>
            JSON.stringify(
              Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length])),
            );
          throw new Error(
            `${(err as Error).message}; grants ${states.length} ${count(states)}, owner notices ${await ownerNoticesDone(database)}\nsecond notifier log tail:\n${second.logs().slice(-3000)}`,
          );
        });

        // Exactly one grant per order, each delivered, its link the one Telegram made for that order.
        const grants = await database.db.select().from(accessGrants);
        expect(grants).toHaveLength(N);
        expect(new Set(grants.map((g) => g.orderId))).toEqual(new Set(placed.map((o) => o.id)));
        const links = tg.calls.filter((c) => c.ok && c.method === "createChatInviteLink");
        expect(links).toHaveLength(N);
        const byName = new Map<string, number>();
        for (const c of links)
          byName.set(String(c.params.name), (byName.get(String(c.params.name)) ?? 0) + 1);
        for (const o of placed) expect(byName.get(o.reference.slice(0, 32)), o.reference).toBe(1);

        // One DM per customer, carrying the stored link; one owner notice per order.
        for (const o of placed) {
          const dms = tg.messages(o.userId).filter((m) => m.from_id === tg.botId);
          expect(dms, `DMs to ${o.userId}`).toHaveLength(1);
          const grant = grants.find((g) => g.orderId === o.id)!;
          expect(JSON.stringify(dms[0]!.reply_markup)).toContain(grant.inviteLink!);
          expect(dms[0]!.plainText).toContain("welcome to Crash <Club>");
        }
        const ownerTexts = tg
          .messages(channel.ownerId)
          .filter((m) => m.from_id === tg.botId)
          .map((m) => m.plainText ?? "");
        expect(ownerTexts).toHaveLength(N);
        for (const o of placed) expect(ownerTexts.filter((t) => t.includes(o.reference))).toHaveLength(1);

        // Each subscription was extended once: 30 days, not 60.
        const subs = await database.db.select().from(subscriptions);
        expect(subs).toHaveLength(N);
        for (const s of subs) {
          const days = (s.expiresAt.getTime() - Date.now()) / 86_400_000;
          expect(days).toBeGreaterThan(29.9);
          expect(days).toBeLessThanOrEqual(30);
        }
        const stopped = await second.kill("SIGTERM");
        expect(stopped.code).toBe(0);
      },
      RECOVERY_TIMEOUT_MS + 90_000,
    );
  },
);
