import type { PubSubBus, PubSubBusOptions } from "./pubsub-bus.ts";

/**
 * Creates the Google Pub/Sub {@link EventBus} (see pubsub-bus.ts for its behaviour). Async because
 * @google-cloud/pubsub (with gRPC, protobufjs and google-auth-library: several hundred modules,
 * ~30 MiB of heap) is loaded here, on first use, not when @telepay/events is imported: a process
 * that never configures Pub/Sub (standalone, a service without GOOGLE_CLOUD_PROJECT) never loads it.
 */
export async function createPubSubBus(options: PubSubBusOptions): Promise<PubSubBus> {
  const { createPubSubBus: create } = await import("./pubsub-bus.ts");
  return create(options);
}
