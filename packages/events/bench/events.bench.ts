// Event backbone benchmark: outbox → relay → bus → idempotent consumer (handleOnce on Postgres).
// Measures events/s and delivery latency (producer's commit → consumer's commit) for 10,000 events,
// on the Pub/Sub emulator and on the in-process bus. Run: `pnpm bench:events`.
// Env: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
//      PUBSUB_EMULATOR_HOST (Pub/Sub run skipped when unset), BENCH_EVENTS (default 10000).

import type { Logger } from "@telepay/config";
import { reportFigure } from "../../../tooling/bench/figure.ts";
import { createTestDatabase } from "../../testing/src/test-database.ts";
import {
  createConsumer,
  createInProcessBus,
  createOutboxRelay,
  createPubSubBus,
  type EventBus,
  enqueue,
  TOPICS,
} from "../src/index.ts";

const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const emulatorHost = process.env.PUBSUB_EMULATOR_HOST;
const total = Number(process.env.BENCH_EVENTS ?? 10_000);
const producers = 8;
const keys = 1_000; // ordering keys in use (like concurrent orders)

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (obj, msg) => console.error(msg, obj),
};

interface Result {
  bus: string;
  events: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  deliveries: number;
}

async function run(label: string, makeBus: () => EventBus | Promise<EventBus>): Promise<Result> {
  const database = await createTestDatabase(serverUrl);
  const bus = await makeBus();
  const committedAt = new Map<string, number>();
  const handledAt = new Map<string, number>();
  let deliveries = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  try {
    const consume = createConsumer({
      db: database.db,
      consumer: "bench.consumer",
      topic: TOPICS.subscriptionChanged,
      logger: quiet,
      handle: async () => {},
    });
    await bus.subscribe(TOPICS.subscriptionChanged, "bench-consumer", async (event) => {
      deliveries++;
      const verdict = await consume(event);
      if (verdict === "ack" && !handledAt.has(event.id)) {
        handledAt.set(event.id, performance.now());
        if (handledAt.size === total) resolveDone();
      }
      return verdict;
    });
    const relay = createOutboxRelay({ db: database.db, bus, batchSize: 500, logger: quiet });
    relay.start(100);

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: producers }, async () => {
        while (next < total) {
          const n = ++next;
          await database.db.transaction(async (tx) => {
            const id = await enqueue(
              tx,
              TOPICS.subscriptionChanged,
              {
                subscriptionId: n,
                action: "extend",
                userId: "7000000001",
                channelId: 1,
                expiresAt: "2030-01-01T00:00:00.000Z",
                actor: "system",
                actorTelegramId: null,
              },
              { orderingKey: `order-${n % keys}` },
            );
            // Taken as the transaction callback returns: the commit follows at once, and no
            // consumer can see the row before it.
            committedAt.set(id, performance.now());
          });
          relay.kick();
        }
      }),
    );
    const timeout = setTimeout(() => {
      console.error(`${label}: only ${handledAt.size}/${total} handled after 300 s`);
      process.exit(1);
    }, 300_000);
    await done;
    clearTimeout(timeout);
    const finished = performance.now();
    await relay.stop();

    const latencies = [...handledAt].map(([id, t]) => t - committedAt.get(id)!).sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const seconds = (finished - started) / 1000;
    return {
      bus: label,
      events: total,
      seconds,
      perSecond: total / seconds,
      p50: pct(50),
      p99: pct(99),
      max: latencies.at(-1)!,
      deliveries,
    };
  } finally {
    await bus.close();
    await database.close();
  }
}

const results: Result[] = [];
results.push(await run("in-process", () => createInProcessBus({ logger: quiet })));
if (emulatorHost) {
  const prefix = `bench${Date.now().toString(36)}-`;
  results.push(
    await run("pubsub (emulator)", () =>
      createPubSubBus({
        projectId: "telepay-bench",
        apiEndpoint: emulatorHost,
        topicPrefix: prefix,
        subscriptionPrefix: prefix,
        createIfMissing: true,
        flowControl: { maxMessages: 1_000 },
        logger: quiet,
      }),
    ),
  );
} else {
  console.warn("Pub/Sub run skipped: PUBSUB_EMULATOR_HOST is not set.");
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(
  `\noutbox → relay → bus → consumer (handleOnce on Postgres); ${producers} producers, ${keys} ordering keys\n`,
);
console.table(
  results.map((r) => ({
    bus: r.bus,
    events: r.events,
    "wall s": fmt(r.seconds, 2),
    "events/s": fmt(r.perSecond, 0),
    "p50 ms": fmt(r.p50),
    "p99 ms": fmt(r.p99),
    "max ms": fmt(r.max),
    deliveries: r.deliveries,
  })),
);
for (const r of results) {
  const bus = r.bus.startsWith("pubsub") ? "Pub/Sub emulator" : "in-process";
  reportFigure({ figure: `events/s, ${bus}`, value: Math.round(r.perSecond), unit: "events/s" });
  reportFigure({ figure: `commit → consumer p99, ${bus}`, value: Number(r.p99.toFixed(1)), unit: "ms" });
}
