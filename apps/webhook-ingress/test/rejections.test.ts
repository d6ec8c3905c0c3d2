import { createDb } from "@telepay/db";
import { TOPICS } from "@telepay/events";
import { signIpn } from "@telepay/payments";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import {
  type App,
  baseConfig,
  counts,
  IPN_SECRET,
  ipnBody,
  memoryLogger,
  orderRow,
  outboxFor,
  postIpn,
  seedOrder,
  socketEnv,
} from "./helpers.ts";

type ErrorBody = { error: { code: string; message: string; requestId: string } };

let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  app = (await createApp({ db: database, config: baseConfig, logger: memoryLogger().logger })).app;
});
afterAll(async () => {
  await database?.close();
});

describe("POST /webhooks/nowpayments — rejections change nothing", () => {
  it.each([
    { name: "no signature", status: 401, code: "UNAUTHORIZED", opts: { signature: null } },
    {
      name: "wrong signature",
      status: 401,
      code: "UNAUTHORIZED",
      opts: { signature: signIpn({ x: 1 }, IPN_SECRET) },
    },
    {
      name: "signature with another secret",
      status: 401,
      code: "UNAUTHORIZED",
      opts: { signature: "__other__" },
    },
    { name: "address not allowed", status: 403, code: "FORBIDDEN", opts: { from: "203.0.113.50" } },
    { name: "not JSON", status: 400, code: "BAD_REQUEST", opts: { raw: "{payment_status: finished" } },
  ])("$name → $status $code", async ({ status, code, opts }) => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished");
    const signature = opts.signature === "__other__" ? signIpn(body, "another-secret") : opts.signature;
    const before = await counts(database);
    const res = await postIpn(app, body, { ...opts, ...(signature !== undefined ? { signature } : {}) });
    expect(res.status).toBe(status);
    const err = (await res.json()) as ErrorBody;
    expect(err.error.code).toBe(code);
    expect(err.error.requestId).toBe(res.headers.get("x-request-id"));
    expect(await counts(database)).toEqual(before);
    expect((await orderRow(database, order.id)).status).toBe("waiting");
  });

  it("a signed but malformed IPN → 400 naming the field", async () => {
    const order = await seedOrder(database);
    const before = await counts(database);
    for (const [body, field] of [
      [ipnBody(order, "finished", { price_amount: "lots" }), "price_amount"],
      [ipnBody(order, "finished", { payment_id: undefined }), "payment_id"],
      [ipnBody(order, "finished", { payment_status: ["finished"] }), "payment_status"],
      [[1, 2, 3], "expected record"],
    ] as const) {
      const res = await postIpn(app, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toContain(field);
    }
    expect(await counts(database)).toEqual(before);
  });

  it("a body over 64 KiB → 413 before anything is parsed", async () => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished", { order_description: "x".repeat(70_000) });
    const res = await postIpn(app, body);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("security headers and a request id on every answer", async () => {
    const res = await postIpn(app, { x: 1 }, { signature: null });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("X-Forwarded-For is ignored unless a proxy hop is configured, and then read from the right", async () => {
    const order = await seedOrder(database);
    const spoofed = await postIpn(app, ipnBody(order, "waiting"), {
      from: "203.0.113.50",
      headers: { "x-forwarded-for": "51.89.194.21" },
    });
    expect(spoofed.status).toBe(403);
    const behindProxy = (
      await createApp({
        db: database,
        config: { ...baseConfig, trustedProxyHops: 1 },
        logger: memoryLogger().logger,
      })
    ).app;
    const leftmost = await postIpn(behindProxy, ipnBody(order, "waiting"), {
      from: "169.254.1.1",
      headers: { "x-forwarded-for": "51.89.194.21, 203.0.113.50" },
    });
    expect(leftmost.status).toBe(403);
    const real = await postIpn(behindProxy, ipnBody(order, "waiting"), {
      from: "169.254.1.1",
      headers: { "x-forwarded-for": "203.0.113.50, 51.89.194.21" },
    });
    expect(real.status).toBe(200);
  });
});

describe("POST /webhooks/nowpayments — rate limit on failures", () => {
  it("throttles a source of bad requests with RateLimit headers, never a burst of valid IPNs", async () => {
    const limited = (
      await createApp({
        db: database,
        config: { ...baseConfig, allowedIps: [], rateLimit: { perMinute: 10, burst: 5 } },
        logger: memoryLogger().logger,
      })
    ).app;
    const attacker = "198.51.100.7";
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 8; i++) {
      last = await postIpn(limited, { payment_id: i }, { signature: "0".repeat(128), from: attacker });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(last!.headers.get("RateLimit-Limit")).toBe("5");
    expect(last!.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(last!.headers.get("RateLimit-Reset"))).toBeGreaterThanOrEqual(1);
    expect(((await last!.json()) as ErrorBody).error.code).toBe("RATE_LIMITED");

    // NOWPayments on its own address sends 60 valid IPNs at once: none is throttled.
    const order = await seedOrder(database);
    const valid = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        postIpn(limited, ipnBody(order, i === 59 ? "finished" : "confirming"), { from: "51.89.194.21" }),
      ),
    );
    expect(valid.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(valid[0]!.headers.get("RateLimit-Remaining")).toBe("5");
  });
});

describe("database unavailable", () => {
  it("a database that refuses connections → 503, and /health says so", async () => {
    const dead = await createDb({ url: "postgres://postgres@127.0.0.1:1/none", pool: { timeoutSeconds: 2 } });
    try {
      const handle = await createApp({ db: dead, config: baseConfig, logger: memoryLogger().logger });
      const order = { reference: "whatever_0123456789abc", amount: "4.99", currency: "USD" };
      const started = Date.now();
      const res = await postIpn(handle.app, ipnBody(order, "finished"));
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(((await res.json()) as ErrorBody).error.code).toBe("SERVICE_UNAVAILABLE");
      const health = await handle.app.request("/health");
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: "unhealthy",
        components: { database: "unavailable" },
      });
    } finally {
      await dead.close();
    }
  });

  it("a closed database → 503", async () => {
    const own = await createTestDatabase(process.env.TEST_DATABASE_URL);
    const handle = await createApp({ db: own, config: baseConfig, logger: memoryLogger().logger });
    const order = await seedOrder(own);
    await own.close();
    const res = await postIpn(handle.app, ipnBody(order, "finished"));
    expect(res.status).toBe(503);
  });

  it("a failure inside the transaction leaves nothing half-written, and the retry succeeds", async () => {
    const order = await seedOrder(database);
    const body = ipnBody(order, "finished");
    const before = await counts(database);
    // Break the last write of the transaction (the outbox insert) the way an outage mid-way would.
    await database.db.execute(sql`alter table outbox rename to outbox_away`);
    let res: Response;
    try {
      res = await postIpn(app, body);
    } finally {
      await database.db.execute(sql`alter table outbox_away rename to outbox`);
    }
    expect(res.status).toBe(503);
    expect(await counts(database)).toEqual(before);
    expect((await orderRow(database, order.id)).status).toBe("waiting");
    // NOWPayments retries the same IPN: now it goes through, exactly once.
    const retry = await postIpn(app, body);
    expect(retry.status).toBe(200);
    expect(await outboxFor(database, order.reference, TOPICS.paymentConfirmed)).toHaveLength(1);
    expect((await orderRow(database, order.id)).status).toBe("finished");
  });
});

describe("GET /health", () => {
  it("reports the database and the protections in force", async () => {
    const res = await app.request("/health", {}, socketEnv("10.0.0.1"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "healthy",
      service: "webhook-ingress",
      components: { database: "ok" },
      security: {
        hmac: "enabled",
        ip_whitelist: "enabled",
        rate_limiting: "enabled",
        security_headers: "enabled",
      },
    });
    const open = await createApp({
      db: database,
      config: { ...baseConfig, allowedIps: [] },
      logger: memoryLogger().logger,
    });
    expect(
      ((await (await open.app.request("/health")).json()) as { security: Record<string, string> }).security
        .ip_whitelist,
    ).toBe("disabled");
  });

  it("warns at start-up when the allow list is empty", async () => {
    const log = memoryLogger();
    await createApp({ db: database, config: { ...baseConfig, allowedIps: [] }, logger: log.logger });
    expect(log.lines.some((l) => l.level === "warn" && /ALLOWED_IPS/.test(l.msg ?? ""))).toBe(true);
  });

  it("unknown routes answer 404 in the error shape", async () => {
    const res = await app.request("/webhooks/other", { method: "POST" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
  });
});
