import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createErrorHandler } from "./errors.ts";
import { limitBody, requestIds, securityHeaders } from "./security-headers.ts";

function app() {
  const a = new Hono();
  a.onError(createErrorHandler());
  a.use(requestIds());
  a.use(securityHeaders());
  a.use(limitBody({ maxBytes: 64 }));
  a.post("/x", async (c) => c.json({ len: (await c.req.text()).length }));
  a.get("/cached", (c) => c.json({}, 200, { "Cache-Control": "max-age=5" }));
  return a;
}

describe("securityHeaders", () => {
  it("sets API defaults on every response", async () => {
    const res = await app().request("/x", { method: "POST", body: "{}" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=63072000");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("keeps a handler's own Cache-Control", async () => {
    expect((await app().request("/cached")).headers.get("cache-control")).toBe("max-age=5");
  });
});

describe("limitBody", () => {
  it("answers 413 with the standard body past the limit, with or without Content-Length", async () => {
    const a = app();
    const big = "x".repeat(65);
    const res = await a.request("/x", { method: "POST", body: big, headers: { "content-length": "65" } });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await a.request("/x", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await a.request("/x", { method: "POST", body: "x".repeat(64) })).status).toBe(200);
  });
});

describe("requestIds", () => {
  it("reuses a sane incoming id and replaces a bad one", async () => {
    const a = app();
    const kept = await a.request("/x", {
      method: "POST",
      body: "{}",
      headers: { "x-request-id": "abc-123" },
    });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    const replaced = await a.request("/x", {
      method: "POST",
      body: "{}",
      headers: { "x-request-id": "<script>" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
