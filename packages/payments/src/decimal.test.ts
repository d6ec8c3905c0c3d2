import { describe, expect, it } from "vitest";
import { compareDecimal, isDecimalString, paidWithinTolerance, toDecimalString } from "./decimal.ts";

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

describe("paidWithinTolerance", () => {
  it.each([
    // paid, asked, tolerance %, covered?
    ["4.99", "4.99", "0", true],
    ["4.98999999", "4.99", "0", false],
    ["5.04", "4.99", "0", true],
    // 1% of 4.99 is 0.0499: 4.9401 is exactly at the tolerance, one unit less is beyond it.
    ["4.9401", "4.99", "1", true],
    ["4.94009999", "4.99", "1", false],
    ["0.01", "4.99", "1", false],
    ["0.01", "4.99", "50", false],
    ["2.495", "4.99", "50", true],
    // Fractional percentages and tiny crypto amounts, where floats drift.
    ["0.000052126856", "0.0000523888", "0.5", true],
    ["0.000052126855", "0.0000523888", "0.5", false],
    ["0.3", "0.30000000000000004", "0", false],
    ["0.99", "1", "1", true],
    ["0.989999999999999999999999999999", "1", "1", false],
    [`${"9".repeat(39)}.${"9".repeat(30)}`, `1${"0".repeat(39)}`, "0.0001", true],
    [`${"9".repeat(39)}`, `1${"0".repeat(39)}`, "0", false],
    // Nothing paid, or a negative amount, never covers a positive ask.
    ["0", "4.99", "50", false],
    ["-5", "4.99", "50", false],
  ] as const)("paid %s of %s, tolerance %s percent → %s", (paid, asked, tolerance, covered) => {
    expect(paidWithinTolerance(paid, asked, tolerance)).toBe(covered);
  });

  it("takes amounts in any form toDecimalString accepts", () => {
    expect(paidWithinTolerance("1e-7", "0.0000001", "0")).toBe(true);
  });

  it("throws on non-decimals and on a tolerance outside 0–100", () => {
    expect(() => paidWithinTolerance("x", "1", "1")).toThrow(TypeError);
    expect(() => paidWithinTolerance("1", "1", "-1")).toThrow(TypeError);
    expect(() => paidWithinTolerance("1", "1", "100.5")).toThrow(TypeError);
  });
});
