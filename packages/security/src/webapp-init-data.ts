import { createHmac, timingSafeEqual } from "node:crypto";

/** The Telegram user a Mini App's initData names (the fields TelePay reads). */
export interface WebAppUser {
  id: number;
  firstName: string;
  username?: string;
  languageCode?: string;
}

/** A verified initData: who opened the Mini App, when Telegram signed it, and its start parameter. */
export interface VerifiedInitData {
  user: WebAppUser;
  authDate: Date;
  startParam?: string;
  /** Every field as sent (hash excluded), for callers that need more. */
  fields: Record<string, string>;
}

/** Why an initData was refused. */
export type InitDataRefusal = "missing" | "malformed" | "bad_hash" | "stale" | "from_future" | "no_user";

export type InitDataResult = { ok: true; value: VerifiedInitData } | { ok: false; reason: InitDataRefusal };

export interface InitDataOptions {
  /** The bot token the Mini App was opened from. */
  botToken: string;
  /** Refuse an auth_date older than this (seconds). */
  maxAgeSeconds: number;
  /** The clock (tests). */
  now?: () => Date;
}

// Telegram's own clock and ours may differ a little; an auth_date further ahead than this is refused.
const FUTURE_SKEW_SECONDS = 60;

/** secret_key = HMAC-SHA256(key "WebAppData", message bot token), as Telegram documents it. */
function secretKey(botToken: string): Buffer {
  return createHmac("sha256", "WebAppData").update(botToken).digest();
}

/** The data-check-string: every field but `hash`, as `key=value`, sorted by key, joined by "\n". */
function dataCheckString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
}

/**
 * Signs initData fields the way Telegram does (tests, the demo's emulated Telegram). Returns the
 * query string a Mini App receives as `Telegram.WebApp.initData`.
 */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const hash = createHmac("sha256", secretKey(botToken)).update(dataCheckString(fields)).digest("hex");
  const params = new URLSearchParams(fields);
  params.set("hash", hash);
  return params.toString();
}

/**
 * Validates a Mini App's `initData` (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
 * the hash is HMAC-SHA256 of the sorted data-check-string under HMAC-SHA256("WebAppData", bot token),
 * compared in constant time; a stale `auth_date` (older than `maxAgeSeconds`) is refused, so a
 * leaked initData stops working. Never throws.
 */
export function verifyInitData(
  initData: string | undefined | null,
  options: InitDataOptions,
): InitDataResult {
  if (!initData) return { ok: false, reason: "missing" };
  if (initData.length > 8192) return { ok: false, reason: "malformed" };
  const params = new URLSearchParams(initData);
  const fields: Record<string, string> = {};
  let hash: string | undefined;
  for (const [key, value] of params) {
    // A repeated key makes the signed string ambiguous.
    if (key in fields || (key === "hash" && hash !== undefined)) return { ok: false, reason: "malformed" };
    if (key === "hash") hash = value;
    else fields[key] = value;
  }
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", secretKey(options.botToken)).update(dataCheckString(fields)).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) return { ok: false, reason: "bad_hash" };

  const authSeconds = Number(fields.auth_date);
  if (!Number.isSafeInteger(authSeconds) || authSeconds <= 0) return { ok: false, reason: "malformed" };
  const nowSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  if (nowSeconds - authSeconds > options.maxAgeSeconds) return { ok: false, reason: "stale" };
  if (authSeconds - nowSeconds > FUTURE_SKEW_SECONDS) return { ok: false, reason: "from_future" };

  let user: WebAppUser;
  try {
    const raw = JSON.parse(fields.user ?? "null") as {
      id?: unknown;
      first_name?: unknown;
      username?: unknown;
      language_code?: unknown;
    } | null;
    if (!raw || typeof raw.id !== "number" || !Number.isSafeInteger(raw.id) || raw.id <= 0) {
      return { ok: false, reason: "no_user" };
    }
    user = {
      id: raw.id,
      firstName: typeof raw.first_name === "string" ? raw.first_name : "",
      ...(typeof raw.username === "string" ? { username: raw.username } : {}),
      ...(typeof raw.language_code === "string" ? { languageCode: raw.language_code } : {}),
    };
  } catch {
    return { ok: false, reason: "no_user" };
  }
  return {
    ok: true,
    value: {
      user,
      authDate: new Date(authSeconds * 1000),
      ...(fields.start_param ? { startParam: fields.start_param } : {}),
      fields,
    },
  };
}
