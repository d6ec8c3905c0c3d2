import { describe, expect, it } from "vitest";
import { DAY_MS, unusedTime } from "../src/index.ts";

// The examples of docs/refunds.md: 30-day orders A, B, C bought on day 0 (A 0–30, B 30–60, C 60–90).
const T0 = new Date("2026-12-01T00:00:00.000Z").getTime();
const day = (n: number) => new Date(T0 + n * DAY_MS);
const sub = (expiresDay: number, startsDay = 0, status: "active" | "expired" | "revoked" = "active") => ({
  status,
  startsAt: day(startsDay),
  expiresAt: day(expiresDay),
  remindersSent: [] as number[],
});
const days = (ms: number) => ms / DAY_MS;

describe("unusedTime: what a reversal withdraws", () => {
  it("a stacked order not started yet: all its days", () => {
    expect(days(unusedTime(sub(90), day(60), 30, day(0)))).toBe(30);
  });
  it("the running order: only its unused part", () => {
    expect(days(unusedTime(sub(90), day(30), 30, day(10)))).toBe(20);
  });
  it("after an earlier reversal moved it (B now 10–40), on day 20: 20 days", () => {
    expect(days(unusedTime(sub(70), day(40), 30, day(20)))).toBe(20);
  });
  it("an operator's extra days after it are not touched", () => {
    expect(days(unusedTime(sub(100), day(90), 30, day(0)))).toBe(30);
  });
  it("time the operator already cut is not cut twice", () => {
    expect(days(unusedTime(sub(20), day(60), 30, day(5)))).toBe(0);
    expect(days(unusedTime(sub(20), day(30), 30, day(5)))).toBe(15);
  });
  it("an order from an earlier run, a used-up order, a subscription not live: nothing", () => {
    expect(unusedTime(sub(70, 40), day(30), 30, day(45))).toBe(0);
    expect(unusedTime(sub(90), day(30), 30, day(35))).toBe(0);
    expect(unusedTime(sub(90, 0, "revoked"), day(90), 30, day(5))).toBe(0);
    expect(unusedTime(sub(3, 0, "active"), day(30), 30, day(5))).toBe(0);
  });
  it("the only order, on day 3: 27 days, which is all the time left", () => {
    expect(days(unusedTime(sub(30), day(30), 30, day(3)))).toBe(27);
  });
});
