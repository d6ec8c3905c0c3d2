/**
 * @telepay/events — the event backbone: topic names and payload schemas, the EventBus contract
 * with its Pub/Sub and in-process implementations, Pub/Sub push decoding, the transactional outbox
 * (enqueue + relay) and idempotent consumers (handleOnce / createConsumer).
 */
export { type BackoffOptions, backoffDelay } from "./backoff.ts";
export type { BusHealth, DeadLetter, EventBus, EventHandler, HandlerResult } from "./bus.ts";
export { type ConsumerOptions, checkEnvelope, createConsumer } from "./consumer.ts";
export {
  type DeadLetterRecord,
  type DeadLetterRow,
  type DeadLetterSource,
  deadLetterMessagesToDatabase,
  deadLettersToDatabase,
  listDeadLetters,
  type ReplayResult,
  recordDeadLetter,
  replayDeadLetters,
} from "./dead-letters.ts";
export { BusClosedError, PoisonMessageError } from "./errors.ts";
export { createInProcessBus, type InProcessBus, type InProcessBusOptions } from "./in-process-bus.ts";
export { consoleLogger } from "./logger.ts";
export { type EnqueueOptions, enqueue, handleOnce } from "./outbox.ts";
// Types only: the module itself (and @google-cloud/pubsub) loads when a bus is created.
export type { DeadLetterMessage, PubSubBus, PubSubBusOptions } from "./pubsub-bus.ts";
export { type PubSubSettings, pubSubBusFromSettings } from "./pubsub-from-settings.ts";
export { createDeferredPubSubBus, createPubSubBus, type DeferredPubSubBus } from "./pubsub-lazy.ts";
export {
  decodePushMessage,
  handlePushMessage,
  type PushBody,
  type PushHandlingOptions,
  type PushOutcome,
  pushBodySchema,
} from "./push.ts";
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./relay.ts";
export * from "./topics.ts";
export { decodeWireMessage, EVENT_ATTRIBUTES, encodeEnvelope, type WireMessage } from "./wire.ts";
