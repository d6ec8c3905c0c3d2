import { afterAll, describe, expect, it } from "vitest";
import { createDeferredPubSubBus, type DeferredPubSubBus, type EventEnvelope, TOPICS } from "../src/index.ts";
import { deferred, emulatorHost, envelope, memoryLogger, unique, within } from "./support.ts";

// The bus the services get from pubSubBusFromSettings: @google-cloud/pubsub is loaded on the first
// publish or subscribe, not at start-up, and behaves as the real bus from then on.

describe.skipIf(!emulatorHost)("deferred Pub/Sub bus against the emulator", () => {
  const prefix = `${unique()}-`;
  const { logger } = memoryLogger();
  const buses: DeferredPubSubBus[] = [];
  const makeBus = () => {
    const bus = createDeferredPubSubBus({
      projectId: "telepay-test",
      apiEndpoint: emulatorHost!,
      topicPrefix: prefix,
      subscriptionPrefix: prefix,
      createIfMissing: true,
      closeTimeoutMs: 3_000,
      logger,
    });
    buses.push(bus);
    return bus;
  };
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
  });

  it("reports healthy without loading the client until used, then delivers and reports the real health", async () => {
    const bus = makeBus();
    expect(bus.loaded).toBe(false);
    expect(await bus.health()).toEqual({ ok: true, kind: "pubsub", detail: "not used yet" });
    expect(bus.loaded).toBe(false);

    const got = deferred<EventEnvelope>();
    await bus.subscribe(TOPICS.subscriptionChanged, `deferred-${unique()}`, async (event) => {
      got.resolve(event);
    });
    expect(bus.loaded).toBe(true);
    const sent = envelope(31);
    await bus.publish(sent);
    expect((await within(got.promise, 15_000, "the event")).id).toBe(sent.id);
    expect(await bus.health()).toMatchObject({ ok: true, kind: "pubsub", detail: "1 subscriptions" });
  });

  it("refuses to publish after close, and a closed bus is unhealthy whether it was used or not", async () => {
    const unused = makeBus();
    await unused.close();
    expect(unused.loaded).toBe(false);
    expect((await unused.health()).ok).toBe(false);
    await expect(unused.publish(envelope(32))).rejects.toThrow(/closed/);

    const used = makeBus();
    await used.publish(envelope(33));
    await used.close();
    expect((await used.health()).ok).toBe(false);
  });
});
