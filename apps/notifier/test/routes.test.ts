import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { encodeEnvelope } from "@telepay/events";
import { signInternalRequest } from "@telepay/security";
import { postOversize } from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotifierApp } from "../src/index.ts";
import { type Fixture, setup } from "./fixture.ts";

// The notifier's HTTP surface as an attacker meets it: which routes exist in which mode, who may
// call /jobs/*, what a captured signature is good for, and how much body anyone can make it read.

const SECRET = "a-signing-secret-of-some-length";
const LOCAL = ["127.0.0.1"];

let f: Fixture;
const servers: { close(): void }[] = [];
beforeAll(async () => {
  f = await setup();
});
afterAll(async () => {
  for (const s of servers) s.close();
  await f?.close();
});

/** Serves an app over real HTTP on 127.0.0.1 (socket addresses and chunked bodies are real). */
async function listen(app: NotifierApp): Promise<string> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type ErrorBody = { error: { code: string; message: string; requestId: string } };

/** The one error format of packages/security, with the request id echoed in the header. */
async function expectError(
  res: Response | { status: number; headers: unknown; body: string },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  const body = (res instanceof Response ? await res.json() : JSON.parse(res.body)) as ErrorBody;
  expect(body.error).toEqual({ code, message: expect.any(String), requestId: expect.any(String) });
  expect(body.error.requestId).not.toBe("");
  const header =
    res instanceof Response
      ? res.headers.get("x-request-id")
      : (res.headers as Record<string, string>)["x-request-id"];
  expect(header).toBe(body.error.requestId);
  return body.error;
}

/** A Pub/Sub push body carrying a forged payment.confirmed for a real order. */
async function forgedPush(userId: number) {
  await f.addUser(userId);
  const order = await f.order(userId);
  const wire = encodeEnvelope(
    f.envelope("payment.confirmed", {
      orderId: order.id,
      orderReference: order.reference,
      kind: "subscription",
      userId: String(userId),
      channelId: f.channelId,
      tierId: f.tierId,
      amount: "9.99",
      currency: "USD",
      durationDays: 3650,
      paymentId: "forged",
      actuallyPaid: "9.99",
      payCurrency: "usd",
      paidAt: new Date().toISOString(),
    }),
  );
  return {
    message: {
      data: wire.data.toString("base64"),
      attributes: wire.attributes,
      messageId: String(Date.now()),
      publishTime: new Date().toISOString(),
    },
    subscription: "projects/p/subscriptions/notifier-payment-confirmed",
  };
}

const signedPost = (base: string, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-signature": signInternalRequest({ method: "POST", path, body }, SECRET),
      ...headers,
    },
  });

/** Well-formed and fresh, but not made with the secret: what someone without it can send. */
const forgedSignature = () => `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString("hex")}`;

describe("POST /pubsub/push", () => {
  it("is not mounted unless the notifier consumes by push: a forged event is a 404 and grants nothing", async () => {
    const app = await f.appWith({ consume: "subscribe", allowedIps: LOCAL });
    const userId = 61_001;
    const res = await app.app.request("/pubsub/push", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(await forgedPush(userId)),
    });
    await expectError(res, 404, "NOT_FOUND");
    expect(f.emulator.messages(userId)).toEqual([]);
    expect(f.emulator.callsOf("createChatInviteLink")).toEqual([]);
  });

  it("createApp refuses push.verifyOidc=false unless it is told it runs against the emulator", async () => {
    for (const consume of ["push", "subscribe"]) {
      await expect(
        f.appWith({ consume, allowedIps: LOCAL, push: { verifyOidc: false } }),
        consume,
      ).rejects.toThrow(/verifyOidc.*emulator/);
    }
    await expect(
      f.appWith({ consume: "push", allowedIps: LOCAL, push: { verifyOidc: false, emulator: true } }),
    ).resolves.toHaveProperty("name", "notifier");
  });

  it("with OIDC on, a push without a Google token is a 401 and handles nothing", async () => {
    const app = await f.appWith({
      consume: "push",
      allowedIps: LOCAL,
      push: {
        audience: "https://notifier.example/pubsub/push",
        serviceAccountEmail: "push@p.iam.gserviceaccount.com",
      },
    });
    const userId = 61_002;
    const res = await app.app.request("/pubsub/push", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(await forgedPush(userId)),
    });
    await expectError(res, 401, "UNAUTHORIZED");
    expect(f.emulator.messages(userId)).toEqual([]);
  });

  it("refuses a body past 1 MiB with 413 before reading it, announced or chunked", async () => {
    const base = await listen(
      await f.appWith({ consume: "push", allowedIps: LOCAL, push: { verifyOidc: false, emulator: true } }),
    );
    for (const framing of ["content-length", "chunked"] as const) {
      const res = await postOversize(`${base}/pubsub/push`, { framing });
      await expectError(res, 413, "PAYLOAD_TOO_LARGE");
      expect(res.finished, framing).toBe(false);
    }
  });
});

describe("/jobs/*", () => {
  it("answers only ALLOWED_IPS, read from the socket; a client-written X-Forwarded-For changes nothing", async () => {
    const base = await listen(await f.appWith({ allowedIps: ["10.0.0.0/8"], trustedProxyHops: 0 }));
    const body = JSON.stringify({ dryRun: true });
    await expectError(await signedPost(base, "/jobs/sweep", body), 403, "FORBIDDEN");
    await expectError(
      await signedPost(base, "/jobs/sweep", body, { "x-forwarded-for": "10.1.2.3" }),
      403,
      "FORBIDDEN",
    );
    // Every /jobs route, including ones added later, sits behind the same checks.
    await expectError(await signedPost(base, "/jobs/redrive", "{}"), 403, "FORBIDDEN");
  });

  it("behind TRUSTED_PROXY_HOPS proxies, the address the proxy appended decides", async () => {
    const base = await listen(await f.appWith({ allowedIps: ["10.0.0.0/8"], trustedProxyHops: 1 }));
    const body = () => JSON.stringify({ dryRun: true, batchSize: 1 + Math.floor(Math.random() * 1000) });
    const ok = await signedPost(base, "/jobs/sweep", body(), { "x-forwarded-for": "10.9.8.7" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ dryRun: true });
    await expectError(
      await signedPost(base, "/jobs/sweep", body(), { "x-forwarded-for": "10.9.8.7, 198.51.100.4" }),
      403,
      "FORBIDDEN",
    );
    await expectError(await signedPost(base, "/jobs/sweep", body()), 403, "FORBIDDEN");
  });

  it("a signature made for POST /jobs/relay with body {} is refused on POST /jobs/sweep; one for a query on another", async () => {
    const base = await listen(await f.appWith({ allowedIps: LOCAL }));
    const captured = signInternalRequest({ method: "POST", path: "/jobs/relay", body: "{}" }, SECRET);
    const post = (path: string, signature: string) =>
      fetch(`${base}${path}`, { method: "POST", body: "{}", headers: { "x-signature": signature } });
    await expectError(await post("/jobs/sweep", captured), 401, "UNAUTHORIZED");
    const dry = signInternalRequest({ method: "POST", path: "/jobs/sweep?dryRun=1", body: "{}" }, SECRET);
    await expectError(await post("/jobs/sweep?dryRun=0", dry), 401, "UNAUTHORIZED");
    await expectError(await post("/jobs/sweep", dry), 401, "UNAUTHORIZED");
    // Each signature still works, once, for the request it was made for.
    expect((await post("/jobs/sweep?dryRun=1", dry)).status).toBe(200);
    expect((await post("/jobs/sweep?dryRun=1", dry)).status).toBe(401);
  });

  it("refuses a body past 64 KiB with 413 before reading it, announced or chunked, whatever the signature", async () => {
    const base = await listen(await f.appWith({ allowedIps: LOCAL }));
    for (const path of ["/jobs/sweep", "/jobs/relay"]) {
      for (const framing of ["content-length", "chunked"] as const) {
        const res = await postOversize(`${base}${path}`, {
          framing,
          headers: { "x-signature": forgedSignature() },
        });
        await expectError(res, 413, "PAYLOAD_TOO_LARGE");
        expect(res.finished, `${path} ${framing}`).toBe(false);
      }
    }
  });

  it("an unknown route is a 404 in the standard format", async () => {
    const app = await f.appWith({ allowedIps: LOCAL });
    await expectError(await app.app.request("/nope"), 404, "NOT_FOUND");
  });
});
