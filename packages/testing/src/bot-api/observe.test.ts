import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";

const CLOSED = -1001000000002;
const OWNER = 2001;
const SUBSCRIBER = 2002;

let emu: BotApiEmulator;
let api: Api;

beforeEach(async () => {
  emu = await startBotApiEmulator();
  api = new Api(emu.token, { apiRoot: emu.apiRoot });
  emu.addUser({ id: OWNER, first_name: "Olivia" });
  emu.addUser({ id: SUBSCRIBER, first_name: "Sam" });
  emu.addChat({ id: CLOSED, type: "channel", title: "VIP" });
  emu.setChatMember(CLOSED, OWNER, "creator");
});

afterEach(async () => {
  await emu.stop();
});

describe("onChange and revision", () => {
  it("reports every change a user could see, and nothing for reads", async () => {
    const seen: number[] = [];
    emu.onChange((revision) => seen.push(revision));
    const start = emu.revision;

    await api.getMe();
    await api.getChat(CLOSED);
    await api.getUpdates({ timeout: 0 });
    expect(seen).toEqual([]);

    emu.sendUserMessage({ from: SUBSCRIBER, text: "/start" });
    const sent = await api.sendMessage(SUBSCRIBER, "<b>Hi</b>", { parse_mode: "HTML" });
    await api.editMessageText(SUBSCRIBER, sent.message_id, "Hello");
    expect(seen).toEqual([start + 1, start + 2, start + 3]);
    expect(emu.revision).toBe(start + 3);
  });

  it("does not count a failed call", async () => {
    const seen: number[] = [];
    emu.sendUserMessage({ from: SUBSCRIBER, text: "/start" });
    emu.onChange((revision) => seen.push(revision));
    await expect(api.sendMessage(SUBSCRIBER, "a < b", { parse_mode: "HTML" })).rejects.toThrow(
      /can't parse entities/,
    );
    expect(seen).toEqual([]);
  });

  it("stops calling a listener once it unsubscribes, and survives a listener that throws", async () => {
    const seen: number[] = [];
    emu.onChange(() => {
      throw new Error("a broken listener");
    });
    const stop = emu.onChange((revision) => seen.push(revision));
    emu.sendUserMessage({ from: OWNER, text: "one" });
    stop();
    emu.sendUserMessage({ from: OWNER, text: "two" });
    expect(seen).toHaveLength(1);
    expect(emu.messages(OWNER).map((m) => m.text)).toEqual(["one", "two"]);
  });
});

describe("chatMembers", () => {
  it("lists who is in a channel with their status as a join request is approved", async () => {
    const status = () =>
      Object.fromEntries(emu.chatMembers(CLOSED).map((m) => [m.user.first_name, m.status]));
    expect(status()).toEqual({ "TelePay Test Bot": "administrator", Olivia: "creator" });

    const link = await api.createChatInviteLink(CLOSED, { creates_join_request: true });
    const before = emu.revision;
    emu.joinViaLink({ from: SUBSCRIBER, inviteLink: link.invite_link });
    expect(emu.revision).toBe(before + 1);
    expect(emu.pendingJoinRequests(CLOSED)).toHaveLength(1);
    expect(status()).not.toHaveProperty("Sam");

    await api.approveChatJoinRequest(CLOSED, SUBSCRIBER);
    expect(status()).toEqual({ "TelePay Test Bot": "administrator", Olivia: "creator", Sam: "member" });
    expect(emu.revision).toBe(before + 2);
  });

  it("is empty for a chat nobody is in", () => {
    expect(emu.chatMembers(-1009999)).toEqual([]);
  });
});

describe("forwarded messages", () => {
  it("remember the channel they were forwarded from", () => {
    emu.sendUserMessage({ from: OWNER, text: "", forwardFromChat: CLOSED });
    expect(emu.messages(OWNER).at(-1)?.forwardedFromChatId).toBe(CLOSED);
    emu.sendUserMessage({ from: OWNER, text: "plain" });
    expect(emu.messages(OWNER).at(-1)?.forwardedFromChatId).toBeUndefined();
  });

  it("from an unknown channel are refused and not stored", () => {
    expect(() => emu.sendUserMessage({ from: OWNER, text: "", forwardFromChat: -100777 })).toThrow(
      /chat -100777 is unknown/,
    );
    expect(emu.messages(OWNER)).toEqual([]);
  });
});
