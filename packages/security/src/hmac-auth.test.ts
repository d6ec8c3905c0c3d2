import { createHmac } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createErrorHandler } from "./errors.ts";
import { hmacAuth } from "./hmac-auth.ts";
import { signInternalRequest } from "./internal-signature.ts";
import { createDbReplayStore, createMemoryReplayStore, type ReplayStore } from "./replay-store.ts";

const SECRET = "internal-signing-secret";

function appWith(replayStore: ReplayStore, now?: () => number) {
  const app = new Hono();
  app.onError(createErrorHandler());
  app.use(hmacAuth({ secret: SECRET, replayStore, ...(now ? { now } : {}) }));
  app.post("/jobs/sweep", async (c) => c.json({ body: await c.req.json() }));
  app.on(["POST", "PUT"], "/jobs/relay", (c) => c.json({ relayed: true }));
  return app;
}

const send = (app: Hono, body: string, signature?: string) =>
  app.request("/jobs/sweep", {
    method: "POST",
    body,
    headers: signature ? { "x-signature": signature, "content-type": "application/json" } : {},
  });

/** Signs a POST /jobs/sweep with `body`. */
const sign = (body: string, secret = SECRET, now?: number) =>
  signInternalRequest({ method: "POST", path: "/jobs/sweep", body }, secret, now);

describe("signInternalRequest", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<METHOD>.<path with query>.<body>'>", () => {
    const expected = createHmac("sha256", SECRET)
      .update('1700000000.POST./jobs/sweep?dry=1.{"a":1}')
      .digest("hex");
    const request = { method: "post", path: "/jobs/sweep?dry=1", body: '{"a":1}' };
    expect(signInternalRequest(request, SECRET, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it("refuses a path that is not a path", () => {
    expect(() => signInternalRequest({ method: "POST", path: "jobs/sweep", body: "" }, SECRET)).toThrow(
      /path/,
    );
  });
});

describe("hmacAuth binds the signature to the route", () => {
  const relay = { method: "POST", path: "/jobs/relay", body: "{}" };
  const at = (app: Hono, method: string, path: string, signature: string) =>
    app.request(path, { method, body: "{}", headers: { "x-signature": signature } });

  it("a valid signature for POST /jobs/relay with body {} is refused on POST /jobs/sweep", async () => {
    const app = appWith(createMemoryReplayStore());
    const captured = signInternalRequest(relay, SECRET);
    const elsewhere = await at(app, "POST", "/jobs/sweep", captured);
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toBe(
      "invalid signature",
    );
    // Refused without being spent: the request it was made for still goes through, once.
    expect((await at(app, "POST", "/jobs/relay", captured)).status).toBe(200);
  });

  it("a signature for one query string or method is refused on another", async () => {
    const app = appWith(createMemoryReplayStore());
    const sweep = { method: "POST", path: "/jobs/sweep?dryRun=1", body: "{}" };
    expect((await at(app, "POST", "/jobs/sweep?dryRun=0", signInternalRequest(sweep, SECRET))).status).toBe(
      401,
    );
    expect((await at(app, "POST", "/jobs/sweep", signInternalRequest(sweep, SECRET))).status).toBe(401);
    expect((await at(app, "PUT", "/jobs/relay", signInternalRequest(relay, SECRET))).status).toBe(401);
    expect(
      (await at(app, "PUT", "/jobs/relay", signInternalRequest({ ...relay, method: "PUT" }, SECRET))).status,
    ).toBe(200);
  });
});

describe("hmacAuth", () => {
  it("passes a correctly signed request and leaves the body readable", async () => {
    const app = appWith(createMemoryReplayStore());
    const body = '{"dryRun":true}';
    const res = await send(app, body, sign(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { dryRun: true } });
  });

  it("rejects missing, malformed, wrong-secret and tampered signatures with 401", async () => {
    const app = appWith(createMemoryReplayStore());
    const body = '{"dryRun":true}';
    const cases = [
      undefined,
      "v1=abc",
      `t=${Math.floor(Date.now() / 1000)},v1=zz`,
      sign(body, "other-secret"),
      sign('{"dryRun":false}'),
    ];
    for (const sig of cases) {
      const res = await send(app, body, sig);
      expect(res.status, String(sig)).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    }
  });

  it("rejects timestamps outside ±300 s and accepts the edges", async () => {
    const now = 1_700_000_000_000;
    const app = appWith(createMemoryReplayStore(), () => now);
    const t = now / 1000;
    expect((await send(app, "{}", sign("{}", SECRET, t - 301))).status).toBe(401);
    expect((await send(app, "{}", sign("{}", SECRET, t + 301))).status).toBe(401);
    expect((await send(app, "{}", sign("{}", SECRET, t - 300))).status).toBe(200);
    expect((await send(app, "{}", sign("{}", SECRET, t + 300))).status).toBe(200);
  });

  it("rejects a replayed signature", async () => {
    const app = appWith(createMemoryReplayStore());
    const sig = sign("{}");
    expect((await send(app, "{}", sig)).status).toBe(200);
    const again = await send(app, "{}", sig);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
  });

  it("validates options up front", () => {
    expect(() => hmacAuth({ secret: "", replayStore: createMemoryReplayStore() })).toThrow(/secret/);
    expect(() =>
      hmacAuth({ secret: SECRET, toleranceSeconds: 0, replayStore: createMemoryReplayStore() }),
    ).toThrow();
  });

  describe("with the database replay store (shared by instances)", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(process.env.TEST_DATABASE_URL);
    });
    afterAll(async () => {
      await db?.close();
    });

    it("a signature used on one instance is refused on another", async () => {
      const instanceA = appWith(createDbReplayStore(db.db));
      const instanceB = appWith(createDbReplayStore(db));
      const sig = sign('{"job":"relay"}');
      expect((await send(instanceA, '{"job":"relay"}', sig)).status).toBe(200);
      expect((await send(instanceB, '{"job":"relay"}', sig)).status).toBe(401);
    });

    it("concurrent copies: exactly one gets through", async () => {
      const store = createDbReplayStore(db.db);
      const apps = [appWith(store), appWith(createDbReplayStore(db.db))];
      const sig = sign('{"n":2}');
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          Promise.resolve(send(apps[i % 2]!, '{"n":2}', sig)).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    });

    it("an expired key may be claimed again (the timestamp window still guards it)", async () => {
      const store = createDbReplayStore(db.db);
      expect(await store.seen("k-expiring", 0)).toBe(false);
      expect(await store.seen("k-expiring", 60)).toBe(false);
      expect(await store.seen("k-expiring", 60)).toBe(true);
    });

    it("a database failure answers 503, not a pass", async () => {
      const broken: ReplayStore = {
        seen: async () => {
          throw new Error("connection refused");
        },
      };
      const res = await send(appWith(broken), "{}", sign("{}"));
      expect(res.status).toBe(503);
    });
  });
});
