import { integer, text } from "../fields.ts";

/**
 * Pub/Sub. Neither GOOGLE_CLOUD_PROJECT nor PUBSUB_EMULATOR_HOST set = the in-process bus
 * (standalone only). The flow-control knobs bound how much work one instance holds at once.
 */
export const pubsubEnv = {
  GOOGLE_CLOUD_PROJECT: text()
    .regex(/^[a-z][a-z0-9.:-]*$/, "must be a Google Cloud project id")
    .optional(),
  PUBSUB_EMULATOR_HOST: text()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be host:port")
    .optional(),
  /** Prefix for topic and subscription names, so several deployments share one project. */
  PUBSUB_TOPIC_PREFIX: text()
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, "must start with a letter and hold only A-Z a-z 0-9 . _ -")
    .optional(),
  /** Messages a subscriber holds unacknowledged at once. */
  PUBSUB_MAX_MESSAGES: integer(20, 1, 1000),
  /** Ack deadline, seconds (the client library extends it while a handler runs). */
  PUBSUB_ACK_DEADLINE_SECONDS: integer(60, 10, 600),
  /** Longest a message may stay leased while being handled, seconds. */
  PUBSUB_MAX_EXTENSION_SECONDS: integer(600, 60, 3600),
};
