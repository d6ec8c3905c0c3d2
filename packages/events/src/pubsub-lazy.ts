import type { BusHealth, EventBus, EventHandler } from "./bus.ts";
import type { DeadLetterMessage, PubSubBus, PubSubBusOptions } from "./pubsub-bus.ts";
import type { EventEnvelope, Topic } from "./topics.ts";

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

/**
 * The Pub/Sub bus of a Cloud Run service, connected on first use: what an app needs of it
 * (publish, subscribe, dead-letter copies, health, close) without loading @google-cloud/pubsub
 * until the process publishes or consumes its first event.
 */
export interface DeferredPubSubBus extends EventBus {
  readonly kind: "pubsub";
  /** Publishes a copy of a message to its topic's dead-letter topic (loads the client). */
  publishDeadLetter(message: DeadLetterMessage): Promise<void>;
  /** True once the client is loaded (something was published, subscribed or dead-lettered). */
  readonly loaded: boolean;
}

/**
 * A {@link DeferredPubSubBus}: the real bus (createPubSubBus) is created on the first publish,
 * subscribe or dead-letter copy. Loading the client costs ~0.5–1 s of CPU and ~45 MiB of RSS on
 * Node 24 (protobuf descriptors, gRPC), which a scale-to-zero service would otherwise pay before its
 * first /health although an idle instance, or one that only records IPNs into the outbox, never
 * talks to Pub/Sub. Events are not at risk meanwhile: they wait in the outbox until the relay
 * publishes them, and that first publish loads the client.
 *
 * health() before the first use reports ok with detail "not used yet": there is no connection to
 * check (checking would load the client, which is exactly what this defers). From the first use on
 * it is the real bus's health, so a Pub/Sub outage shows as soon as the process depends on Pub/Sub.
 */
export function createDeferredPubSubBus(options: PubSubBusOptions): DeferredPubSubBus {
  let bus: Promise<PubSubBus> | undefined;
  let ready: PubSubBus | undefined;
  let closed = false;
  const load = () => {
    if (closed) return Promise.reject(new Error("the Pub/Sub bus is closed"));
    bus ??= createPubSubBus(options).then(
      (b) => {
        ready = b;
        return b;
      },
      (error: unknown) => {
        bus = undefined; // a failed load (e.g. bad options) is tried again by the next call
        throw error;
      },
    );
    return bus;
  };
  return {
    kind: "pubsub",
    get loaded() {
      return ready !== undefined;
    },
    async publish(event: EventEnvelope) {
      await (await load()).publish(event);
    },
    async subscribe<T extends Topic>(topic: T, name: string, handler: EventHandler<T>) {
      await (await load()).subscribe(topic, name, handler);
    },
    async publishDeadLetter(message: DeadLetterMessage) {
      await (await load()).publishDeadLetter(message);
    },
    async health(): Promise<BusHealth> {
      if (closed) return { ok: false, kind: "pubsub", detail: "closed" };
      if (!bus) return { ok: true, kind: "pubsub", detail: "not used yet" };
      return (await bus).health();
    },
    async close() {
      closed = true;
      const pending = bus;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}
