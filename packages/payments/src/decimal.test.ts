import { describe, expect, it } from "vitest";
import { compareDecimal, isDecimalString, toDecimalString } from "./decimal.ts";

describe("toDecimalString", () => {
  it.each([
    [0.1, "0.1"],
    [1e-7, "0.0000001"],
    [1.5e-10, "0.00000000015"],
    [1e21, "1000000000000000000000"],
    [4.99, "4.99"],
    [-0, "0"],
    [10, "10"],
    ["0004.9900", "4.99"],
    [" 12.50 ", "12.5"],
    ["1E-7", "0.0000001"],
    ["2.5e3", "2500"],
    ["-0.000", "0"],
    ["-3.10", "-3.1"],
  ])("%j → %s", (input, expected) => {
    expect(toDecimalString(input)).toBe(expected);
  });

  it.each([NaN, Infinity, "", "abc", "1.2.3", "+1", "0x10", "1e999", "1".repeat(41), `0.${"1".repeat(31)}`])(
    "rejects %j",
    (input) => {
      expect(toDecimalString(input as string | number)).toBeUndefined();
    },
  );
});

describe("compareDecimal", () => {
  it.each([
    ["4.99", "4.99", 0],
    ["4.990", "4.99", 0],
    ["5", "4.99", 1],
    ["4.98", "4.99", -1],
    ["10", "9.999999", 1],
    ["0.1", "0.10000000000000001", -1],
    ["-1", "0", -1],
    ["-1", "-2", 1],
    ["0", "-0", 0],
    ["123456789012345678901234567890.5", "123456789012345678901234567890.4", 1],
  ] as const)("compare(%s, %s) = %d", (a, b, expected) => {
    expect(compareDecimal(a, b)).toBe(expected);
  });

  it("is exact where floats are not", () => {
    // 0.1 + 0.2 as a float is 0.30000000000000004; as decimals it equals 0.3 only by string.
    expect(compareDecimal("0.30000000000000004", "0.3")).toBe(1);
    expect(compareDecimal("9007199254740993", "9007199254740992")).toBe(1);
  });

  it("throws on non-decimals", () => {
    expect(() => compareDecimal("abc", "1")).toThrow(TypeError);
  });

  it("isDecimalString accepts plain decimals only", () => {
    expect(isDecimalString("4.99")).toBe(true);
    expect(isDecimalString("1e5")).toBe(false);
    expect(isDecimalString(".5")).toBe(false);
  });
});
