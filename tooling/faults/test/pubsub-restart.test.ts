/**
 * Fault: the Pub/Sub emulator is killed and started again (empty: topics, subscriptions and
 * undelivered messages are gone, as after any emulator restart) while events keep being written
 * to the outbox. The relay must catch up once Pub/Sub is back, and an idempotent consumer must see
 * every event's effect exactly once. Uses an emulator process of its own on a free port; the shared
 * one on 8085 is never touched. Runs on PGlite and Postgres (one process).
 */
import { randomBytes } from "node:crypto";
import { outbox } from "@telepay/db";
import {
  createOutboxRelay,
  createPubSubBus,
  enqueue,
  handleOnce,
  type PubSubBus,
  TOPICS,
} from "@telepay/events";
import {
  createTestDatabase,
  type PubSubEmulatorProcess,
  pubSubEmulatorAvailable,
  startPubSubEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, memoryLogger } from "../src/world.ts";

const emulatorInstalled = pubSubEmulatorAvailable();
const PER_PHASE = 20;

describe.skipIf(!emulatorInstalled)(
  "Pub/Sub emulator restarted mid-run (skipped without the Cloud SDK's emulator jar)",
  () => {
    let database: TestDatabase;
    let emulator: PubSubEmulatorProcess;
    let producerBus: PubSubBus;
    let consumerBus: PubSubBus;
    let relay: ReturnType<typeof createOutboxRelay>;
    const producerLog = memoryLogger("producer");
    const consumerLog = memoryLogger("consumer");
    /** Committed effects per event id (the consumer's side effect ran and its claim committed). */
    const effects = new Map<string, number>();
    let deliveries = 0;

    beforeAll(async () => {
      database = await createTestDatabase(process.env.TEST_DATABASE_URL);
      emulator = await startPubSubEmulator({
        ...(process.env.FAULTS_EMULATOR_LOG ? { logFile: process.env.FAULTS_EMULATOR_LOG } : {}),
      });
      const prefix = `faults-restart-${randomBytes(3).toString("hex")}-`;
      const options = {
        projectId: "fault-tests",
        apiEndpoint: emulator.host,
        topicPrefix: prefix,
        subscriptionPrefix: prefix,
        createIfMissing: true,
        retryBackoff: { minSeconds: 1, maxSeconds: 2 },
        ackDeadlineSeconds: 10,
        healthTimeoutMs: 1_000,
      };
      // Two bus instances, as in two services: the relay's and the consumer's.
      producerBus = await createPubSubBus({ ...options, logger: producerLog.logger });
      consumerBus = await createPubSubBus({ ...options, logger: consumerLog.logger });
      await consumerBus.subscribe(TOPICS.subscriptionChanged, "faults-consumer", async (event) => {
        deliveries++;
        const outcome = await database.db.transaction((tx) =>
          handleOnce(tx, "faults.consumer", event.id, async () => {}),
        );
        if (outcome.ran) effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
      });
      relay = createOutboxRelay({ db: database.db, bus: producerBus, logger: producerLog.logger });
      relay.start(250);
    }, 120_000);

    afterAll(async () => {
      await relay?.stop();
      await producerBus?.close();
      await consumerBus?.close();
      await emulator?.stop();
      await database?.close();
    });

    let seq = 0;
    const enqueueSome = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(
          await database.db.transaction((tx) =>
            enqueue(tx, TOPICS.subscriptionChanged, {
              subscriptionId: ++seq,
              action: "grant",
              userId: String(7_000_000_000 + seq),
              channelId: 1,
              expiresAt: "2031-01-01T00:00:00.000Z",
              actor: "cli",
              actorTelegramId: null,
            }),
          ),
        );
      }
      relay.kick();
      return ids;
    };
    const unpublished = async () => (await database.db.select().from(outbox)).filter((r) => !r.publishedAt);

    it(`${PER_PHASE * 3} events before, during and after a restart: all published, each effect once`, {
      timeout: 240_000,
    }, async () => {
      const started = Date.now();
      const before = await enqueueSome(PER_PHASE);
      await eventually(() => before.every((id) => effects.has(id)), "events before the restart", 60_000);

      await emulator.kill();
      const during = await enqueueSome(PER_PHASE);
      // While Pub/Sub is away the relay holds them (the client retries inside publish, or the row
      // records the failure); nothing is marked published.
      await new Promise((r) => setTimeout(r, 3_000));
      expect((await unpublished()).map((r) => r.eventId).sort()).toEqual([...during].sort());
      expect((await consumerBus.health()).ok).toBe(false);

      await emulator.restart();
      const after = await enqueueSome(PER_PHASE);
      const all = [...before, ...during, ...after];
      await eventually(
        async () => (await unpublished()).length === 0 && all.every((id) => effects.has(id)),
        "the relay to catch up and the consumer to see every event",
        60_000,
        250,
      ).catch(async (err) => {
        const left = await unpublished();
        throw new Error(
          `${(err as Error).message}; unpublished ${left.length} (last error: ${left[0]?.lastError}), ` +
            `effects ${effects.size}/${all.length}; producer log: ${JSON.stringify(producerLog.lines.slice(-3))}; ` +
            `consumer log: ${JSON.stringify(consumerLog.lines.slice(-3))}`,
        );
      });
      for (const id of all) expect(effects.get(id), id).toBe(1);
      expect(effects.size).toBe(all.length);
      expect(deliveries).toBeGreaterThanOrEqual(all.length);
      await eventually(async () => (await consumerBus.health()).ok, "consumer health back to ok", 15_000);
      console.info(
        `pubsub restart: ${all.length} events, ${deliveries} deliveries, ${Date.now() - started} ms including the restart`,
      );
    });
  },
);
