import { describe, expect, it } from "vitest";
import { findRepeatedKey, parseIpnJson } from "./ipn-json.ts";

describe("findRepeatedKey", () => {
  it.each([
    ['{"a":1,"a":2}', "a"],
    ['{"a":1,"b":{"c":1,"c":2}}', "c"],
    ['{"a":[{"x":1},{"y":2,"y":3}]}', "y"],
    ['{"a_b":1,"a\\u005fb":2}', "a_b"],
    ['{"\\"":1,"\\u0022":2}', '"'],
    [' { "a" : 1 , "b" : [ 1 , { } ] , "a" : 3 } ', "a"],
    ['{"__proto__":1,"__proto__":2}', "__proto__"],
  ])("finds the repeat in %s", (json, key) => {
    expect(findRepeatedKey(json)).toBe(key);
  });

  it.each([
    '{"a":1,"b":2}',
    // The same key in sibling objects, or as a value, is not a repeat.
    '[{"a":1},{"a":2}]',
    '{"a":{"a":{"a":1}}}',
    '{"a":"a","b":["a","a"]}',
    // Strings holding JSON punctuation and escapes must not confuse the scan.
    '{"a":"{\\"a\\":1,","b":"\\\\","c":"]}[,:"}',
    '{"a\\\\":1,"a":2}',
    '{"":1,"x":{"":2}}',
    '"{\\"a\\":1,\\"a\\":2}"',
    "[]",
    "{}",
    "null",
  ])("finds no repeat in %s", (json) => {
    expect(() => JSON.parse(json)).not.toThrow();
    expect(findRepeatedKey(json)).toBeUndefined();
  });
});

describe("parseIpnJson", () => {
  it("returns the parsed value, or a reason", () => {
    expect(parseIpnJson('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    expect(parseIpnJson("{not json")).toEqual({ ok: false, reason: "body is not valid JSON" });
    expect(parseIpnJson('{"fee":{"x":1,"x":1}}')).toEqual({ ok: false, reason: 'body repeats the key "x"' });
  });

  it("copes with the deepest nesting JSON.parse accepts", () => {
    const deep = `${"[".repeat(5_000)}{"a":1,"a":2}${"]".repeat(5_000)}`;
    expect(parseIpnJson(deep)).toEqual({ ok: false, reason: 'body repeats the key "a"' });
  });
});
