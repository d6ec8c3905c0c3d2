import { z } from "zod";

/** Decimal string: money never travels as a float. */
const decimal = z.string().regex(/^\d+(\.\d+)?$/, "a non-negative decimal string");
/** Telegram ids are 64-bit: strings on the wire. */
const telegramId = z.string().regex(/^-?\d{1,20}$/, "a Telegram id as a decimal string");
const isoTime = z.iso.datetime({ offset: true });

/** Every topic TelePay publishes; producers and consumers both import these. */
export const TOPICS = {
  paymentConfirmed: "payment.confirmed",
  paymentUpdated: "payment.updated",
  channelPublishRequested: "channel.publish_requested",
  subscriptionChanged: "subscription.changed",
  broadcastRequested: "broadcast.requested",
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** A subscription or donation order was fully paid (IPN `finished`, amount and currency checked). */
export const paymentConfirmedSchema = z.object({
  orderId: z.number().int().positive(),
  orderReference: z.string().min(1),
  kind: z.enum(["subscription", "donation"]),
  userId: telegramId,
  channelId: z.number().int().positive(),
  tierId: z.number().int().positive().nullable(),
  /** What the order cost, in the order's currency. */
  amount: decimal,
  currency: z.string().min(1),
  durationDays: z.number().int().positive().nullable(),
  paymentId: z.string().min(1),
  actuallyPaid: decimal.nullable(),
  payCurrency: z.string().nullable(),
  paidAt: isoTime,
});

/** Payment statuses the payer hears about through payment.updated (`finished` is payment.confirmed). */
export const PAYMENT_UPDATE_STATUSES = [
  "waiting",
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
  "failed",
  "expired",
  "refunded",
] as const;
export type PaymentUpdateStatus = (typeof PAYMENT_UPDATE_STATUSES)[number];

/** Any other status change the user should hear about. */
export const paymentUpdatedSchema = z.object({
  orderId: z.number().int().positive(),
  orderReference: z.string().min(1),
  kind: z.enum(["subscription", "donation"]),
  userId: telegramId,
  channelId: z.number().int().positive(),
  paymentId: z.string().min(1),
  status: z.enum(PAYMENT_UPDATE_STATUSES),
  previousStatus: z.string().nullable(),
  priceAmount: decimal.nullable(),
  priceCurrency: z.string().nullable(),
  payAmount: decimal.nullable(),
  actuallyPaid: decimal.nullable(),
  payCurrency: z.string().nullable(),
});

/** Post or update a channel's tier post (open channel) and/or donation post (closed channel). */
export const channelPublishRequestedSchema = z.object({
  channelId: z.number().int().positive(),
  kinds: z
    .array(z.enum(["tiers", "donation"]))
    .min(1)
    .default(["tiers", "donation"]),
  requestedBy: z.enum(["owner", "cli", "system"]),
});

/**
 * A manual change already applied to the subscription row (by the CLI or an owner); the notifier
 * does the Telegram side: invite on grant, notice on extend, removal on revoke.
 */
export const subscriptionChangedSchema = z.object({
  subscriptionId: z.number().int().positive(),
  action: z.enum(["grant", "extend", "revoke"]),
  userId: telegramId,
  channelId: z.number().int().positive(),
  expiresAt: isoTime,
  actor: z.enum(["owner", "cli", "system"]),
  actorTelegramId: telegramId.nullable(),
});

/** An owner's message to every active subscriber; text and recipients live in `broadcasts`. */
export const broadcastRequestedSchema = z.object({
  broadcastId: z.number().int().positive(),
  channelId: z.number().int().positive(),
});

/** Topic name → payload schema. */
export const eventSchemas = {
  [TOPICS.paymentConfirmed]: paymentConfirmedSchema,
  [TOPICS.paymentUpdated]: paymentUpdatedSchema,
  [TOPICS.channelPublishRequested]: channelPublishRequestedSchema,
  [TOPICS.subscriptionChanged]: subscriptionChangedSchema,
  [TOPICS.broadcastRequested]: broadcastRequestedSchema,
} as const satisfies Record<Topic, z.ZodType>;

export type EventPayload<T extends Topic> = z.infer<(typeof eventSchemas)[T]>;
export type EventPayloadInput<T extends Topic> = z.input<(typeof eventSchemas)[T]>;

/** What travels on the bus: the payload plus the id consumers de-duplicate on. */
export interface EventEnvelope<T extends Topic = Topic> {
  /** uuid, fixed when the event is written to the outbox; redeliveries keep it. */
  id: string;
  topic: T;
  occurredAt: string;
  /** Pub/Sub ordering key (payment.confirmed: the order reference). */
  orderingKey?: string | undefined;
  data: EventPayload<T>;
}

/** Validates a payload for its topic; throws a ZodError naming the bad fields. */
export function parseEvent<T extends Topic>(topic: T, data: unknown): EventPayload<T> {
  return eventSchemas[topic].parse(data) as EventPayload<T>;
}
