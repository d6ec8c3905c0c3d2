import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signInitData, verifyInitData } from "./webapp-init-data.ts";

const TOKEN = "123456:ABC-secret_token";
const NOW = new Date("2026-12-01T12:00:00Z");
const AUTH = String(NOW.getTime() / 1000 - 60);
const USER = JSON.stringify({ id: 42, first_name: "Olivia", username: "olivia", language_code: "en" });
const opts = { botToken: TOKEN, maxAgeSeconds: 3600, now: () => NOW };

describe("verifyInitData", () => {
  it("accepts initData signed as Telegram documents it (independent computation of the hash)", () => {
    const fields = { auth_date: AUTH, query_id: "AAH", user: USER };
    // secret = HMAC_SHA256(key "WebAppData", token); hash = HMAC_SHA256(secret, sorted "k=v" lines)
    const secret = createHmac("sha256", "WebAppData").update(TOKEN).digest();
    const check = `auth_date=${AUTH}\nquery_id=AAH\nuser=${USER}`;
    const hash = createHmac("sha256", secret).update(check).digest("hex");
    const initData = `query_id=AAH&user=${encodeURIComponent(USER)}&auth_date=${AUTH}&hash=${hash}`;
    expect(signInitData(fields, TOKEN)).toContain(`hash=${hash}`);
    const result = verifyInitData(initData, opts);
    expect(result).toMatchObject({
      ok: true,
      value: { user: { id: 42, firstName: "Olivia", username: "olivia" } },
    });
    if (result.ok) expect(result.value.authDate.getTime()).toBe(Number(AUTH) * 1000);
  });

  it("refuses a forged user (hash of other data), another bot's token, and a tampered hash", () => {
    const good = signInitData({ auth_date: AUTH, user: USER }, TOKEN);
    const forged = good.replace(encodeURIComponent('"id":42'), encodeURIComponent('"id":43'));
    expect(forged).not.toBe(good);
    expect(verifyInitData(forged, opts)).toEqual({ ok: false, reason: "bad_hash" });
    expect(verifyInitData(signInitData({ auth_date: AUTH, user: USER }, "999:other"), opts)).toEqual({
      ok: false,
      reason: "bad_hash",
    });
    const flipped = good.replace(/hash=([0-9a-f])/, (_m, c: string) => `hash=${c === "0" ? "1" : "0"}`);
    expect(verifyInitData(flipped, opts)).toEqual({ ok: false, reason: "bad_hash" });
  });

  it("refuses a stale auth_date and one from the future, even correctly signed", () => {
    const old = String(NOW.getTime() / 1000 - 3601);
    expect(verifyInitData(signInitData({ auth_date: old, user: USER }, TOKEN), opts)).toEqual({
      ok: false,
      reason: "stale",
    });
    const edge = String(NOW.getTime() / 1000 - 3600);
    expect(verifyInitData(signInitData({ auth_date: edge, user: USER }, TOKEN), opts).ok).toBe(true);
    const future = String(NOW.getTime() / 1000 + 3600);
    expect(verifyInitData(signInitData({ auth_date: future, user: USER }, TOKEN), opts)).toEqual({
      ok: false,
      reason: "from_future",
    });
  });

  it("refuses missing, malformed, repeated keys and a signed initData without a user", () => {
    expect(verifyInitData(undefined, opts)).toEqual({ ok: false, reason: "missing" });
    expect(verifyInitData("", opts)).toEqual({ ok: false, reason: "missing" });
    expect(verifyInitData("user=x&auth_date=1", opts)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyInitData(`hash=zz&auth_date=${AUTH}`, opts)).toEqual({ ok: false, reason: "malformed" });
    const good = signInitData({ auth_date: AUTH, user: USER }, TOKEN);
    expect(verifyInitData(`${good}&auth_date=${AUTH}`, opts)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyInitData(signInitData({ auth_date: AUTH }, TOKEN), opts)).toEqual({
      ok: false,
      reason: "no_user",
    });
    expect(verifyInitData(signInitData({ auth_date: "soon", user: USER }, TOKEN), opts)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });
});
