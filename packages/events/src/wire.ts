import { z } from "zod";
import { PoisonMessageError } from "./errors.ts";
import { type EventEnvelope, eventSchemas, type Topic } from "./topics.ts";

/** Message attributes every TelePay publish carries (payload-free, so routing and logs need no decoding). */
export const EVENT_ATTRIBUTES = {
  eventId: "eventId",
  topic: "topic",
  occurredAt: "occurredAt",
  /** Also an attribute because not every push body carries `message.orderingKey` (the emulator drops it). */
  orderingKey: "orderingKey",
} as const;

const attributesSchema = z.object({
  eventId: z.uuid(),
  topic: z.string().refine((t) => t in eventSchemas, "a TelePay topic"),
  occurredAt: z.iso.datetime({ offset: true }),
});

/** The parts of a Pub/Sub message (pulled or pushed) the envelope is rebuilt from. */
export interface WireMessage {
  /** The payload JSON, as bytes (pull) or base64 text (push). */
  data: Buffer | string;
  attributes: Record<string, string>;
  orderingKey?: string | undefined;
}

/** Encodes an envelope as a Pub/Sub message: JSON payload plus id/topic/time attributes. */
export function encodeEnvelope(event: EventEnvelope): {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
} {
  return {
    data: Buffer.from(JSON.stringify(event.data)),
    attributes: {
      [EVENT_ATTRIBUTES.eventId]: event.id,
      [EVENT_ATTRIBUTES.topic]: event.topic,
      [EVENT_ATTRIBUTES.occurredAt]: event.occurredAt,
      ...(event.orderingKey ? { [EVENT_ATTRIBUTES.orderingKey]: event.orderingKey } : {}),
    },
    ...(event.orderingKey ? { orderingKey: event.orderingKey } : {}),
  };
}

/**
 * Rebuilds and validates an envelope. Anything that can never succeed (missing or malformed
 * attributes, unknown topic, bad JSON, payload failing the topic's schema, a message arriving on
 * the wrong topic) throws {@link PoisonMessageError}.
 */
export function decodeWireMessage(message: WireMessage, expectedTopic?: Topic): EventEnvelope {
  const attrs = attributesSchema.safeParse(message.attributes ?? {});
  const rawTopic = typeof message.attributes?.topic === "string" ? message.attributes.topic : undefined;
  const rawId = typeof message.attributes?.eventId === "string" ? message.attributes.eventId : undefined;
  if (!attrs.success) {
    throw new PoisonMessageError(`bad message attributes: ${z.prettifyError(attrs.error)}`, {
      ...(rawTopic ? { topic: rawTopic } : {}),
      ...(rawId ? { eventId: rawId } : {}),
    });
  }
  const { eventId, occurredAt } = attrs.data;
  const topic = attrs.data.topic as Topic;
  const ids = { topic, eventId };
  if (expectedTopic && topic !== expectedTopic) {
    throw new PoisonMessageError(`message for "${topic}" arrived on "${expectedTopic}"`, ids);
  }
  const bytes = typeof message.data === "string" ? Buffer.from(message.data, "base64") : message.data;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (cause) {
    throw new PoisonMessageError("message data is not JSON", { ...ids, cause });
  }
  const payload = eventSchemas[topic].safeParse(json);
  if (!payload.success) {
    throw new PoisonMessageError(`invalid ${topic} payload: ${z.prettifyError(payload.error)}`, ids);
  }
  const orderingKey = message.orderingKey || message.attributes.orderingKey;
  return {
    id: eventId,
    topic,
    occurredAt,
    ...(orderingKey ? { orderingKey } : {}),
    data: payload.data,
  } as EventEnvelope;
}
