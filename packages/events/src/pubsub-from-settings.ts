import type { Logger } from "@telepay/config";
import type { PubSubBusOptions } from "./pubsub-bus.ts";
import { createDeferredPubSubBus, type DeferredPubSubBus } from "./pubsub-lazy.ts";

/** The Pub/Sub settings every app's env schema carries (packages/config `pubsubEnv`). */
export interface PubSubSettings {
  GOOGLE_CLOUD_PROJECT?: string | undefined;
  PUBSUB_EMULATOR_HOST?: string | undefined;
  PUBSUB_TOPIC_PREFIX?: string | undefined;
  PUBSUB_MAX_MESSAGES?: number | undefined;
  PUBSUB_ACK_DEADLINE_SECONDS?: number | undefined;
  PUBSUB_MAX_DELIVERY_ATTEMPTS?: number | undefined;
}

/**
 * The Pub/Sub bus an app's settings ask for, or undefined when neither GOOGLE_CLOUD_PROJECT nor
 * PUBSUB_EMULATOR_HOST is set. One place decides this for every entrypoint: topics are created
 * only against the emulator (production topics are infra's), and one prefix names both topics
 * and subscriptions so parallel runs on one emulator stay apart. @google-cloud/pubsub is loaded
 * when the process first publishes or consumes (createDeferredPubSubBus), not here.
 */
export async function pubSubBusFromSettings(
  settings: PubSubSettings,
  logger: Logger,
  hooks: Pick<PubSubBusOptions, "onDeadLetter"> = {},
): Promise<DeferredPubSubBus | undefined> {
  const emulator = settings.PUBSUB_EMULATOR_HOST;
  const projectId = settings.GOOGLE_CLOUD_PROJECT ?? (emulator ? "telepay-local" : undefined);
  if (!projectId) return undefined;
  const prefix = settings.PUBSUB_TOPIC_PREFIX;
  return createDeferredPubSubBus({
    projectId,
    ...(emulator ? { apiEndpoint: emulator, createIfMissing: true } : {}),
    ...(prefix ? { topicPrefix: prefix, subscriptionPrefix: prefix } : {}),
    ...(settings.PUBSUB_MAX_DELIVERY_ATTEMPTS
      ? { deadLetter: { maxDeliveryAttempts: settings.PUBSUB_MAX_DELIVERY_ATTEMPTS } }
      : {}),
    ...(settings.PUBSUB_MAX_MESSAGES ? { flowControl: { maxMessages: settings.PUBSUB_MAX_MESSAGES } } : {}),
    ...(settings.PUBSUB_ACK_DEADLINE_SECONDS
      ? { ackDeadlineSeconds: settings.PUBSUB_ACK_DEADLINE_SECONDS }
      : {}),
    ...hooks,
    logger,
  });
}
