import { describe, expect, it } from "vitest";
import { isOrderReference, newOrderReference, ORDER_REFERENCE_LENGTH } from "./order-reference.ts";

describe("newOrderReference", () => {
  it("is 22 url-safe characters that fit a /start payload behind a prefix", () => {
    for (let i = 0; i < 200; i++) {
      const ref = newOrderReference();
      expect(ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(ref.length).toBe(ORDER_REFERENCE_LENGTH);
      expect(`o${ref}`.length).toBeLessThanOrEqual(64);
      expect(isOrderReference(ref)).toBe(true);
    }
  });

  it("does not repeat", () => {
    const refs = new Set(Array.from({ length: 10_000 }, newOrderReference));
    expect(refs.size).toBe(10_000);
  });

  it("isOrderReference rejects other shapes", () => {
    expect(isOrderReference("abc")).toBe(false);
    expect(isOrderReference("-100123_45_1700000000")).toBe(false);
    expect(isOrderReference(`${"a".repeat(21)}!`)).toBe(false);
  });
});
