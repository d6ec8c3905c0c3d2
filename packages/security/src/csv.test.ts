import { describe, expect, it } from "vitest";
import { csvField } from "./csv.ts";

describe("csvField", () => {
  it("quotes separators and neutralises spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(null)).toBe("");
  });

  it("guards every formula prefix: =, +, -, @, tab and CR", () => {
    expect(csvField("+1+cmd|' /C calc'!A0")).toBe("'+1+cmd|' /C calc'!A0");
    expect(csvField("-2+3+cmd")).toBe("'-2+3+cmd");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField('=A1,"x"')).toBe('"\'=A1,""x"""');
  });

  it("writes numbers, decimal strings, booleans and dates as they are", () => {
    expect(csvField("-5.00")).toBe("-5.00");
    expect(csvField(-5)).toBe("-5");
    expect(csvField("9.99")).toBe("9.99");
    expect(csvField(12n)).toBe("12");
    expect(csvField(false)).toBe("false");
    expect(csvField(undefined)).toBe("");
    expect(csvField(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05.678Z");
  });
});
