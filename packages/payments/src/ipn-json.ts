/** A raw IPN body read as JSON, or why it cannot be. */
export type IpnJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Parses a raw IPN body and refuses a repeated key at any depth. JSON.parse keeps the last copy,
 * so the signed form cannot represent both: a body that repeats a key is not a body anyone signed.
 */
export function parseIpnJson(raw: string): IpnJson {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "body is not valid JSON" };
  }
  const repeated = findRepeatedKey(raw);
  if (repeated !== undefined)
    return { ok: false, reason: `body repeats the key ${JSON.stringify(repeated)}` };
  return { ok: true, value };
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first key that an object of `json` (text JSON.parse accepted) holds twice, compared after
 * unescaping ("a\u005fb" is "a_b"), or undefined. One pass over the text; structure only.
 */
export function findRepeatedKey(json: string): string | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === OPEN_OBJECT) {
      open.push(new Set());
      expectKey = true;
    } else if (c === OPEN_ARRAY) {
      open.push(null);
      expectKey = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = (open.at(-1) ?? null) !== null;
    } else if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (let d = json.charCodeAt(end); d !== QUOTE; d = json.charCodeAt(end)) {
        if (d === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      if (expectKey) {
        const key = escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
        const keys = open.at(-1)!;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}
