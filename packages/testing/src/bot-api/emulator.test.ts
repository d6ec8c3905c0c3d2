import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Api, Bot, GrammyError, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";

const CHANNEL = -1001234567890123;
const GROUP = -1009876543210;
const ALICE = 1001;
const BOB = 1002;

let emu: BotApiEmulator;
let api: Api;

beforeEach(async () => {
  emu = await startBotApiEmulator();
  api = new Api(emu.token, { apiRoot: emu.apiRoot });
  emu.addUser({ id: ALICE, first_name: "Alice", username: "alice" });
  emu.addUser({ id: BOB, first_name: "Bob" });
  emu.addChat({ id: CHANNEL, type: "channel", title: "Premium", username: "premium_chan" });
});

afterEach(async () => {
  await emu.stop();
});

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrammyError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("basics", () => {
  it("answers getMe through grammY and records the call", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: "telepay_test_bot" });
    expect(emu.callsOf("getMe")).toHaveLength(1);
    expect(emu.calls[0]).toMatchObject({ method: "getMe", ok: true });
  });

  it("rejects an unknown token with 401 and records it", async () => {
    const other = new Api("999:WRONG", { apiRoot: emu.apiRoot });
    const error = await apiError(other.getMe());
    expect(error.error_code).toBe(401);
    expect(error.description).toBe("Unauthorized");
    expect(emu.calls.at(-1)).toMatchObject({ method: "getMe", ok: false });
  });

  it("accepts form-urlencoded bodies and keeps large negative chat ids exact", async () => {
    emu.addUser({ id: 42, first_name: "Form" });
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/getChat`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `chat_id=${CHANNEL}`,
    });
    const body = (await res.json()) as { ok: boolean; result: { id: number; title: string } };
    expect(body.result).toMatchObject({ id: CHANNEL, title: "Premium", type: "channel" });
    expect((await api.getChat("@premium_chan")).id).toBe(CHANNEL);
    const error = await apiError(api.getChat(-100555));
    expect(error.description).toBe("Bad Request: chat not found");
  });

  it("gives messages increasing ids per chat and stores them", async () => {
    await api.sendMessage(ALICE, "hi").catch(() => undefined); // Alice never started the bot
    expect(emu.callsOf("sendMessage")[0]!.ok).toBe(false);
    emu.sendUserMessage({ from: ALICE, text: "/start" });
    const a = await api.sendMessage(ALICE, "one");
    const b = await api.sendMessage(ALICE, "two");
    const c = await api.sendMessage(CHANNEL, "post");
    expect([a.message_id, b.message_id]).toEqual([2, 3]); // 1 is Alice's /start
    expect(c.message_id).toBe(1);
    expect(emu.messages(ALICE).map((m) => m.text)).toEqual(["/start", "one", "two"]);
    expect(c.chat.id).toBe(CHANNEL);
  });
});

describe("HTML parse mode", () => {
  beforeEach(() => {
    emu.sendUserMessage({ from: ALICE, text: "/start" });
  });

  it("accepts well-formed markup and stores the plain text", async () => {
    const sent = await api.sendMessage(
      ALICE,
      '<b>Gold</b> &amp; <a href="https://t.me/x">more</a> &lt;3 &#33;',
      {
        parse_mode: "HTML",
      },
    );
    expect(sent.text).toBe("Gold & more <3 !");
    expect(emu.messages(ALICE).at(-1)).toMatchObject({ parse_mode: "HTML", plainText: "Gold & more <3 !" });
  });

  it.each([
    ["Tom & Jerry", /Character entity expected/],
    ["1 < 2", /Unexpected end of name token/],
    ["<b>bold", /Can't find end tag corresponding to start tag "b"/],
    ["<b>x</i>", /Unmatched end tag "i"/],
    ["<script>x</script>", /Unsupported start tag "script"/],
    ["<b>x</b><i>y", /start tag "i"/],
  ])("rejects %j with can't parse entities", async (text, pattern) => {
    const error = await apiError(api.sendMessage(ALICE, text, { parse_mode: "HTML" }));
    expect(error.error_code).toBe(400);
    expect(error.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(error.description).toMatch(pattern);
    expect(emu.messages(ALICE)).toHaveLength(1); // nothing was sent
  });

  it("does not parse text sent without parse_mode", async () => {
    const sent = await api.sendMessage(ALICE, "Tom & Jerry <3");
    expect(sent.text).toBe("Tom & Jerry <3");
  });
});
