import { describe, expect, it } from "vitest";
import { type AmountRules, confirmAmount, type KeypadKey, pressKey } from "./keypad.ts";

const rules: AmountRules = { min: "4.99", max: "9999.99", maxDecimals: 2 };

function type(keys: string): string {
  let amount = "";
  for (const k of keys) {
    const r = pressKey(amount, k as Exclude<KeypadKey, "ok" | "cancel">, rules);
    amount = r.amount;
  }
  return amount;
}

describe("donation keypad", () => {
  it("replaces a leading zero instead of extending it", () => {
    expect(type("0")).toBe("0");
    expect(type("00")).toBe("0");
    expect(type("05")).toBe("5");
    expect(type("0.5")).toBe("0.5");
  });

  it("starts a bare decimal point with 0 and allows only one point", () => {
    expect(type(".5")).toBe("0.5");
    expect(pressKey("1.5", ".", rules)).toEqual({ ok: false, error: "already_has_point", amount: "1.5" });
  });

  it("refuses a third decimal and keeps the amount", () => {
    expect(pressKey("12.34", "5", rules)).toEqual({ ok: false, error: "too_many_decimals", amount: "12.34" });
    expect(type("12.345")).toBe("12.34");
  });

  it("refuses digits that would pass the maximum", () => {
    expect(type("9999")).toBe("9999");
    expect(pressKey("9999", "0", rules)).toEqual({ ok: false, error: "above_max", amount: "9999" });
    expect(type("9999.99")).toBe("9999.99");
  });

  it("backspace and clear edit the amount", () => {
    expect(pressKey("12.5", "back", rules).amount).toBe("12.");
    expect(pressKey("", "back", rules).amount).toBe("");
    expect(pressKey("12.5", "clear", rules).amount).toBe("");
  });

  it("confirm enforces the minimum, maximum and emptiness, and normalises", () => {
    expect(confirmAmount("4.98", rules)).toMatchObject({ ok: false, error: "below_min" });
    expect(confirmAmount("4.99", rules)).toEqual({ ok: true, amount: "4.99" });
    expect(confirmAmount("12.50", rules)).toEqual({ ok: true, amount: "12.5" });
    expect(confirmAmount("12.", rules)).toEqual({ ok: true, amount: "12" });
    expect(confirmAmount("", rules)).toMatchObject({ ok: false, error: "empty" });
    expect(confirmAmount("0.", rules)).toMatchObject({ ok: false, error: "empty" });
    expect(confirmAmount("10000", rules)).toMatchObject({ ok: false, error: "above_max" });
  });

  it("follows per-channel limits", () => {
    const custom = { min: "1", max: "50", maxDecimals: 2 };
    expect(confirmAmount("1", custom)).toEqual({ ok: true, amount: "1" });
    expect(pressKey("5", "1", custom)).toMatchObject({ ok: false, error: "above_max" });
  });
});
