import { type BotApiEmulator, startBotApiEmulator, startLink } from "@telepay/testing";
import { GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyTelegramError,
  createTelegramApi,
  type PermanentErrorInfo,
  type TelegramApi,
} from "../src/index.ts";

/*
 * Real limits (30/s, 1/s, 20/min) would make these tests take minutes, so the emulator and the
 * sender are both configured with the same raised limits: what is tested is that the sender never
 * exceeds what the emulator enforces, whatever the numbers are.
 */

let emulator: BotApiEmulator | undefined;
let api: TelegramApi | undefined;

afterEach(async () => {
  api?.sender.close();
  api = undefined;
  await emulator?.stop();
  emulator = undefined;
});

async function setup(
  limits: { globalPerSecond: number; perChatPerSecond: number; perGroupPerMinute: number } | false,
  extra = {},
) {
  emulator = await startBotApiEmulator(limits ? { enforceLimits: limits } : {});
  api = createTelegramApi({
    token: emulator.token,
    apiRoot: emulator.apiRoot,
    ...(limits ? { limits } : {}),
    baseBackoffMs: 20,
    maxBackoffMs: 100,
    ...extra,
  });
  return { emulator, api };
}

function users(emu: BotApiEmulator, from: number, count: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = from + i;
    emu.addUser({ id, first_name: `U${id}` });
    emu.addChat({ id, type: "private" });
    ids.push(id);
  }
  return ids;
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("rate limits", () => {
  it("sends a burst to one chat and a burst to many chats without a single 429", async () => {
    const { emulator, api } = await setup({
      globalPerSecond: 200,
      perChatPerSecond: 60,
      perGroupPerMinute: 1000,
    });
    const [one] = users(emulator, 1000, 1);
    const many = users(emulator, 2000, 300);
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => api.sendMessage(one!, `one ${i}`)),
      ...many.map((id) => api.sendMessage(id, `hello ${id}`)),
    ]);
    const elapsed = Date.now() - started;
    expect(emulator.stats.rejected429).toBe(0);
    expect(emulator.stats.sent).toBe(400);
    // Messages to one chat keep their order.
    expect(emulator.messages(one!).map((m) => m.text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `one ${i}`),
    );
    // 400 sends at 200/s cannot take less than ~1 s: the limiter really held them back.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(api.sender.stats().rateLimited).toBe(0);
  }, 30_000);

  it("on a link with a round trip, counts calls from their send and still never exceeds what Telegram counts on receipt", async () => {
    const limits = { globalPerSecond: 100, perChatPerSecond: 10, perGroupPerMinute: 1000 };
    emulator = await startBotApiEmulator({ enforceLimits: limits });
    const link = await startLink(emulator.apiRoot, 30, 3);
    try {
      api = createTelegramApi({ token: emulator.token, apiRoot: link.url, limits });
      const [one] = users(emulator, 1000, 1);
      const many = users(emulator, 2000, 210);
      // Calls alone on the link teach the limiter the link's round trip (rate-limiter.ts).
      for (const id of many.slice(0, 10)) await api.sendMessage(id, "alone");
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => api!.sendMessage(one!, `one ${i}`)),
        ...many.slice(10).map((id) => api!.sendMessage(id, `hello ${id}`)),
      ]);
      expect(emulator.stats.rejected429).toBe(0);
      expect(emulator.stats.sent).toBe(230);
      expect(emulator.messages(one!).map((m) => m.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => `one ${i}`),
      );
    } finally {
      await link.stop();
    }
  }, 30_000);

  it("holds back sends to a group beyond its per-minute cap instead of provoking a 429", async () => {
    const { emulator, api } = await setup({
      globalPerSecond: 100,
      perChatPerSecond: 100,
      perGroupPerMinute: 3,
    });
    emulator.addChat({ id: -100123, type: "supergroup", title: "G" });
    const sends = Array.from({ length: 5 }, (_, i) => api.sendMessage(-100123, `g${i}`).then(() => i));
    const first = await Promise.all(sends.slice(0, 3));
    expect(first).toEqual([0, 1, 2]);
    await new Promise((r) => setTimeout(r, 300));
    expect(emulator.messages(-100123)).toHaveLength(3);
    expect(api.sender.stats().queued).toBe(2);
    expect(emulator.stats.rejected429).toBe(0);
    api.sender.close();
    await expect(sends[3]).rejects.toThrow(/closed/);
    await expect(sends[4]).rejects.toThrow(/closed/);
  }, 30_000);
});

describe("429 handling", () => {
  it("pauses only the chat that got the 429, for retry_after, then delivers once", async () => {
    const { emulator, api } = await setup(false, { limits: { perChatPerSecond: 50 } });
    const [a, b] = users(emulator, 10, 2);
    emulator.failNext("sendMessage", { kind: "429", retryAfter: 1 }, 1);
    const pa = api.sendMessage(a!, "to a");
    await until(() => emulator.calls.some((c) => !c.ok));
    const limitedAt = emulator.calls.find((c) => !c.ok)!.at;
    // Chat b is not paused: three messages go through at once.
    await Promise.all([api.sendMessage(b!, "b1"), api.sendMessage(b!, "b2"), api.sendMessage(b!, "b3")]);
    const bDone = Date.now();
    expect(bDone - limitedAt).toBeLessThan(900);
    // A second message to a waits behind the pause, in order.
    const pa2 = api.sendMessage(a!, "to a again");
    await Promise.all([pa, pa2]);
    const retried = emulator.callsOf("sendMessage").filter((c) => c.ok && Number(c.params.chat_id) === a);
    expect(retried.map((c) => c.params.text)).toEqual(["to a", "to a again"]);
    expect(retried[0]!.at - limitedAt).toBeGreaterThanOrEqual(1000);
    expect(emulator.messages(a!).map((m) => m.text)).toEqual(["to a", "to a again"]);
    expect(api.sender.stats().rateLimited).toBe(1);
  });

  it("a 429 on a call without a chat pauses everything", async () => {
    const { emulator, api } = await setup(false);
    const [b] = users(emulator, 20, 1);
    emulator.failNext("getMe", { kind: "429", retryAfter: 1 }, 1);
    const me = api.getMe();
    await until(() => emulator.calls.some((c) => !c.ok));
    const limitedAt = emulator.calls.find((c) => !c.ok)!.at;
    // Send only once the sender has read the 429 (the emulator records it before the answer lands).
    await until(() => api.sender.stats().pausedScopes.length > 0);
    await api.sendMessage(b!, "waits");
    expect(emulator.callsOf("sendMessage")[0]!.at - limitedAt).toBeGreaterThanOrEqual(1000);
    expect((await me).username).toBe(emulator.botUsername);
  });

  it("gives up (classified rate_limited) when retry_after exceeds the cap", async () => {
    const { emulator, api } = await setup(false, { maxRetryAfterSeconds: 5 });
    const [a] = users(emulator, 30, 1);
    emulator.failNext("sendMessage", { kind: "429", retryAfter: 60 }, 1);
    const err = await api.sendMessage(a!, "x").catch((e: unknown) => e);
    expect(classifyTelegramError(err)).toBe("rate_limited");
    expect(api.sender.stats().pausedScopes).toEqual([String(a)]);
  });
});

describe("5xx and network failures", () => {
  it("rides out a 5xx storm with backoff and delivers everything exactly once", async () => {
    const { emulator, api } = await setup(false, { maxRetries: 8 });
    const ids = users(emulator, 100, 10);
    emulator.failFor(250, { kind: "5xx", status: 502 }, "sendMessage");
    await Promise.all(ids.map((id) => api.sendMessage(id, `m${id}`)));
    for (const id of ids) expect(emulator.messages(id).map((m) => m.text)).toEqual([`m${id}`]);
    expect(emulator.callsOf("sendMessage").filter((c) => !c.ok).length).toBeGreaterThan(0);
    expect(api.sender.stats().transientRetries).toBeGreaterThan(0);
  });

  it("stops after maxRetries and reports the failure as transient", async () => {
    const { emulator, api } = await setup(false, { maxRetries: 2 });
    const [a] = users(emulator, 200, 1);
    emulator.failNext("sendMessage", { kind: "5xx" }, 10);
    const err = await api.sendMessage(a!, "x").catch((e: unknown) => e);
    expect(classifyTelegramError(err)).toBe("transient");
    expect(emulator.callsOf("sendMessage")).toHaveLength(3);
  });

  it("retries a connection failure", async () => {
    const { emulator } = await setup(false);
    const [a] = users(emulator, 300, 1);
    // A port nobody listens on: every attempt fails at the network level.
    const dead = createTelegramApi({
      token: emulator.token,
      apiRoot: "http://127.0.0.1:9",
      maxRetries: 2,
      baseBackoffMs: 10,
    });
    const err = await dead.sendMessage(a!, "x").catch((e: unknown) => e);
    expect(classifyTelegramError(err)).toBe("transient");
    expect(dead.sender.stats().transientRetries).toBe(2);
    dead.sender.close();
  });
});

describe("permanent errors", () => {
  it("classifies a user who blocked the bot, reports it once and never retries", async () => {
    const seen: PermanentErrorInfo[] = [];
    const { emulator, api } = await setup(false, {
      onPermanentError: (i: PermanentErrorInfo) => seen.push(i),
    });
    const [a] = users(emulator, 400, 1);
    emulator.blockBot(a!);
    const err = await api.sendMessage(a!, "hi").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect(classifyTelegramError(err)).toBe("blocked");
    expect(emulator.callsOf("sendMessage")).toHaveLength(1);
    expect(seen).toEqual([
      expect.objectContaining({ method: "sendMessage", chatId: String(a), kind: "blocked", errorCode: 403 }),
    ]);
  });

  it("classifies chat not found and missing rights", async () => {
    const { emulator, api } = await setup(false);
    expect(classifyTelegramError(await api.sendMessage(999_999, "x").catch((e: unknown) => e))).toBe(
      "chat_not_found",
    );
    emulator.addChat({ id: -100777, type: "channel", title: "C", botRights: { can_post_messages: true } });
    const err = await api
      .createChatInviteLink(-100777, { creates_join_request: true })
      .catch((e: unknown) => e);
    expect(classifyTelegramError(err)).toBe("not_enough_rights");
    expect(
      classifyTelegramError(
        await api.sendMessage(-100777, "<b>broken", { parse_mode: "HTML" }).catch((e: unknown) => e),
      ),
    ).toBe("bad_request");
  });
});
