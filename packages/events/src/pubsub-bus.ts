import { type Message, PubSub, type Topic as PubSubTopic, type Subscription } from "@google-cloud/pubsub";
import type { Logger } from "@telepay/config";
import { z } from "zod";
import { backoffDelay, withDeadline } from "./backoff.ts";
import type { EventBus, EventHandler } from "./bus.ts";
import { BusClosedError, PoisonMessageError } from "./errors.ts";
import { consoleLogger, describeError } from "./logger.ts";
import { eventSchemas, TOPICS, type Topic } from "./topics.ts";
import { decodeWireMessage, encodeEnvelope, type WireMessage } from "./wire.ts";

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
/** gRPC status names: the client's stream errors carry only the number (and often empty details). */
const GRPC_CODES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];
/** A reopened stream that stays open this long (or delivers a message) counts as recovered. */
const STREAM_STABLE_MS = 30_000;

const optionsSchema = z.object({
  projectId: z.string().min(1, "projectId is required"),
  apiEndpoint: z.string().min(1).optional(),
  topicPrefix: z.string().default(""),
  subscriptionPrefix: z.string().default(""),
  createIfMissing: z.boolean().default(false),
  messageOrdering: z.boolean().default(false),
  deadLetter: z
    .object({ maxDeliveryAttempts: z.number().int().min(5).max(100).default(5) })
    .default({ maxDeliveryAttempts: 5 }),
  retryBackoff: z
    .object({
      minSeconds: z.number().min(0).max(600).default(10),
      maxSeconds: z.number().min(0).max(600).default(600),
    })
    .refine((b) => b.maxSeconds >= b.minSeconds, "retryBackoff.maxSeconds must be ≥ minSeconds")
    .default({ minSeconds: 10, maxSeconds: 600 }),
  flowControl: z
    .object({
      maxMessages: z.number().int().positive().default(100),
      allowExcessMessages: z.boolean().default(false),
    })
    .default({ maxMessages: 100, allowExcessMessages: false }),
  ackDeadlineSeconds: z.number().int().min(10).max(600).default(60),
  reopenBackoff: z
    .object({
      initialMs: z.number().int().positive().default(1_000),
      maxMs: z.number().int().positive().default(60_000),
    })
    .default({ initialMs: 1_000, maxMs: 60_000 }),
  closeTimeoutMs: z.number().int().nonnegative().default(5_000),
  healthTimeoutMs: z.number().int().positive().default(2_000),
});

/** Options of {@link createPubSubBus}. Apps build them from their env (packages never read env). */
export interface PubSubBusOptions {
  projectId: string;
  /**
   * `host:port` of the emulator (the app passes PUBSUB_EMULATOR_HOST). Unset: the client's own
   * detection (PUBSUB_EMULATOR_HOST in its environment, else the production endpoint).
   */
  apiEndpoint?: string;
  /** Prepended to every topic name (e.g. "staging-"); default "". */
  topicPrefix?: string;
  /** Prepended to every subscription name; default "". */
  subscriptionPrefix?: string;
  /** Create missing topics, dead-letter topics and subscriptions (default false: infra creates them). */
  createIfMissing?: boolean;
  /**
   * Message ordering on subscriptions the bus creates (default false). Consumers re-read the
   * database, so they need no cross-message order; unordered subscriptions also avoid per-key
   * head-of-line blocking, and the emulator's ordered-subscription bugs
   * (docs/decisions/pubsub-emulator-restart.md). Publishing always sets ordering keys, and the bus
   * follows whatever an existing subscription says (the setting cannot change after creation).
   */
  messageOrdering?: boolean;
  /**
   * Deliveries before a message goes to `<topic>.dlq` (5–100, default 5). Set as the subscription's
   * dead-letter policy when the bus creates it, and enforced by the bus itself as well.
   */
  deadLetter?: { maxDeliveryAttempts?: number };
  /** Subscription retry policy for nacked messages, in seconds (default 10 … 600). */
  retryBackoff?: { minSeconds?: number; maxSeconds?: number };
  /** Streaming-pull flow control per subscription (default 100 messages, no excess). */
  flowControl?: { maxMessages?: number; allowExcessMessages?: boolean };
  /** Ack deadline of subscriptions the bus creates (10–600, default 60). */
  ackDeadlineSeconds?: number;
  /**
   * Delay before reopening a subscription whose stream the client closed (non-retryable status):
   * doubles per failure in a row, from `initialMs` (default 1000) up to `maxMs` (default 60000).
   */
  reopenBackoff?: { initialMs?: number; maxMs?: number };
  /** Bound on `close()` (the client's own close can hang); default 5000. */
  closeTimeoutMs?: number;
  /** Bound on `health()`; default 2000. */
  healthTimeoutMs?: number;
  /**
   * Called after the bus copied a message to its dead-letter topic (retries exhausted, or poison),
   * e.g. to record it where `telepay events dead-letters` and the CLI's outcome wait look
   * (deadLetterMessagesToDatabase). A failure here is logged; the copy on the topic stays.
   */
  onDeadLetter?: (message: DeadLetterMessage) => Promise<void> | void;
  logger?: Logger;
}

/** A message copied to a dead-letter topic by the bus (pull) or the push route. */
export interface DeadLetterMessage {
  /** The event's topic; the copy goes to `<topicPrefix><topic>.dlq`. */
  topic: Topic;
  data: Buffer | string;
  attributes: Record<string, string>;
  orderingKey?: string | undefined;
  /** Why it was given up on. */
  reason: string;
  /** Deliveries made. */
  attempts: number;
  /** The subscription that gave up. */
  subscription: string;
  /** The message id on the source subscription. */
  messageId?: string | undefined;
}

/** The Pub/Sub {@link EventBus}, plus what the push route and operators need. */
export interface PubSubBus extends EventBus {
  readonly kind: "pubsub";
  /** The underlying client, for tooling (listing, seeking). Do not close it yourself. */
  readonly client: PubSub;
  readonly maxDeliveryAttempts: number;
  /** Full Pub/Sub topic id for a TelePay topic (with prefix). */
  topicName(topic: Topic): string;
  /** The dead-letter topic id for a topic: `<topicPrefix><topic>.dlq` (also the id of its holding subscription). */
  deadLetterTopicName(topic: Topic): string;
  /** Full subscription id for a consumer name (with prefix). */
  subscriptionName(name: string): string;
  /** Publishes a copy of a message to its topic's dead-letter topic (push route and pull consumers). */
  publishDeadLetter(message: DeadLetterMessage): Promise<void>;
}

/**
 * Creates the Google Pub/Sub {@link EventBus}: publishing with ordering keys, streaming-pull consumers
 * with dead letters enforced by the bus as well as the server, and stream reopening with backoff.
 * Verdicts, dead letters and why: docs/decisions/pubsub-bus.md.
 */
export function createPubSubBus(options: PubSubBusOptions): PubSubBus {
  const { logger = consoleLogger, ...rest } = options;
  const parsed = optionsSchema.safeParse(rest);
  if (!parsed.success) throw new TypeError(`invalid Pub/Sub bus options: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const maxAttempts = config.deadLetter.maxDeliveryAttempts;

  // Constructing the client opens nothing: gRPC channels connect on the first call.
  const client = new PubSub({
    projectId: config.projectId,
    ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
  });

  const topicName = (topic: Topic) => `${config.topicPrefix}${topic}`;
  const deadLetterTopicName = (topic: Topic) => `${config.topicPrefix}${topic}.dlq`;
  const subscriptionName = (name: string) => `${config.subscriptionPrefix}${name}`;

  const publishers = new Map<string, PubSubTopic>();
  const ensured = new Map<string, Promise<void>>();
  /**
   * Topics whose last publish failed (with createIfMissing: an emulator restart loses every topic and
   * subscription). Missing ones are created again, and the next publish waits until the topic has a
   * subscription again: Pub/Sub drops messages sent to a topic nobody subscribes to, and the outbox
   * would then count them as delivered.
   */
  const lost = new Set<string>();
  const consumers = new Map<string, Consumer>();
  const inFlight = new Set<Promise<void>>();
  /** Deliveries counted here when the server does not send deliveryAttempt; bounded, oldest evicted. */
  const attemptsSeen = new Map<string, number>();
  const ATTEMPTS_TRACKED = 10_000;
  /** The topic health() probes: the first one this bus used (else payment.confirmed). */
  let probeTopic: Topic | undefined;
  let closing = false;
  let closePromise: Promise<void> | undefined;

  function publisher(name: string): PubSubTopic {
    let topic = publishers.get(name);
    if (!topic) {
      // With createIfMissing (emulator, local runs) the client does not retry a publish itself: a retry
      // that outlives an emulator restart could land in the recreated topic before its subscription
      // exists and be dropped, while the outbox counts it as delivered. The relay retries instead.
      topic = client.topic(name, {
        messageOrdering: true,
        ...(config.createIfMissing ? { gaxOpts: { retry: null } } : {}),
      });
      publishers.set(name, topic);
    }
    return topic;
  }

  /** Creates a topic (and, for dead-letter topics, its holding subscription) once, tolerating races. */
  function ensureTopic(name: string, holdingSubscription = false): Promise<void> {
    if (!config.createIfMissing) return Promise.resolve();
    let done = ensured.get(name);
    if (!done) {
      done = (async () => {
        await ignoreAlreadyExists(client.createTopic(name));
        if (holdingSubscription) await ignoreAlreadyExists(client.topic(name).createSubscription(name));
      })();
      ensured.set(name, done);
      done.catch(() => ensured.delete(name));
    }
    return done;
  }

  async function publishDeadLetter(message: DeadLetterMessage): Promise<void> {
    const name = deadLetterTopicName(message.topic);
    await ensureTopic(name, true);
    const data = typeof message.data === "string" ? Buffer.from(message.data, "base64") : message.data;
    // No ordering key: a dead letter must not wait behind (or block) anything.
    await publisher(name).publishMessage({
      data,
      attributes: {
        ...message.attributes,
        deadLetterReason: message.reason.slice(0, 1_000),
        deadLetterAttempts: String(message.attempts),
        deadLetterSubscription: message.subscription,
        ...(message.messageId ? { deadLetterMessageId: message.messageId } : {}),
        ...(message.orderingKey ? { deadLetterOrderingKey: message.orderingKey } : {}),
      },
    });
  }

  function countAttempt(message: Message): number {
    if (message.deliveryAttempt > 0) return message.deliveryAttempt;
    const seen = (attemptsSeen.get(message.id) ?? 0) + 1;
    attemptsSeen.delete(message.id);
    attemptsSeen.set(message.id, seen);
    if (attemptsSeen.size > ATTEMPTS_TRACKED) {
      const oldest = attemptsSeen.keys().next().value;
      if (oldest !== undefined) attemptsSeen.delete(oldest);
    }
    return seen;
  }

  /** Handles one delivery; resolves "nacked" when the message will come back. */
  async function handleMessage(
    topic: Topic,
    subName: string,
    handler: EventHandler,
    message: Message,
  ): Promise<"acked" | "nacked"> {
    if (closing) {
      message.nack();
      return "nacked";
    }
    const attempt = countAttempt(message);
    const wire: WireMessage = {
      data: message.data,
      attributes: message.attributes,
      orderingKey: message.orderingKey,
    };
    const ids = { messageId: message.id, eventId: message.attributes.eventId, topic, subscription: subName };
    const giveUp = async (reason: string): Promise<"acked" | "nacked"> => {
      const dead: DeadLetterMessage = {
        topic,
        ...wire,
        reason,
        attempts: attempt,
        subscription: subName,
        messageId: message.id,
      };
      try {
        await publishDeadLetter(dead);
      } catch (error) {
        // Never drop: without a dead-letter copy the message stays on the subscription.
        logger.error({ ...ids, error: describeError(error) }, "dead-letter publish failed; nacking");
        message.nack();
        return "nacked";
      }
      logger.error({ ...ids, attempts: attempt, reason }, "event dead-lettered");
      try {
        await options.onDeadLetter?.(dead);
      } catch (error) {
        logger.error({ ...ids, error: describeError(error) }, "onDeadLetter failed");
      }
      attemptsSeen.delete(message.id);
      message.ack();
      return "acked";
    };

    let event: ReturnType<typeof decodeWireMessage>;
    try {
      event = decodeWireMessage(wire, topic);
    } catch (error) {
      return giveUp(describeError(error));
    }
    let verdict: unknown;
    let failure: unknown;
    try {
      verdict = (await handler(event)) ?? "ack";
    } catch (error) {
      verdict = error instanceof PoisonMessageError ? "poison" : "retry";
      failure = error;
    }
    if (verdict === "ack") {
      attemptsSeen.delete(message.id);
      message.ack();
      return "acked";
    }
    if (verdict === "poison") return giveUp(failure ? describeError(failure) : "handler answered poison");
    if (attempt >= maxAttempts) return giveUp(failure ? describeError(failure) : "handler answered retry");
    logger.warn(
      { ...ids, attempt, error: failure ? describeError(failure) : "handler answered retry" },
      "event handler failed; nacking for redelivery",
    );
    message.nack();
    return "nacked";
  }

  /**
   * Checks (or, with createIfMissing, creates) the subscription and returns whether it delivers in
   * order: that is the subscription's own setting, fixed when it was created (here or by infra).
   */
  async function ensureSubscription(topic: Topic, subName: string): Promise<{ ordered: boolean }> {
    const admin = client.subscription(subName);
    const [exists] = await admin.exists();
    const fullTopic = client.topic(topicName(topic)).name;
    if (!exists) {
      if (!config.createIfMissing) {
        throw new Error(`Pub/Sub subscription "${subName}" does not exist (createIfMissing is off)`);
      }
      await ensureTopic(topicName(topic));
      await ensureTopic(deadLetterTopicName(topic), true);
      await ignoreAlreadyExists(
        client.topic(topicName(topic)).createSubscription(subName, {
          enableMessageOrdering: config.messageOrdering,
          ackDeadlineSeconds: config.ackDeadlineSeconds,
          deadLetterPolicy: {
            deadLetterTopic: client.topic(deadLetterTopicName(topic)).name,
            maxDeliveryAttempts: maxAttempts,
          },
          retryPolicy: {
            minimumBackoff: seconds(config.retryBackoff.minSeconds),
            maximumBackoff: seconds(config.retryBackoff.maxSeconds),
          },
        }),
      );
    }
    const [metadata] = await admin.getMetadata();
    if (metadata.topic !== fullTopic) {
      throw new Error(`Pub/Sub subscription "${subName}" belongs to ${metadata.topic}, not ${fullTopic}`);
    }
    if (!metadata.deadLetterPolicy) {
      logger.warn(
        { subscription: subName },
        "subscription has no dead-letter policy; the bus counts deliveries itself (per instance)",
      );
    }
    return { ordered: metadata.enableMessageOrdering === true };
  }

  /** Starts streaming pull on a fresh Subscription object (a closed one is never reused). */
  function startStream(subName: string, consumer: Consumer, onMessage: (message: Message) => void): void {
    const subscription = client.subscription(subName, { flowControl: config.flowControl });
    consumer.subscription = subscription;
    consumer.streamSince = Date.now();
    consumer.reopenAt = undefined;
    const current = () => consumer.subscription === subscription;
    subscription.on("message", (message: Message) => {
      // A delivery proves the stream works: the next failure starts the backoff afresh.
      if (current()) consumer.failures = 0;
      onMessage(message);
    });
    // Kept on closed objects too: an 'error' without a listener would crash the process.
    subscription.on("error", (error: unknown) => {
      const text = describeStatus(error);
      if (current()) consumer.lastError = { text, at: Date.now() };
      logger.error({ subscription: subName, error: text }, "Pub/Sub subscription error");
    });
    subscription.on("close", () => {
      if (closing || !current()) return;
      const lived = Date.now() - (consumer.streamSince ?? Date.now());
      consumer.streamSince = undefined;
      scheduleReopen(
        subName,
        consumer,
        onMessage,
        lived >= STREAM_STABLE_MS,
        "Pub/Sub subscription stream closed; reopening",
      );
    });
  }

  /**
   * The client closes a stream on statuses it does not retry itself (UNKNOWN, NOT_FOUND,
   * PERMISSION_DENIED, …); a silent stop would strand messages, so reopen — with backoff, as the
   * cause is often persistent (a deleted subscription, an emulator in a broken state).
   */
  function scheduleReopen(
    subName: string,
    consumer: Consumer,
    onMessage: (message: Message) => void,
    wasStable: boolean,
    why: string,
  ): void {
    consumer.failures = wasStable ? 1 : consumer.failures + 1;
    const delay = backoffDelay(consumer.failures, config.reopenBackoff);
    consumer.reopenAt = Date.now() + delay;
    logger.warn(
      {
        subscription: subName,
        failures: consumer.failures,
        retryInMs: delay,
        lastError: consumer.lastError?.text ?? "none",
      },
      why,
    );
    consumer.timer = setTimeout(async () => {
      consumer.timer = undefined;
      if (closing) return;
      try {
        if (config.createIfMissing) {
          // The subscription may be gone with its topic (emulator restart): create them again.
          ensured.delete(topicName(consumer.topic));
          ensured.delete(deadLetterTopicName(consumer.topic));
        }
        consumer.ordered = (await ensureSubscription(consumer.topic, subName)).ordered;
      } catch (error) {
        if (closing) return;
        consumer.lastError = { text: describeStatus(error), at: Date.now() };
        scheduleReopen(
          subName,
          consumer,
          onMessage,
          false,
          "reopening Pub/Sub subscription failed; retrying",
        );
        return;
      }
      if (!closing) startStream(subName, consumer, onMessage);
    }, delay);
    consumer.timer.unref();
  }

  /** Why a subscription is not consuming, or undefined when it is. */
  function consumerProblem(subName: string, consumer: Consumer, now: number): string | undefined {
    const last = consumer.lastError
      ? `last error ${consumer.lastError.text}, ${Math.round((now - consumer.lastError.at) / 1000)} s ago`
      : "closed without an error";
    const failed = `${consumer.failures} stream failure${consumer.failures === 1 ? "" : "s"} in a row`;
    if (consumer.reopenAt !== undefined) {
      const wait = Math.max(0, Math.ceil((consumer.reopenAt - now) / 1000));
      return `${subName}: stream down (${failed}; ${last}); ${wait > 0 ? `reopening in ${wait} s` : "reopening now"}`;
    }
    if (!consumer.subscription.isOpen) return `${subName}: stream not open (${last})`;
    if (consumer.failures > 0 && now - (consumer.streamSince ?? now) < STREAM_STABLE_MS) {
      // Reopened, but neither a message nor a quiet STREAM_STABLE_MS has proved it works yet.
      return `${subName}: reopened ${Math.round((now - (consumer.streamSince ?? now)) / 1000)} s ago after ${failed} (${last}); not delivering yet`;
    }
    return undefined;
  }

  return {
    kind: "pubsub",
    client,
    maxDeliveryAttempts: maxAttempts,
    topicName,
    deadLetterTopicName,
    subscriptionName,
    publishDeadLetter,

    async publish(event) {
      if (closing) throw new BusClosedError("pubsub");
      if (!(event.topic in eventSchemas)) throw new TypeError(`unknown topic "${String(event.topic)}"`);
      const name = topicName(event.topic);
      probeTopic ??= event.topic;
      await ensureTopic(name);
      if (lost.has(name)) {
        const [subscribers] = await client.topic(name).getSubscriptions();
        if (subscribers.length === 0) {
          throw new Error(`topic ${name} was recreated and has no subscription yet; the event waits`);
        }
        lost.delete(name);
      }
      const topic = publisher(name);
      const message = encodeEnvelope(event);
      try {
        await topic.publishMessage(message);
      } catch (error) {
        // The client pauses an ordering key after a failure; resume so the relay's retry is accepted.
        if (message.orderingKey) topic.resumePublishing(message.orderingKey);
        if (config.createIfMissing) {
          // Any failure may be Pub/Sub going away with its topics (emulator restart): the next
          // publish checks the topic has a subscriber again, and recreates it when it is gone.
          if ((error as { code?: number }).code === NOT_FOUND) ensured.delete(name);
          lost.add(name);
        }
        throw error;
      }
    },

    async subscribe(topic, name, handler) {
      if (closing) throw new BusClosedError("pubsub");
      if (!(topic in eventSchemas)) throw new TypeError(`unknown topic "${String(topic)}"`);
      const subName = subscriptionName(name);
      const existing = consumers.get(subName);
      if (existing) throw new Error(`subscription "${subName}" already exists (topic "${existing.topic}")`);
      probeTopic ??= topic;
      const { ordered } = await ensureSubscription(topic, subName);
      const handle = async (message: Message) =>
        handleMessage(topic, subName, handler as EventHandler, message).catch((error) => {
          logger.error({ subscription: subName, error: describeError(error) }, "message handling crashed");
          message.nack();
          return "nacked" as const;
        });
      // Ordered subscriptions only: the client emits a key's messages in order but does not wait for
      // our async handler, so one chain per key keeps handling sequential. After a nack the server
      // redelivers that message and every later one with its key, so later ones are nacked unhandled
      // until it returns. (On an unordered subscription that would only pile deliveries onto them.)
      const chains = new Map<string, Promise<void>>();
      const blocked = new Map<string, { messageId: string; until: number }>();
      const blockMs = (config.retryBackoff.maxSeconds + config.ackDeadlineSeconds) * 1_000;
      const handleInOrder = async (message: Message, key: string): Promise<void> => {
        const block = blocked.get(key);
        if (block) {
          if (block.messageId !== message.id && Date.now() < block.until) {
            message.nack();
            return;
          }
          blocked.delete(key);
        }
        if ((await handle(message)) === "nacked")
          blocked.set(key, { messageId: message.id, until: Date.now() + blockMs });
      };
      const consumer: Consumer = {
        topic,
        ordered,
        subscription: client.subscription(subName),
        failures: 0,
      };
      const onMessage = (message: Message) => {
        const key = message.orderingKey;
        let work: Promise<void>;
        if (consumer.ordered && key) {
          work = (chains.get(key) ?? Promise.resolve()).then(() => handleInOrder(message, key));
          chains.set(key, work);
          void work.then(() => {
            if (chains.get(key) === work) chains.delete(key);
          });
        } else {
          work = handle(message).then(() => {});
        }
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      };
      consumers.set(subName, consumer);
      startStream(subName, consumer, onMessage);
    },

    async health() {
      if (closing) return { ok: false, kind: "pubsub", detail: "closed" };
      const probe = client.topic(topicName(probeTopic ?? TOPICS.paymentConfirmed));
      const result = await withDeadline(
        probe.exists().then(
          // A missing topic is only a fault when nobody will create it on first use.
          ([exists]) => (exists || config.createIfMissing ? "ok" : `topic ${probe.name} is missing`),
          (error: unknown) => `unreachable: ${describeError(error, 200)}`,
        ),
        config.healthTimeoutMs,
        `no answer within ${config.healthTimeoutMs} ms`,
      );
      if (result !== "ok") return { ok: false, kind: "pubsub", detail: result };
      const now = Date.now();
      const problems = [...consumers].flatMap(([subName, c]) => consumerProblem(subName, c, now) ?? []);
      if (problems.length > 0)
        return { ok: false, kind: "pubsub", detail: `not consuming: ${problems.join("; ")}` };
      return { ok: true, kind: "pubsub", detail: `${consumers.size} subscriptions` };
    },

    close() {
      closePromise ??= (async () => {
        closing = true;
        for (const consumer of consumers.values()) clearTimeout(consumer.timer);
        const shutdown = (async () => {
          // New messages are nacked from now on; let in-flight handlers ack or nack first.
          await Promise.allSettled([...inFlight]);
          await Promise.allSettled([...consumers.values()].map(({ subscription }) => subscription.close()));
          await Promise.allSettled([...publishers.values()].map((topic) => topic.flush()));
          await client.close();
        })();
        const finished = await withDeadline(
          shutdown.then(
            () => true,
            () => true,
          ),
          config.closeTimeoutMs,
          false,
        );
        if (!finished) logger.warn({ timeoutMs: config.closeTimeoutMs }, "Pub/Sub bus close timed out");
      })();
      return closePromise;
    },
  };
}

/** One subscribed consumer: its current stream and why it is (not) consuming. */
interface Consumer {
  topic: Topic;
  /** The current Subscription object; replaced by a fresh one on every reopen. */
  subscription: Subscription;
  /** The subscription's own setting (fixed at creation); decides per-key sequencing. */
  ordered: boolean;
  /** Stream failures in a row; reset when a stream delivers or stays open STREAM_STABLE_MS. */
  failures: number;
  lastError?: { text: string; at: number };
  /** When the current stream was opened; undefined while it is down. */
  streamSince?: number | undefined;
  /** When the next reopen attempt is due; undefined while a stream is open. */
  reopenAt?: number | undefined;
  timer?: NodeJS.Timeout | undefined;
}

/** "2 UNKNOWN: details" for gRPC errors (their message is often empty), else the error's text. */
function describeStatus(error: unknown): string {
  const { code, details } = (error ?? {}) as { code?: unknown; details?: unknown };
  if (typeof code !== "number") return describeError(error, 200);
  const text = typeof details === "string" && details ? details : error instanceof Error ? error.message : "";
  return `${code} ${GRPC_CODES[code] ?? "?"}${text ? `: ${text.slice(0, 200)}` : " (no details)"}`;
}

function seconds(value: number): { seconds: number; nanos: number } {
  const whole = Math.floor(value);
  return { seconds: whole, nanos: Math.round((value - whole) * 1e9) };
}

async function ignoreAlreadyExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (error) {
    if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
  }
}
