import { type Message, PubSub, type Topic as PubSubTopic, type Subscription } from "@google-cloud/pubsub";
import { z } from "zod";
import { withDeadline } from "./backoff.ts";
import type { EventBus, EventHandler } from "./bus.ts";
import { BusClosedError, PoisonMessageError } from "./errors.ts";
import { consoleLogger, describeError, type EventsLogger } from "./logger.ts";
import { eventSchemas, TOPICS, type Topic } from "./topics.ts";
import { decodeWireMessage, encodeEnvelope, type WireMessage } from "./wire.ts";

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;

const optionsSchema = z.object({
  projectId: z.string().min(1, "projectId is required"),
  apiEndpoint: z.string().min(1).optional(),
  topicPrefix: z.string().default(""),
  subscriptionPrefix: z.string().default(""),
  createIfMissing: z.boolean().default(false),
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
  /** Bound on `close()` (the client's own close can hang); default 5000. */
  closeTimeoutMs?: number;
  /** Bound on `health()`; default 2000. */
  healthTimeoutMs?: number;
  logger?: EventsLogger;
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
 * Creates the Google Pub/Sub {@link EventBus}.
 *
 * Publishing: message ordering is enabled on every publisher; data is the payload JSON, attributes
 * carry `eventId`, `topic` and `occurredAt`. A failed publish resumes its ordering key so the relay's
 * retry can go through.
 *
 * Consuming (`subscribe`): a streaming-pull subscription `<subscriptionPrefix><name>` (created when
 * `createIfMissing`, with message ordering, the retry policy and a dead-letter policy pointing to
 * `<topic>.dlq`). Success acks, a throw or "retry" nacks (redelivered after the retry policy's
 * backoff), "poison" and undecodable messages are copied to the dead-letter topic and acked.
 * The bus also enforces `maxDeliveryAttempts` itself: it reads `message.deliveryAttempt` when the
 * server sets it (subscriptions with a dead-letter policy) and otherwise counts deliveries per message
 * id in this process; on the last attempt it publishes to the DLQ explicitly, then acks.
 * Why both: the server-side policy is the backstop when a consumer dies mid-message (real Pub/Sub),
 * while the explicit copy works where the server-side forwarding does not — the emulator (0.8.x)
 * forwards for unordered subscriptions but, with message ordering on, breaks the stream with
 * UNKNOWN instead of forwarding. Every dead-letter topic gets a holding subscription of the same id,
 * because Pub/Sub drops messages published to a topic with no subscriptions.
 * Every subscription has an 'error' handler; a stream the client closes on its own is reopened.
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
  const subscriptions = new Map<string, { subscription: Subscription; topic: Topic }>();
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
      try {
        await publishDeadLetter({
          topic,
          ...wire,
          reason,
          attempts: attempt,
          subscription: subName,
          messageId: message.id,
        });
      } catch (error) {
        // Never drop: without a dead-letter copy the message stays on the subscription.
        logger.error({ ...ids, error: describeError(error) }, "dead-letter publish failed; nacking");
        message.nack();
        return "nacked";
      }
      logger.error({ ...ids, attempts: attempt, reason }, "event dead-lettered");
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

  async function openSubscription(topic: Topic, subName: string): Promise<Subscription> {
    const subscription = client.subscription(subName, {
      flowControl: config.flowControl,
    });
    const [exists] = await subscription.exists();
    const fullTopic = client.topic(topicName(topic)).name;
    if (!exists) {
      if (!config.createIfMissing) {
        throw new Error(`Pub/Sub subscription "${subName}" does not exist (createIfMissing is off)`);
      }
      await ensureTopic(topicName(topic));
      await ensureTopic(deadLetterTopicName(topic), true);
      await ignoreAlreadyExists(
        client.topic(topicName(topic)).createSubscription(subName, {
          enableMessageOrdering: true,
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
    } else {
      const [metadata] = await subscription.getMetadata();
      if (metadata.topic !== fullTopic) {
        throw new Error(`Pub/Sub subscription "${subName}" belongs to ${metadata.topic}, not ${fullTopic}`);
      }
      if (!metadata.deadLetterPolicy) {
        logger.warn(
          { subscription: subName },
          "subscription has no dead-letter policy; the bus counts deliveries itself (per instance)",
        );
      }
    }
    return subscription;
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
      const existing = subscriptions.get(subName);
      if (existing) throw new Error(`subscription "${subName}" already exists (topic "${existing.topic}")`);
      probeTopic ??= topic;
      const subscription = await openSubscription(topic, subName);
      subscriptions.set(subName, { subscription, topic });
      // The client emits ordered messages in order but does not wait for our async handler, so one
      // chain per ordering key keeps handling sequential. After a nack the server redelivers that
      // message and every later one with its key, so later ones are nacked unhandled until it returns.
      const chains = new Map<string, Promise<void>>();
      const blocked = new Map<string, { messageId: string; until: number }>();
      const blockMs = (config.retryBackoff.maxSeconds + config.ackDeadlineSeconds) * 1_000;
      const handleInOrder = async (message: Message): Promise<void> => {
        const key = message.orderingKey;
        const block = key ? blocked.get(key) : undefined;
        if (key && block) {
          if (block.messageId !== message.id && Date.now() < block.until) {
            message.nack();
            return;
          }
          blocked.delete(key);
        }
        const outcome = await handleMessage(topic, subName, handler as EventHandler, message).catch(
          (error) => {
            logger.error({ subscription: subName, error: describeError(error) }, "message handling crashed");
            message.nack();
            return "nacked" as const;
          },
        );
        if (key && outcome === "nacked")
          blocked.set(key, { messageId: message.id, until: Date.now() + blockMs });
      };
      subscription.on("message", (message: Message) => {
        const key = message.orderingKey;
        let work: Promise<void>;
        if (key) {
          work = (chains.get(key) ?? Promise.resolve()).then(() => handleInOrder(message));
          chains.set(key, work);
          void work.then(() => {
            if (chains.get(key) === work) chains.delete(key);
          });
        } else {
          work = handleInOrder(message);
        }
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      });
      subscription.on("error", (error: Error) => {
        logger.error({ subscription: subName, error: describeError(error) }, "Pub/Sub subscription error");
      });
      subscription.on("close", () => {
        if (closing) return;
        // The client closes the stream on non-retryable errors; a silent stop would strand messages.
        logger.warn({ subscription: subName }, "Pub/Sub subscription stream closed; reopening");
        const timer = setTimeout(async () => {
          if (closing || subscription.isOpen) return;
          if (config.createIfMissing) {
            // The subscription may be gone with its topic (emulator restart): create them again.
            ensured.delete(topicName(topic));
            ensured.delete(deadLetterTopicName(topic));
            await openSubscription(topic, subName).catch((error: unknown) =>
              logger.warn(
                { subscription: subName, error: describeError(error) },
                "recreating subscription failed",
              ),
            );
          }
          if (!closing && !subscription.isOpen) subscription.open();
        }, 1_000);
        timer.unref();
      });
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
      const stopped = [...subscriptions].filter(([, s]) => !s.subscription.isOpen).map(([n]) => n);
      if (result !== "ok") return { ok: false, kind: "pubsub", detail: result };
      if (stopped.length > 0)
        return { ok: false, kind: "pubsub", detail: `not consuming: ${stopped.join(", ")}` };
      return { ok: true, kind: "pubsub", detail: `${subscriptions.size} subscriptions` };
    },

    close() {
      closePromise ??= (async () => {
        closing = true;
        const shutdown = (async () => {
          // New messages are nacked from now on; let in-flight handlers ack or nack first.
          await Promise.allSettled([...inFlight]);
          await Promise.allSettled(
            [...subscriptions.values()].map(({ subscription }) => subscription.close()),
          );
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
