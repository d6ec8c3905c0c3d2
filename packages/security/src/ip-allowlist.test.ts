import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createErrorHandler } from "./errors.ts";
import { ipAllowlist, parseCidrList } from "./ip-allowlist.ts";
import { requestIds } from "./security-headers.ts";
import { socketEnv } from "./test-helpers.ts";

function appWith(options: Parameters<typeof ipAllowlist>[0]) {
  const app = new Hono();
  app.onError(createErrorHandler());
  app.use(requestIds());
  app.use(ipAllowlist(options));
  app.post("/hook", (c) => c.json({ ok: true, ip: c.get("clientIp" as never) ?? null }));
  return app;
}

const post = (app: Hono, from: string, headers: Record<string, string> = {}) =>
  app.request("/hook", { method: "POST", headers }, socketEnv(from));

describe("ipAllowlist", () => {
  const allow = ["51.89.194.21", "10.0.0.0/8", "2001:db8::/32", "::1"];

  it("lets listed addresses and ranges in, IPv4 and IPv6, by socket address", async () => {
    const app = appWith({ allow });
    for (const ip of ["51.89.194.21", "10.20.30.40", "2001:db8:1::7", "::1", "::ffff:10.1.2.3"]) {
      const res = await post(app, ip);
      expect(res.status, ip).toBe(200);
    }
  });

  it("answers 403 with the standard error body to everyone else", async () => {
    const app = appWith({ allow });
    for (const ip of ["51.89.194.22", "11.0.0.1", "2001:db9::1", "::2"]) {
      const res = await post(app, ip);
      expect(res.status, ip).toBe(403);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("FORBIDDEN");
      expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    const app = appWith({ allow });
    const res = await post(app, "203.0.113.9", { "x-forwarded-for": "51.89.194.21" });
    expect(res.status).toBe(403);
  });

  it("counts trusted hops from the right and never believes the leftmost entry", async () => {
    const app = appWith({ allow, trustedProxyHops: 1 });
    // The attacker writes an allowed address first; the proxy appends the real one.
    expect((await post(app, "10.9.9.9", { "x-forwarded-for": "51.89.194.21, 203.0.113.9" })).status).toBe(
      403,
    );
    const ok = await post(app, "35.1.1.1", { "x-forwarded-for": "203.0.113.9, 51.89.194.21" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ip: "51.89.194.21" });

    const two = appWith({ allow, trustedProxyHops: 2 });
    expect(
      (await post(two, "35.1.1.1", { "x-forwarded-for": "1.1.1.1, 10.0.0.5, 130.211.0.1" })).status,
    ).toBe(200);
    expect(
      (await post(two, "35.1.1.1", { "x-forwarded-for": "10.0.0.5, 1.1.1.1, 130.211.0.1" })).status,
    ).toBe(403);
  });

  it("refuses when the header has fewer entries than trusted hops, or garbage", async () => {
    const app = appWith({ allow, trustedProxyHops: 2 });
    expect((await post(app, "10.0.0.1", { "x-forwarded-for": "10.0.0.1" })).status).toBe(403);
    expect((await post(app, "10.0.0.1")).status).toBe(403);
    expect((await post(app, "10.0.0.1", { "x-forwarded-for": "10.0.0.1, not-an-ip, 10.0.0.2" })).status).toBe(
      403,
    );
  });

  it("accepts ports and brackets in forwarded entries", async () => {
    const app = appWith({ allow, trustedProxyHops: 1 });
    expect((await post(app, "1.1.1.1", { "x-forwarded-for": "51.89.194.21:4711" })).status).toBe(200);
    expect((await post(app, "1.1.1.1", { "x-forwarded-for": "[2001:db8::5]:443" })).status).toBe(200);
  });

  it("allows everyone when the list is empty, even without a known address", async () => {
    const app = appWith({ allow: [] });
    expect((await app.request("/hook", { method: "POST" })).status).toBe(200);
  });

  it("refuses when the socket address is unknown", async () => {
    const app = appWith({ allow });
    expect((await app.request("/hook", { method: "POST" })).status).toBe(403);
  });

  it("rejects invalid rules and hop counts at construction", () => {
    expect(() => ipAllowlist({ allow: ["10.0.0.0/33"] })).toThrow(/invalid/);
    expect(() => ipAllowlist({ allow: ["not-an-ip"] })).toThrow(/invalid/);
    expect(() => ipAllowlist({ allow: ["*"] })).toThrow();
    expect(() => ipAllowlist({ allow, trustedProxyHops: -1 })).toThrow(/trustedProxyHops/);
  });

  it("parses config lists", () => {
    expect(parseCidrList(" 1.2.3.4, 10.0.0.0/8  ::1,,")).toEqual(["1.2.3.4", "10.0.0.0/8", "::1"]);
    expect(parseCidrList(undefined)).toEqual([]);
  });
});
