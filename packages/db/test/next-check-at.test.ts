import { describe, expect, it } from "vitest";
import { DEFAULT_REMINDER_DAYS, nextCheckAt } from "../src/index.ts";

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

  it("skips reminders whose time has passed (a 2-day purchase gets only the 1-day one)", () => {
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, at("2026-03-29T12:00:00Z"))).toEqual(
      at("2026-03-30T12:00:00Z"),
    );
  });

  it("is the expiry itself once every reminder is sent or past", () => {
    expect(nextCheckAt(expires, [3, 1], DEFAULT_REMINDER_DAYS, at("2026-03-01T00:00:00Z"))).toEqual(expires);
    expect(nextCheckAt(expires, [], DEFAULT_REMINDER_DAYS, at("2026-03-31T11:00:00Z"))).toEqual(expires);
    expect(nextCheckAt(expires, [], [], at("2026-03-01T00:00:00Z"))).toEqual(expires);
  });
});
