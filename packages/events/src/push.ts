import type { Logger } from "@telepay/config";
import { z } from "zod";
import type { EventHandler } from "./bus.ts";
import { PoisonMessageError } from "./errors.ts";
import { consoleLogger, describeError } from "./logger.ts";
import type { DeadLetterMessage } from "./pubsub-bus.ts";
import { type EventEnvelope, eventSchemas, type Topic } from "./topics.ts";
import { decodeWireMessage } from "./wire.ts";

/** The JSON body Pub/Sub POSTs to a push endpoint. */
export const pushBodySchema = z.object({
  message: z.object({
    data: z.base64().default(""),
    attributes: z.record(z.string(), z.string()).default({}),
    messageId: z.string().min(1),
    publishTime: z.string().optional(),
    orderingKey: z.string().optional(),
  }),
  subscription: z.string().min(1),
  /** Present when the push subscription has a dead-letter policy. */
  deliveryAttempt: z.number().int().positive().optional(),
});

export type PushBody = z.infer<typeof pushBodySchema>;

/**
 * Decodes a Pub/Sub push body into a validated envelope. Anything that is not a well-formed
 * TelePay message throws {@link PoisonMessageError} (never a plain Error), so the route can tell
 * "never going to work" from a transient failure.
 */
export function decodePushMessage(body: unknown): EventEnvelope {
  return decodePush(body).event;
}

function decodePush(body: unknown): { event: EventEnvelope; push: PushBody } {
  const parsed = pushBodySchema.safeParse(body);
  if (!parsed.success) {
    const attributes = (body as { message?: { attributes?: Record<string, unknown> } } | null)?.message
      ?.attributes;
    const topic = typeof attributes?.topic === "string" ? attributes.topic : undefined;
    throw new PoisonMessageError(`not a Pub/Sub push body: ${z.prettifyError(parsed.error)}`, {
      ...(topic ? { topic } : {}),
    });
  }
  const push = parsed.data;
  const event = decodeWireMessage({
    data: push.message.data,
    attributes: push.message.attributes,
    orderingKey: push.message.orderingKey,
  });
  return { event, push };
}

/** What the push route should answer. */
export interface PushOutcome {
  /**
   * 204: acknowledged (handled, duplicate, or copied to the dead-letter topic).
   * 400: not a TelePay message and no topic to dead-letter it to; Pub/Sub treats any non-2xx as a
   *      nack, so the push subscription's own dead-letter policy (if any) eventually takes it.
   * 503: transient failure; Pub/Sub redelivers with the subscription's backoff.
   */
  status: 204 | 400 | 503;
  outcome: "acked" | "dead-lettered" | "rejected" | "retry";
  eventId?: string;
  reason?: string;
}

/** Options of {@link handlePushMessage}. */
export interface PushHandlingOptions {
  /** One handler per topic this endpoint consumes; a message for another topic is dead-lettered. */
  handlers: { [T in Topic]?: EventHandler<T> };
  /** Where poison goes (a {@link PubSubBus}'s `publishDeadLetter`). */
  deadLetter: (message: DeadLetterMessage) => Promise<void>;
  /** Give up after this many deliveries, when the body carries `deliveryAttempt` (default 5). */
  maxDeliveryAttempts?: number;
  logger?: Logger;
}

/**
 * Handles one Pub/Sub push request for `POST /pubsub/push` (after the OIDC check) and says what to
 * answer. Poison (bad body, unknown topic, bad payload, a handler's "poison", or the last allowed
 * delivery failing) is copied to `<topic>.dlq` and acknowledged with 204 — Pub/Sub has no "reject"
 * answer: a 4xx is retried like a 5xx, which is how the legacy system retried poison for a day
 * (docs/legacy-mistakes.md#lm-12).
 * Only if the dead-letter copy itself fails is the answer 503, so nothing is dropped.
 */
export async function handlePushMessage(body: unknown, options: PushHandlingOptions): Promise<PushOutcome> {
  const logger = options.logger ?? consoleLogger;
  const maxAttempts = options.maxDeliveryAttempts ?? 5;
  const raw = pushBodySchema.safeParse(body);

  const deadLetter = async (
    topic: string | undefined,
    reason: string,
    eventId?: string,
  ): Promise<PushOutcome> => {
    if (!raw.success || !topic || !(topic in eventSchemas)) {
      logger.error({ eventId, reason }, "push message rejected: no TelePay topic to dead-letter it to");
      return { status: 400, outcome: "rejected", reason, ...(eventId ? { eventId } : {}) };
    }
    const push = raw.data;
    try {
      await options.deadLetter({
        topic: topic as Topic,
        data: push.message.data,
        attributes: push.message.attributes,
        orderingKey: push.message.orderingKey,
        reason,
        attempts: push.deliveryAttempt ?? 1,
        subscription: push.subscription,
        messageId: push.message.messageId,
      });
    } catch (error) {
      logger.error(
        { eventId, error: describeError(error) },
        "dead-letter publish failed; asking for redelivery",
      );
      return { status: 503, outcome: "retry", reason, ...(eventId ? { eventId } : {}) };
    }
    logger.error({ eventId, topic, reason }, "push message dead-lettered");
    return { status: 204, outcome: "dead-lettered", reason, ...(eventId ? { eventId } : {}) };
  };

  let decoded: { event: EventEnvelope; push: PushBody };
  try {
    decoded = decodePush(body);
  } catch (error) {
    const poison = error instanceof PoisonMessageError ? error : undefined;
    return deadLetter(poison?.topic, describeError(error), poison?.eventId);
  }
  const { event, push } = decoded;
  const handler = options.handlers[event.topic] as EventHandler | undefined;
  if (!handler) return deadLetter(event.topic, `no push handler for topic "${event.topic}"`, event.id);

  let verdict: unknown;
  let failure: unknown;
  try {
    verdict = (await handler(event)) ?? "ack";
  } catch (error) {
    verdict = error instanceof PoisonMessageError ? "poison" : "retry";
    failure = error;
  }
  const reason = failure ? describeError(failure) : `handler answered ${String(verdict)}`;
  if (verdict === "ack") return { status: 204, outcome: "acked", eventId: event.id };
  if (verdict === "poison") return deadLetter(event.topic, reason, event.id);
  if (verdict === "busy") {
    // In progress elsewhere: not a failure, so never dead-lettered here, whatever the attempt count.
    return { status: 503, outcome: "retry", eventId: event.id, reason: "in progress elsewhere" };
  }
  if (push.deliveryAttempt !== undefined && push.deliveryAttempt >= maxAttempts) {
    return deadLetter(event.topic, reason, event.id);
  }
  logger.warn(
    { eventId: event.id, attempt: push.deliveryAttempt, reason },
    "push handler failed; redelivery",
  );
  return { status: 503, outcome: "retry", eventId: event.id, reason };
}
