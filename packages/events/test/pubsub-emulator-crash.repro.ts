/**
 * Reproduction (not a test): a streaming-pull consumer holding messages is SIGKILLed and a new one
 * starts, on a private emulator, with the plain client library — no TelePay code — so what it shows
 * is the emulator's behaviour. Findings: docs/decisions/pubsub-emulator-restart.md.
 *
 *   node packages/events/test/pubsub-emulator-crash.repro.ts [--unordered] [--no-dead-letter]
 *        [--patched] [--messages 100] [--observe 90] [--late 10]
 *
 * --patched puts a copy of io.grpc.InternalStatus with the method the emulator's bundled grpc-core
 * calls (and its grpc-api lacks) before the jar: needs `javac`. After the observation window, --late
 * more messages are published to see whether new traffic still flows. Prints one JSON summary line.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Message, PubSub } from "@google-cloud/pubsub";
import { findPubSubEmulatorJar, startPubSubEmulator } from "../../testing/src/pubsub/emulator-process.ts";

const PROJECT = "crash-repro";
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: "boolean", default: false },
    unordered: { type: "boolean", default: false },
    "no-dead-letter": { type: "boolean", default: false },
    patched: { type: "boolean", default: false },
    messages: { type: "string", default: "100" },
    observe: { type: "string", default: "90" },
    late: { type: "string", default: "10" },
  },
});

if (args.child) {
  // The consumer that dies: holds every message it gets (a slow handler), flow control as the notifier's.
  const [host, subscription] = positionals;
  const client = new PubSub({ projectId: PROJECT, apiEndpoint: host! });
  const sub = client.subscription(subscription!, {
    flowControl: { maxMessages: 20, allowExcessMessages: false },
  });
  let held = 0;
  sub.on("message", () => process.stdout.write(`held ${++held}\n`));
  sub.on("error", () => {});
  setInterval(() => {}, 60_000);
} else {
  await main();
}

async function main(): Promise<void> {
  const n = Number(args.messages);
  const observeMs = Number(args.observe) * 1_000;
  const ordered = !args.unordered;
  const deadLetter = !args["no-dead-letter"];
  const work = mkdtempSync(join(tmpdir(), "pubsub-crash-repro-"));
  const logFile = join(work, "emulator.log");
  const emulator = await startPubSubEmulator({
    logFile,
    ...(args.patched ? { classpathPrefix: [compileShim(work)] } : {}),
  });
  const t0 = Date.now();
  const at = () => Math.round((Date.now() - t0) / 100) / 10;
  try {
    const admin = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
    const [topic] = await admin.createTopic("events");
    const [dlq] = await admin.createTopic("events.dlq");
    await dlq.createSubscription("events.dlq");
    await topic.createSubscription("consumer", {
      enableMessageOrdering: ordered,
      ackDeadlineSeconds: 10,
      ...(deadLetter ? { deadLetterPolicy: { deadLetterTopic: dlq.name, maxDeliveryAttempts: 5 } } : {}),
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } },
    });
    const subscriptionPath = `projects/${PROJECT}/subscriptions/consumer`;

    const child = spawn(process.execPath, [process.argv[1]!, "--child", emulator.host, subscriptionPath], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let held = 0;
    const holding = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        for (const m of chunk.toString().matchAll(/held (\d+)/g)) held = Number(m[1]);
        if (held >= 20) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 2_000)); // let the child's streams open
    const publisher = admin.topic("events", { messageOrdering: true });
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        publisher.publishMessage({ data: Buffer.from(String(i)), orderingKey: `order-${i}` }),
      ),
    );
    await holding;
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const killedAt = at();

    // The restarted consumer: a fresh client; reopens after 'close' like the bus does.
    const client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
    const received = new Set<string>();
    const errors = new Map<string, number>();
    let closes = 0;
    let firstErrorAt: number | undefined;
    const open = () => {
      const sub = client.subscription("consumer", { flowControl: { maxMessages: 20 } });
      sub.on("message", (m: Message) => {
        received.add(m.data.toString());
        m.ack();
      });
      sub.on("error", (e: { code?: number; details?: string }) => {
        firstErrorAt ??= at();
        const key = `${e.code} ${JSON.stringify(e.details ?? "")}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      });
      sub.on("close", () => {
        closes++;
        setTimeout(open, 1_000).unref();
      });
      return sub;
    };
    const sub = open();
    const deadline = Date.now() + observeMs;
    while (Date.now() < deadline && received.size < n) await new Promise((r) => setTimeout(r, 250));
    const receivedAt = at();
    const late = Number(args.late);
    await Promise.all(
      Array.from({ length: late }, (_, i) =>
        publisher.publishMessage({ data: Buffer.from(`late-${i}`), orderingKey: `late-${i}` }),
      ),
    );
    const lateDeadline = Date.now() + 30_000;
    const lateReceived = () => [...received].filter((id) => id.startsWith("late-")).length;
    while (Date.now() < lateDeadline && lateReceived() < late) await new Promise((r) => setTimeout(r, 250));
    sub.removeAllListeners("close");

    const deadLettered = new Set<string>();
    const holdingSub = client.subscription("events.dlq");
    holdingSub.on("message", (m: Message) => {
      deadLettered.add(m.data.toString());
      m.ack();
    });
    await new Promise((r) => setTimeout(r, 3_000));
    const missing = Array.from({ length: n }, (_, i) => String(i)).filter((i) => !received.has(i));
    const burstReceived = received.size - lateReceived();
    const log = readFileSync(logFile, "utf8");
    console.log(
      JSON.stringify({
        ordered,
        deadLetter,
        patched: args.patched,
        published: n,
        heldByKilledChild: held,
        killedAtS: killedAt,
        received: burstReceived,
        lastCheckAtS: receivedAt,
        lateReceivedWithin30s: `${lateReceived()}/${late}`,
        missing: missing.slice(0, 20),
        deadLetteredByEmulator: deadLettered.size,
        streamErrors: Object.fromEntries(errors),
        firstErrorAtS: firstErrorAt,
        closes,
        emulatorNoSuchMethodErrors: (log.match(/NoSuchMethodError/g) ?? []).length,
        emulatorLog: logFile,
      }),
    );
    await Promise.allSettled([sub.close(), holdingSub.close()]);
    await Promise.allSettled([client.close(), admin.close()]);
  } finally {
    await emulator.stop();
  }
  process.exit(0);
}

/** Compiles the one-class shim against the emulator jar; returns the class folder. */
function compileShim(work: string): string {
  const src = join(work, "src", "io", "grpc");
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, "InternalStatus.java"),
    `package io.grpc;
public final class InternalStatus {
  private InternalStatus() {}
  public static final Metadata.Key<String> MESSAGE_KEY = Status.MESSAGE_KEY;
  public static final Metadata.Key<Status> CODE_KEY = Status.CODE_KEY;
  public static StatusRuntimeException asRuntimeExceptionWithoutStacktrace(Status s, Metadata m) {
    return new InternalStatusRuntimeException(s, m);
  }
  public static StatusRuntimeException asRuntimeException(Status s, Metadata m, boolean stack) {
    return stack ? new StatusRuntimeException(s, m) : new InternalStatusRuntimeException(s, m);
  }
}
`,
  );
  const classes = join(work, "classes");
  execFileSync("javac", ["-cp", findPubSubEmulatorJar(), "-d", classes, join(src, "InternalStatus.java")]);
  return classes;
}
