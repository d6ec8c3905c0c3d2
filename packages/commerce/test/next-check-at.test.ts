import { describe, expect, it } from "vitest";
import { DEFAULT_REMINDER_DAYS, nextCheckAt } from "../src/subscription-rules.ts";

const at = (iso: string) => new Date(iso);

describe("nextCheckAt", () => {
  const expires = at("2026-03-31T12:00:00Z");

  it("is the earliest reminder still ahead", () => {
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, at("2026-03-01T00:00:00Z"))).toEqual(
      at("2026-03-28T12:00:00Z"),
    );
  });

  it("skips reminders already sent", () => {
    expect(nextCheckAt(expires, [3], DEFAULT_REMINDER_DAYS, at("2026-03-01T00:00:00Z"))).toEqual(
      at("2026-03-30T12:00:00Z"),
    );
  });

  it("skips reminders from before the subscription started (a 2-day purchase gets only the 1-day one)", () => {
    const boughtAt = at("2026-03-29T12:00:00Z");
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, boughtAt, boughtAt)).toEqual(
      at("2026-03-30T12:00:00Z"),
    );
    const dayPass = at("2026-03-30T12:00:00Z");
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, dayPass, dayPass)).toEqual(expires);
  });

  it("makes a passed, unsent reminder due now when the expiry was moved closer", () => {
    const now = at("2026-03-31T00:00:00Z");
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, now, at("2026-01-01T00:00:00Z"))).toEqual(now);
    expect(nextCheckAt(expires, [3, 1], DEFAULT_REMINDER_DAYS, now, at("2026-01-01T00:00:00Z"))).toEqual(
      expires,
    );
  });

  it("is the expiry itself once every reminder is sent, or once it has passed", () => {
    expect(nextCheckAt(expires, [3, 1], DEFAULT_REMINDER_DAYS, at("2026-03-01T00:00:00Z"))).toEqual(expires);
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, at("2026-04-01T00:00:00Z"))).toEqual(expires);
    expect(nextCheckAt(expires, [], [], at("2026-03-01T00:00:00Z"))).toEqual(expires);
  });
});
