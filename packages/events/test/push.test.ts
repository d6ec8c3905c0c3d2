import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Message, PubSub } from "@google-cloud/pubsub";
import { afterAll, describe, expect, it } from "vitest";
import {
  createPubSubBus,
  type DeadLetterMessage,
  decodePushMessage,
  encodeEnvelope,
  handlePushMessage,
  PoisonMessageError,
  TOPICS,
} from "../src/index.ts";
import { deferred, emulatorHost, envelope, memoryLogger, unique, within } from "./support.ts";

const topic = TOPICS.subscriptionChanged;

/** A push body as Pub/Sub sends it, built from what the bus publishes. */
function pushBodyFor(event: ReturnType<typeof envelope>, extra: Record<string, unknown> = {}) {
  const wire = encodeEnvelope(event);
  return {
    message: {
      data: wire.data.toString("base64"),
      attributes: wire.attributes,
      messageId: "1234567890",
      publishTime: new Date().toISOString(),
      ...(wire.orderingKey ? { orderingKey: wire.orderingKey } : {}),
    },
    subscription: "projects/p/subscriptions/notifier-push",
    ...extra,
  };
}

describe("push body decoding", () => {
  it("decodes a valid push body into the published envelope", () => {
    const event = envelope(1, "order-1");
    expect(decodePushMessage(pushBodyFor(event, { deliveryAttempt: 2 }))).toEqual(event);
  });

  it.each([
    ["not an object", "hello"],
    ["no message", { subscription: "s" }],
    ["data not base64", { message: { data: "%%%", attributes: {}, messageId: "1" }, subscription: "s" }],
  ])("throws PoisonMessageError for a body that is %s", (_, body) => {
    expect(() => decodePushMessage(body)).toThrow(PoisonMessageError);
  });

  it("throws PoisonMessageError naming the topic and event for a payload that fails its schema", () => {
    const event = envelope(2);
    const body = pushBodyFor(event);
    body.message.data = Buffer.from(JSON.stringify({ ...event.data, userId: 12.5 })).toString("base64");
    const error = (() => {
      try {
        decodePushMessage(body);
      } catch (e) {
        return e as PoisonMessageError;
      }
    })();
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect(error?.topic).toBe(topic);
    expect(error?.eventId).toBe(event.id);
    expect(error?.message).toMatch(/userId/);
  });

  it("rejects unknown topics and non-JSON data as poison", () => {
    const event = envelope(3);
    const unknownTopic = pushBodyFor(event);
    unknownTopic.message.attributes = { ...unknownTopic.message.attributes, topic: "payment.stolen" };
    expect(() => decodePushMessage(unknownTopic)).toThrow(/topic/);
    const notJson = pushBodyFor(event);
    notJson.message.data = Buffer.from("{nope").toString("base64");
    expect(() => decodePushMessage(notJson)).toThrow(/not JSON/);
  });
});

describe("handlePushMessage", () => {
  const { logger } = memoryLogger();
  const sink = () => {
    const letters: DeadLetterMessage[] = [];
    return { letters, deadLetter: async (m: DeadLetterMessage) => void letters.push(m) };
  };

  it("answers 204 after the handler acks, 503 when it fails, and dead-letters the last allowed attempt", async () => {
    const { letters, deadLetter } = sink();
    let fail = false;
    const handlers = {
      [topic]: async () => {
        if (fail) throw new Error("db down");
      },
    };
    const event = envelope(4);
    expect(await handlePushMessage(pushBodyFor(event), { handlers, deadLetter, logger })).toMatchObject({
      status: 204,
      outcome: "acked",
      eventId: event.id,
    });
    fail = true;
    expect(
      await handlePushMessage(pushBodyFor(event, { deliveryAttempt: 4 }), { handlers, deadLetter, logger }),
    ).toMatchObject({
      status: 503,
      outcome: "retry",
    });
    expect(letters).toHaveLength(0);
    expect(
      await handlePushMessage(pushBodyFor(event, { deliveryAttempt: 5 }), { handlers, deadLetter, logger }),
    ).toMatchObject({
      status: 204,
      outcome: "dead-lettered",
    });
    expect(letters[0]).toMatchObject({ topic, attempts: 5, reason: expect.stringContaining("db down") });
  });

  it("work in progress elsewhere ('busy') is redelivered, never dead-lettered, even past the attempt limit", async () => {
    const { letters, deadLetter } = sink();
    const handlers = { [topic]: async () => "busy" as const };
    const event = envelope(40);
    expect(
      await handlePushMessage(pushBodyFor(event, { deliveryAttempt: 9 }), { handlers, deadLetter, logger }),
    ).toMatchObject({ status: 503, outcome: "retry" });
    expect(letters).toHaveLength(0);
  });

  it("dead-letters poison with 204, answers 400 when there is no topic to route to, 503 if the copy fails", async () => {
    const { letters, deadLetter } = sink();
    const handlers = { [topic]: async () => {} };
    const bad = pushBodyFor(envelope(5));
    bad.message.data = Buffer.from("[]").toString("base64");
    expect(await handlePushMessage(bad, { handlers, deadLetter, logger })).toMatchObject({
      status: 204,
      outcome: "dead-lettered",
    });
    expect(letters).toHaveLength(1);
    expect(await handlePushMessage({ hello: "world" }, { handlers, deadLetter, logger })).toMatchObject({
      status: 400,
    });
    const failingSink = async () => {
      throw new Error("pubsub unavailable");
    };
    expect(await handlePushMessage(bad, { handlers, deadLetter: failingSink, logger })).toMatchObject({
      status: 503,
    });
    // A topic this endpoint has no handler for is not silently acked.
    const other = await handlePushMessage(pushBodyFor(envelope(6)), { handlers: {}, deadLetter, logger });
    expect(other).toMatchObject({
      status: 204,
      outcome: "dead-lettered",
      reason: expect.stringMatching(/no push handler/),
    });
  });
});

describe.skipIf(!emulatorHost)("push through the emulator", () => {
  const raw = emulatorHost ? new PubSub({ projectId: "telepay-test", apiEndpoint: emulatorHost }) : undefined;
  afterAll(async () => raw?.close());

  it("decodes the body the emulator really pushes, and dead-letters poison into <topic>.dlq", async () => {
    const { logger } = memoryLogger();
    const prefix = `${unique()}-`;
    const bus = await createPubSubBus({
      projectId: "telepay-test",
      apiEndpoint: emulatorHost!,
      topicPrefix: prefix,
      createIfMissing: true,
      logger,
    });
    const bodies: unknown[] = [];
    const got = deferred();
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        bodies.push(JSON.parse(text));
        res.writeHead(204).end();
        got.resolve();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const event = envelope(7, "order-push");
      await bus.publish(event); // creates the topic
      const [sub] = await raw!.topic(bus.topicName(topic)).createSubscription(`${prefix}push`, {
        pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/pubsub/push` },
        enableMessageOrdering: true,
      });
      await bus.publish(event);
      await within(got.promise, 10_000, "a push request");
      expect(decodePushMessage(bodies[0])).toEqual(event);
      await sub.delete();

      // Poison handled by the push helper lands on the dead-letter topic via the real bus.
      const poison = bodies[0] as ReturnType<typeof pushBodyFor>;
      poison.message.attributes = { ...poison.message.attributes, occurredAt: "yesterday" };
      const dlqSub = raw!.subscription(bus.deadLetterTopicName(topic));
      const outcome = await handlePushMessage(poison, {
        handlers: {},
        deadLetter: bus.publishDeadLetter,
        logger,
      });
      expect(outcome).toMatchObject({ status: 204, outcome: "dead-lettered", eventId: event.id });
      const letter = deferred<Message>();
      dlqSub.on("message", (m: Message) => {
        m.ack();
        letter.resolve(m);
      });
      const m = await within(letter.promise, 10_000, "the dead letter");
      await dlqSub.close();
      expect(m.attributes).toMatchObject({
        eventId: event.id,
        deadLetterReason: expect.stringMatching(/occurredAt/),
      });
    } finally {
      server.close();
      await bus.close();
    }
  });
});
