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

describe("updates", () => {
  it("delivers an injected message to a grammY bot by long polling", async () => {
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    const seen: { payload: string; from: number }[] = [];
    bot.command("start", async (ctx) => {
      seen.push({ payload: ctx.match, from: ctx.from!.id });
      await ctx.reply(`Welcome, ${ctx.from!.first_name}`);
    });
    const started = new Promise<void>((resolve) => {
      void bot.start({ onStart: () => resolve(), timeout: 1 });
    });
    await started;
    emu.sendUserMessage({ from: ALICE, text: "/start c42" });
    const reply = await emu.waitForCall("sendMessage");
    expect(reply.params).toMatchObject({ chat_id: ALICE, text: "Welcome, Alice" });
    expect(seen).toEqual([{ payload: "c42", from: ALICE }]);
    await bot.stop();
    // bot.stop() confirmed the update, so nothing is left to redeliver.
    expect(emu.pendingUpdates).toBe(0);
  });

  it("answers a waiting getUpdates as soon as an update arrives, and confirms by offset", async () => {
    const poll = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 20));
    const injected = emu.sendUserMessage({ from: BOB, text: "hello /help there" });
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(updates[0]!.update_id).toBe(injected.update_id);
    expect(updates[0]!.message?.entities).toEqual([{ type: "bot_command", offset: 6, length: 5 }]);
    expect(await api.getUpdates({ offset: injected.update_id, timeout: 0 })).toHaveLength(1);
    expect(await api.getUpdates({ offset: injected.update_id + 1, timeout: 0 })).toHaveLength(0);
  });

  it("kicks out an older poller with 409, as Telegram does for two bot instances", async () => {
    const first = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 20));
    const second = api.getUpdates({ timeout: 0 });
    const error = await apiError(first);
    expect(error.error_code).toBe(409);
    expect(error.description).toMatch(/terminated by other getUpdates request/);
    await expect(second).resolves.toEqual([]);
  });

  it("answers a pending long poll when stopped", async () => {
    const other = await startBotApiEmulator();
    const otherApi = new Api(other.token, { apiRoot: other.apiRoot });
    const poll = otherApi.getUpdates({ timeout: 30 });
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await other.stop();
    await expect(poll).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("simulates a forwarded channel post", async () => {
    const update = emu.sendUserMessage({
      from: ALICE,
      text: "fwd",
      forwardFromChat: CHANNEL,
      forwardFromMessageId: 7,
    });
    const message = update.message as {
      forward_origin: { type: string; chat: { id: number }; message_id: number };
    };
    expect(message.forward_origin).toMatchObject({ type: "channel", chat: { id: CHANNEL }, message_id: 7 });
  });

  it("posts updates to the webhook with the secret header and retries non-2xx answers", async () => {
    const received: { secret: string | undefined; body: { update_id: number } }[] = [];
    let failFirst = true;
    const server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      res.statusCode = failFirst ? 500 : 200;
      failFirst = false;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
      await api.setWebhook(url, { secret_token: "s3cret_token-1" });
      const update = emu.sendUserMessage({ from: ALICE, text: "/start" });
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(2);
      expect(received.map((r) => r.body.update_id)).toEqual([update.update_id, update.update_id]);
      expect(received.every((r) => r.secret === "s3cret_token-1")).toBe(true);
      expect(emu.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
      const info = await api.getWebhookInfo();
      expect(info).toMatchObject({ url, pending_update_count: 0 });
      // Like Telegram, the last error stays visible after later successes.
      expect(info.last_error_message).toBe("Wrong response from the webhook: 500 Internal Server Error");
      const conflict = await apiError(api.getUpdates());
      expect(conflict.error_code).toBe(409);
      await api.deleteWebhook();
      expect((await api.getWebhookInfo()).url).toBe("");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("rejects a webhook secret with characters Telegram does not allow", async () => {
    const error = await apiError(api.setWebhook("http://127.0.0.1:1/x", { secret_token: "no spaces" }));
    expect(error.description).toMatch(/secret token contains unallowed characters/);
  });

  it("leaves chat_member updates out unless allowed_updates asks for them", async () => {
    const group = -100777;
    emu.addChat({ id: group, type: "supergroup" });
    emu.chatMember({ chatId: group, userId: ALICE, newStatus: "member" });
    expect(await api.getUpdates({ timeout: 0 })).toHaveLength(0);
    await api.getUpdates({ timeout: 0, allowed_updates: ["chat_member"] });
    emu.chatMember({ chatId: group, userId: ALICE, newStatus: "left" });
    const [update] = await api.getUpdates({ timeout: 0 });
    expect(update?.chat_member?.new_chat_member.status).toBe("left");
    expect(update?.chat_member?.old_chat_member.status).toBe("member");
  });
});

describe("messages, buttons and edits", () => {
  const keyboard = { inline_keyboard: [[{ text: "Buy", callback_data: "buy:1" }]] };

  beforeEach(() => {
    emu.sendUserMessage({ from: ALICE, text: "/start" });
  });

  it("answers 'message is not modified' for an identical edit and records real edits", async () => {
    const sent = await api.sendMessage(ALICE, "Plan A", { reply_markup: keyboard });
    const same = await apiError(
      api.editMessageText(ALICE, sent.message_id, "Plan A", { reply_markup: keyboard }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    await api.editMessageText(ALICE, sent.message_id, "Plan B", { reply_markup: keyboard });
    // Dropping the keyboard is a change too.
    await api.editMessageText(ALICE, sent.message_id, "Plan B");
    const stored = emu.messages(ALICE).find((m) => m.message_id === sent.message_id)!;
    expect(stored.text).toBe("Plan B");
    expect(stored.edits.map((e) => e.text)).toEqual(["Plan B", "Plan B"]);
    expect(stored.reply_markup).toBeUndefined();
    const markupSame = await apiError(api.editMessageReplyMarkup(ALICE, sent.message_id));
    expect(markupSame.description).toMatch(/message is not modified/);
  });

  it("refuses to edit a deleted or unknown message", async () => {
    const sent = await api.sendMessage(ALICE, "temp");
    expect(await api.deleteMessage(ALICE, sent.message_id)).toBe(true);
    expect(emu.messages(ALICE).at(-1)!.deleted).toBe(true);
    const edit = await apiError(api.editMessageText(ALICE, sent.message_id, "again"));
    expect(edit.description).toBe("Bad Request: message to edit not found");
    const del = await apiError(api.deleteMessage(ALICE, 999));
    expect(del.description).toBe("Bad Request: message to delete not found");
    const userMessage = await apiError(api.editMessageText(ALICE, 1, "hijack"));
    expect(userMessage.description).toBe("Bad Request: message can't be edited");
  });

  it("turns a button press into a callback query that can be answered once", async () => {
    const sent = await api.sendMessage(ALICE, "Choose", { reply_markup: keyboard });
    expect(() => emu.pressButton({ from: ALICE, messageId: sent.message_id, data: "nope" })).toThrow(
      /no button/,
    );
    const update = emu.pressButton({ from: ALICE, messageId: sent.message_id, data: "buy:1" });
    const query = update.callback_query as { id: string; data: string; message: { message_id: number } };
    expect(query).toMatchObject({ data: "buy:1", message: { message_id: sent.message_id } });
    expect(await api.answerCallbackQuery(query.id, { text: "ok" })).toBe(true);
    const again = await apiError(api.answerCallbackQuery(query.id));
    expect(again.description).toMatch(/query is too old/);
  });

  it("accepts chat ids as decimal strings and checks reply targets", async () => {
    const sent = await api.sendMessage(String(ALICE), "string id", { reply_parameters: { message_id: 1 } });
    expect(sent.chat.id).toBe(ALICE);
    const missing = await apiError(api.sendMessage(ALICE, "x", { reply_parameters: { message_id: 999 } }));
    expect(missing.description).toBe("Bad Request: message to be replied not found");
  });

  it("validates inline keyboards", async () => {
    const long = await apiError(
      api.sendMessage(ALICE, "x", {
        reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "x".repeat(65) }]] },
      }),
    );
    expect(long.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const webApp = await apiError(
      api.sendMessage(CHANNEL, "x", {
        reply_markup: { inline_keyboard: [[{ text: "a", web_app: { url: "https://example.com" } }]] },
      }),
    );
    expect(webApp.description).toBe("Bad Request: BUTTON_TYPE_INVALID");
  });

  it("answers 403 once the user blocked the bot, and a message from the user unblocks", async () => {
    emu.blockBot(ALICE);
    const error = await apiError(api.sendMessage(ALICE, "renewal reminder"));
    expect(error.error_code).toBe(403);
    expect(error.description).toBe("Forbidden: bot was blocked by the user");
    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates.at(-1)?.my_chat_member?.new_chat_member.status).toBe("kicked");
    emu.sendUserMessage({ from: ALICE, text: "/start" });
    await expect(api.sendMessage(ALICE, "welcome back")).resolves.toMatchObject({ text: "welcome back" });
  });

  it("receives documents as multipart uploads", async () => {
    const sent = await api.sendDocument(
      ALICE,
      new InputFile(Buffer.from("id,amount\n1,9.99\n"), "export.csv"),
      {
        caption: "<b>Export</b>",
        parse_mode: "HTML",
      },
    );
    expect(sent.document?.file_name).toBe("export.csv");
    expect(sent.caption).toBe("Export");
    const call = await emu.waitForCall("sendDocument");
    expect(call.params.document).toEqual({ filename: "export.csv", content: "id,amount\n1,9.99\n" });
    expect(call.params.chat_id).toBe(ALICE);
  });

  it("sends photos by file_id, upload or URL with caption, parse_mode and keyboard, and records them", async () => {
    const update = emu.sendUserMessage({ from: ALICE, text: "look", photo: true });
    const fromUser = (update.message as { photo: { file_id: string }[]; caption: string }).photo;
    const fileId = fromUser.at(-1)!.file_id;
    expect((update.message as { caption: string }).caption).toBe("look");

    const sent = await api.sendPhoto(ALICE, fileId, {
      caption: "<b>New</b> &lt;tier&gt;",
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(sent.photo?.at(-1)?.file_id).toBe(fileId);
    expect(sent.caption).toBe("New <tier>");
    const call = await emu.waitForCall("sendPhoto");
    expect(call.params).toMatchObject({ chat_id: ALICE, photo: fileId, parse_mode: "HTML" });
    const stored = emu.messages(ALICE).find((m) => m.message_id === sent.message_id)!;
    expect(stored).toMatchObject({ text: "<b>New</b> &lt;tier&gt;", plainText: "New <tier>" });
    expect(stored.photo?.file_id).toBe(fileId);
    expect(stored.reply_markup).toEqual(keyboard);

    // An upload gets a new file_id, which can then be sent again by id.
    const uploaded = await api.sendPhoto(ALICE, new InputFile(Buffer.from("\x89PNG fake"), "promo.png"));
    const newId = uploaded.photo!.at(-1)!.file_id;
    expect(newId).not.toBe(fileId);
    expect(uploaded.caption).toBeUndefined();
    expect(emu.callsOf("sendPhoto").at(-1)!.params.photo).toBe(newId);
    await expect(api.sendPhoto(ALICE, newId)).resolves.toMatchObject({ chat: { id: ALICE } });
    await expect(api.sendPhoto(ALICE, "https://example.com/p.jpg")).resolves.toHaveProperty("photo");
  });

  it("refuses photos Telegram would refuse and counts sendPhoto as a send", async () => {
    const unknown = await apiError(api.sendPhoto(ALICE, "AgACnot-issued-by-telegram"));
    expect(unknown.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    const fileId = (
      emu.sendUserMessage({ from: ALICE, text: "", photo: true }).message as {
        photo: { file_id: string }[];
      }
    ).photo[0]!.file_id;
    const long = await apiError(api.sendPhoto(ALICE, fileId, { caption: "x".repeat(1025) }));
    expect(long.description).toBe("Bad Request: message caption is too long");
    const broken = await apiError(api.sendPhoto(ALICE, fileId, { caption: "<b>open", parse_mode: "HTML" }));
    expect(broken.description).toMatch(/^Bad Request: can't parse entities/);
    emu.blockBot(BOB);
    const blocked = await apiError(api.sendPhoto(BOB, fileId));
    expect(blocked.error_code).toBe(403);
    const before = emu.stats.sent;
    const sent = await api.sendPhoto(ALICE, fileId, { caption: "ok" });
    expect(emu.stats.sent).toBe(before + 1);
    // A photo's caption is edited with editMessageCaption; editMessageText has no text to edit.
    const text = await apiError(api.editMessageText(ALICE, sent.message_id, "new"));
    expect(text.description).toBe("Bad Request: there is no text in the message to edit");
    await api.editMessageCaption(ALICE, sent.message_id, { caption: "<i>new</i>", parse_mode: "HTML" });
    const stored = emu.messages(ALICE).find((m) => m.message_id === sent.message_id)!;
    expect(stored.plainText).toBe("new");
    expect(stored.edits).toHaveLength(1);
    const same = await apiError(
      api.editMessageCaption(ALICE, sent.message_id, { caption: "<i>new</i>", parse_mode: "HTML" }),
    );
    expect(same.description).toMatch(/message is not modified/);
  });

  it("stores bot commands per scope", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }]);
    expect(await api.getMyCommands()).toEqual([{ command: "start", description: "Start" }]);
    const bad = await apiError(api.setMyCommands([{ command: "Bad Cmd", description: "x" }]));
    expect(bad.description).toBe("Bad Request: BOT_COMMAND_INVALID");
  });

  it("resolves a user's menu like Telegram: chat scope, then default; their language, then any", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }]);
    await api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    await api.setMyCommands([{ command: "mychannels", description: "Мои каналы" }], {
      scope: { type: "chat", chat_id: ALICE },
    });
    expect(emu.commandMenu(ALICE, "ru")).toEqual([{ command: "mychannels", description: "Мои каналы" }]);
    expect(emu.commandMenu(ALICE + 1000, "ru-RU")).toEqual([{ command: "start", description: "Начать" }]);
    expect(emu.commandMenu(ALICE + 1000, "de")).toEqual([{ command: "start", description: "Start" }]);
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([
      { command: "start", description: "Начать" },
    ]);
    const lang = await apiError(
      api.setMyCommands([{ command: "a", description: "b" }], { language_code: "pt-BR" as "pt" }),
    );
    expect(lang.description).toBe("Bad Request: LANGUAGE_CODE_INVALID");
    const chat = await apiError(
      api.setMyCommands([{ command: "a", description: "b" }], { scope: { type: "chat", chat_id: -42 } }),
    );
    expect(chat.description).toBe("Bad Request: chat not found");
  });
});

describe("invite links and membership", () => {
  it("creates invite links with Telegram's validation", async () => {
    const link = await api.createChatInviteLink(CHANNEL, {
      name: "order o123",
      creates_join_request: true,
      expire_date: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(link.invite_link).toMatch(/^https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}$/);
    expect(link).toMatchObject({ creates_join_request: true, is_revoked: false, name: "order o123" });
    const conflict = await apiError(
      api.createChatInviteLink(CHANNEL, { member_limit: 1, creates_join_request: true }),
    );
    expect(conflict.error_code).toBe(400);
    const longName = await apiError(api.createChatInviteLink(CHANNEL, { name: "x".repeat(33) }));
    expect(longName.error_code).toBe(400);
    const limit = await apiError(api.createChatInviteLink(CHANNEL, { member_limit: 100000 }));
    expect(limit.error_code).toBe(400);
    const one = await api.createChatInviteLink(CHANNEL, { member_limit: 1 });
    expect(one.member_limit).toBe(1);
    const revoked = await api.revokeChatInviteLink(CHANNEL, one.invite_link);
    expect(revoked.is_revoked).toBe(true);
    expect(() => emu.joinViaLink({ from: BOB, inviteLink: one.invite_link })).toThrow(/revoked/);
  });

  it("lets users join through a member_limit link only up to the limit", async () => {
    const link = await api.createChatInviteLink(CHANNEL, { member_limit: 1 });
    const update = emu.joinViaLink({ from: ALICE, inviteLink: link.invite_link });
    expect(update.chat_member).toBeDefined();
    expect(emu.getMember(CHANNEL, ALICE).status).toBe("member");
    expect(() => emu.joinViaLink({ from: BOB, inviteLink: link.invite_link })).toThrow(/member_limit/);
    expect(emu.inviteLinks(CHANNEL)[0]!.joined).toEqual([ALICE]);
  });

  it("needs can_invite_users for invite links", async () => {
    emu.setChatMember(CHANNEL, emu.botId, "administrator", { can_post_messages: true });
    const error = await apiError(api.createChatInviteLink(CHANNEL, { creates_join_request: true }));
    expect(error.description).toBe("Bad Request: not enough rights to manage chat invite links");
  });

  it("approves a join request into membership and declines another", async () => {
    const link = await api.createChatInviteLink(CHANNEL, { creates_join_request: true });
    const update = emu.joinRequest({ from: ALICE, chatId: CHANNEL, inviteLink: link.invite_link });
    expect(update.chat_join_request).toMatchObject({
      chat: { id: CHANNEL },
      from: { id: ALICE },
      user_chat_id: ALICE,
      invite_link: { invite_link: link.invite_link },
    });
    emu.joinRequest({ from: BOB, chatId: CHANNEL });
    // The requester can be messaged through user_chat_id.
    await api.sendMessage(ALICE, "Approving your access");
    expect(await api.approveChatJoinRequest(CHANNEL, ALICE)).toBe(true);
    expect(emu.getMember(CHANNEL, ALICE).status).toBe("member");
    expect((await api.getChatMember(CHANNEL, ALICE)).status).toBe("member");
    const twice = await apiError(api.approveChatJoinRequest(CHANNEL, ALICE));
    expect(twice.description).toBe("Bad Request: HIDE_REQUESTER_MISSING");
    expect(await api.declineChatJoinRequest(CHANNEL, BOB)).toBe(true);
    expect(emu.getMember(CHANNEL, BOB).status).toBe("left");
    expect(emu.pendingJoinRequests(CHANNEL)).toEqual([]);
  });

  it("bans and unbans with Telegram's only_if_banned semantics", async () => {
    emu.setChatMember(CHANNEL, ALICE, "member");
    emu.setChatMember(CHANNEL, BOB, "member");
    // only_if_banned leaves a current member alone...
    await api.unbanChatMember(CHANNEL, ALICE, { only_if_banned: true });
    expect(emu.getMember(CHANNEL, ALICE).status).toBe("member");
    // ...while a plain unban removes them (the legacy footgun).
    await api.unbanChatMember(CHANNEL, BOB);
    expect(emu.getMember(CHANNEL, BOB).status).toBe("left");
    await api.banChatMember(CHANNEL, ALICE);
    expect((await api.getChatMember(CHANNEL, ALICE)).status).toBe("kicked");
    expect(() => emu.joinRequest({ from: ALICE, chatId: CHANNEL })).toThrow(/banned/);
    await api.unbanChatMember(CHANNEL, ALICE, { only_if_banned: true });
    expect(emu.getMember(CHANNEL, ALICE).status).toBe("left");
    emu.setChatMember(CHANNEL, BOB, "creator");
    expect((await apiError(api.banChatMember(CHANNEL, BOB))).description).toBe(
      "Bad Request: can't remove chat owner",
    );
    const admins = await api.getChatAdministrators(CHANNEL);
    expect(admins.map((a) => a.user.id).sort()).toEqual([BOB, emu.botId].sort());
  });

  it("reports 'left' for strangers and tracks the bot's own status from my_chat_member", async () => {
    expect((await api.getChatMember(CHANNEL, 5555)).status).toBe("left");
    emu.myChatMember({ chatId: CHANNEL, oldStatus: "administrator", newStatus: "member" });
    const lost = await apiError(api.sendMessage(CHANNEL, "post"));
    expect(lost.description).toBe("Bad Request: need administrator rights in the channel chat");
    emu.myChatMember({ chatId: CHANNEL, oldStatus: "member", newStatus: "kicked" });
    const kicked = await apiError(api.sendMessage(CHANNEL, "post"));
    expect(kicked.error_code).toBe(403);
    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates.map((u) => u.my_chat_member?.new_chat_member.status)).toEqual(["member", "kicked"]);
  });
});

describe("failure injection", () => {
  it("answers 429 with retry_after for the next N calls of a method", async () => {
    emu.failNext("getChat", { kind: "429", retryAfter: 7 }, 2);
    const first = await apiError(api.getChat(CHANNEL));
    expect(first.error_code).toBe(429);
    expect(first.description).toBe("Too Many Requests: retry after 7");
    expect(first.parameters.retry_after).toBe(7);
    await apiError(api.getChat(CHANNEL));
    await expect(api.getChat(CHANNEL)).resolves.toMatchObject({ id: CHANNEL });
    expect(emu.callsOf("getChat").map((c) => c.ok)).toEqual([false, false, true]);
    expect(emu.stats.injected).toBe(2);
  });

  it("answers 5xx without carrying the call out", async () => {
    emu.failNext("*", { kind: "5xx", status: 502 });
    const error = await apiError(api.sendMessage(CHANNEL, "post"));
    expect(error.error_code).toBe(502);
    expect(emu.messages(CHANNEL)).toHaveLength(0);
  });

  it("answers slowly but still carries the call out, so a client that gives up sends twice", async () => {
    emu.failNext("sendMessage", { kind: "timeout", ms: 300 });
    const slow = new Api(emu.token, { apiRoot: emu.apiRoot, timeoutSeconds: 0.1 });
    await expect(slow.sendMessage(CHANNEL, "post")).rejects.toThrow();
    await emu.waitForCall("sendMessage");
    expect(emu.messages(CHANNEL).map((m) => m.text)).toEqual(["post"]);
  });

  it("fails every call inside a time window", async () => {
    emu.failFor(200, { kind: "5xx" });
    expect((await apiError(api.getMe())).error_code).toBe(500);
    await new Promise((r) => setTimeout(r, 220));
    await expect(api.getMe()).resolves.toBeTruthy();
  });

  it("rejects waitForCall with a clear message on timeout", async () => {
    await expect(emu.waitForCall("sendMessage", undefined, 50)).rejects.toThrow(
      /expected 1 successful sendMessage call\(s\) within 50 ms, got 0/,
    );
  });
});

describe("limits mode", () => {
  it("answers 429 past one message per second to a chat", async () => {
    const limited = await startBotApiEmulator({ enforceLimits: true });
    try {
      const lapi = new Api(limited.token, { apiRoot: limited.apiRoot });
      limited.sendUserMessage({ from: ALICE, text: "/start" });
      limited.sendUserMessage({ from: BOB, text: "/start" });
      await lapi.sendMessage(ALICE, "one");
      const second = await apiError(lapi.sendMessage(ALICE, "two"));
      expect(second.error_code).toBe(429);
      expect(second.parameters.retry_after).toBe(1);
      // Another chat is unaffected.
      await lapi.sendMessage(BOB, "one");
      expect(limited.stats).toMatchObject({ sent: 2, rejected429: 1 });
      expect(limited.messages(ALICE).map((m) => m.text)).toEqual(["/start", "one"]);
    } finally {
      await limited.stop();
    }
  });

  it("caps groups per minute with a retry_after of up to a minute", async () => {
    const limited = await startBotApiEmulator({
      enforceLimits: { perChatPerSecond: 100, perGroupPerMinute: 3 },
    });
    try {
      const lapi = new Api(limited.token, { apiRoot: limited.apiRoot });
      limited.addChat({ id: GROUP, type: "supergroup" });
      for (let i = 0; i < 3; i++) await lapi.sendMessage(GROUP, `m${i}`);
      const error = await apiError(lapi.sendMessage(GROUP, "m3"));
      expect(error.parameters.retry_after).toBeGreaterThan(55);
      expect(error.parameters.retry_after).toBeLessThanOrEqual(60);
    } finally {
      await limited.stop();
    }
  });
});
