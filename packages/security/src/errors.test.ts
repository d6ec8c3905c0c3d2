import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, createErrorHandler, notFound } from "./errors.ts";
import { requestIds } from "./security-headers.ts";

function app(logged: unknown[] = []) {
  const a = new Hono();
  a.onError(createErrorHandler({ logger: { error: (obj) => logged.push(obj) } }));
  a.notFound(notFound);
  a.use(requestIds());
  a.get("/api", () => {
    throw new ApiError("RATE_LIMITED", "slow down", { headers: { "Retry-After": "3" } });
  });
  a.get("/http", () => {
    throw new HTTPException(401, { message: "who are you" });
  });
  a.get("/zod", () => {
    z.object({ amount: z.string() }).parse({ amount: 1 });
    return new Response();
  });
  a.get("/bug", () => {
    throw new Error("password=hunter2 at db.internal:5432");
  });
  return a;
}

type Body = { error: { code: string; message: string; requestId: string } };

describe("createErrorHandler", () => {
  it("maps ApiError with its code, status and headers", async () => {
    const res = await app().request("/api");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    const body = (await res.json()) as Body;
    expect(body.error).toEqual({
      code: "RATE_LIMITED",
      message: "slow down",
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("maps HTTPException by status", async () => {
    const res = await app().request("/http");
    expect(res.status).toBe(401);
    expect(((await res.json()) as Body).error).toMatchObject({
      code: "UNAUTHORIZED",
      message: "who are you",
    });
  });

  it("maps a ZodError to 400 naming the field", async () => {
    const res = await app().request("/zod");
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).error.message).toContain("amount");
  });

  it("answers 500 without leaking internals, and logs the details with the request id", async () => {
    const logged: unknown[] = [];
    const res = await app(logged).request("/bug");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text).error).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "internal error",
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: res.headers.get("x-request-id") });
  });

  it("answers unknown routes with 404 in the same shape", async () => {
    const res = await app().request("/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as Body).error.code).toBe("NOT_FOUND");
  });
});
