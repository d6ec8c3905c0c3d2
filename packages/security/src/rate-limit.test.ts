import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createErrorHandler } from "./errors.ts";
import { createMemoryRateLimitStore, rateLimit } from "./rate-limit.ts";
import { socketEnv } from "./test-helpers.ts";

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function appWith(options: Partial<Parameters<typeof rateLimit>[0]> & { now: () => number }) {
  const app = new Hono();
  app.onError(createErrorHandler());
  app.use(rateLimit({ perMinute: 10, burst: 3, ...options }));
  // A stand-in for the authenticated route: "good" requests succeed, others fail with 401.
  app.post("/hook", (c) =>
    c.req.header("x-good") ? c.json({ ok: true }) : c.json({ error: { code: "UNAUTHORIZED" } }, 401),
  );
  app.post("/crash", (c) => c.json({ error: { code: "SERVICE_UNAVAILABLE" } }, 503));
  return app;
}

const hit = (app: Hono, ip: string, good = false, path = "/hook") =>
  app.request(path, { method: "POST", headers: good ? { "x-good": "1" } : {} }, socketEnv(ip));

describe("rateLimit (all requests)", () => {
  it("allows a burst, then 429 with Retry-After and RateLimit headers, then refills", async () => {
    const t = clock();
    const app = appWith({ now: t.now });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await hit(app, "1.1.1.1", true);
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Limit")).toBe("3");
      remaining.push(res.headers.get("RateLimit-Remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await hit(app, "1.1.1.1", true);
    expect(limited.status).toBe(429);
    // 10 per minute = one token every 6 s; the bucket is full again after 18 s.
    expect(limited.headers.get("Retry-After")).toBe("6");
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(limited.headers.get("RateLimit-Reset")).toBe("18");
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");

    // Another client has its own bucket.
    expect((await hit(app, "2.2.2.2", true)).status).toBe(200);

    t.advance(6_000);
    expect((await hit(app, "1.1.1.1", true)).status).toBe(200);
    expect((await hit(app, "1.1.1.1", true)).status).toBe(429);
  });
});

describe('rateLimit (only: "failures")', () => {
  it("never throttles successful requests, however many", async () => {
    const t = clock();
    const app = appWith({ now: t.now, only: "failures" });
    for (let i = 0; i < 200; i++) {
      expect((await hit(app, "51.89.194.21", true)).status).toBe(200);
    }
  });

  it("charges failures after the fact and refuses up front once the bucket is empty", async () => {
    const t = clock();
    const app = appWith({ now: t.now, only: "failures" });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await hit(app, "6.6.6.6")).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Even a good request from that address waits now: the address has used up its failure budget.
    const blocked = await hit(app, "6.6.6.6", true);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    // The allow-listed sender on another address is untouched.
    expect((await hit(app, "51.89.194.21", true)).status).toBe(200);
    t.advance(6_000);
    expect((await hit(app, "6.6.6.6", true)).status).toBe(200);
  });

  it("does not count our own 5xx (database down) against the client", async () => {
    const t = clock();
    const app = appWith({ now: t.now, only: "failures" });
    for (let i = 0; i < 10; i++) expect((await hit(app, "51.89.194.21", false, "/crash")).status).toBe(503);
    expect((await hit(app, "51.89.194.21", true)).status).toBe(200);
  });

  it("keys by a custom function when given", async () => {
    const t = clock();
    const app = appWith({ now: t.now, burst: 1, key: (c) => c.req.header("x-tenant") ?? "none" });
    const go = (tenant: string) =>
      app.request("/hook", { method: "POST", headers: { "x-good": "1", "x-tenant": tenant } });
    expect((await go("a")).status).toBe(200);
    expect((await go("a")).status).toBe(429);
    expect((await go("b")).status).toBe(200);
  });
});

describe("createMemoryRateLimitStore", () => {
  it("stays bounded under many addresses", () => {
    const store = createMemoryRateLimitStore({ maxKeys: 100 });
    const policy = { capacity: 2, refillPerMs: 1 / 6000 };
    for (let i = 0; i < 5_000; i++) store.take(`ip-${i}`, 1, policy, 0);
    // A fresh key is still served, and an old one was forgotten (full again) rather than growing memory.
    expect(store.take("ip-0", 1, policy, 0)).toMatchObject({ allowed: true, tokens: 1 });
  });

  it("rejects bad options", () => {
    expect(() => rateLimit({ perMinute: 0, burst: 1 })).toThrow(/perMinute/);
    expect(() => rateLimit({ perMinute: 1, burst: 0.5 })).toThrow(/burst/);
  });
});
