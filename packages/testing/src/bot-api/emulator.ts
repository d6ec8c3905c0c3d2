import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BotApiError, tooManyRequests } from "./api-error.ts";
import { FailurePlan } from "./failures.ts";
import { FloodControl, SEND_METHODS } from "./limits.ts";
import { createMethods, type MethodHandler } from "./methods.ts";
import { parseRequest } from "./request-body.ts";
import { createStars, type StarsControls } from "./stars.ts";
import type {
  BotApiEmulatorOptions,
  ChatMemberInput,
  ChatType,
  EmulatedChat,
  EmulatedMember,
  EmulatedUser,
  Failure,
  JoinRequestInput,
  MemberRights,
  MemberStatus,
  MyChatMemberInput,
  PressButtonInput,
  RecordedCall,
  SendUserMessageInput,
  StoredMessage,
  StoredPhoto,
  Update,
  WebhookDelivery,
} from "./types.ts";
import { UpdateQueue } from "./updates.ts";
import { commandMenuKey, nowSeconds, World } from "./world.ts";

/** A running Bot API emulator. See {@link startBotApiEmulator}. */
export interface BotApiEmulator extends StarsControls {
  /** Base URL for grammY's `client.apiRoot`, e.g. http://127.0.0.1:40123. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botId: number;
  readonly botUsername: string;
  /** Every call, failed ones included, in arrival order. */
  readonly calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  clearCalls(): void;
  /** Resolves with the first existing or future successful call of `method` matching `predicate`. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** Resolves once `count` successful calls of `method` (matching `predicate`) were made. */
  waitForCalls(
    method: string,
    count: number,
    timeoutMs?: number,
    predicate?: (call: RecordedCall) => boolean,
  ): Promise<RecordedCall[]>;

  addUser(user: {
    id: number;
    first_name: string;
    last_name?: string;
    username?: string;
    language_code?: string;
  }): EmulatedUser;
  /** Adds a chat. In groups and channels the bot starts as an administrator with full rights. */
  addChat(chat: {
    id: number;
    type: ChatType;
    title?: string;
    username?: string;
    botStatus?: MemberStatus;
    botRights?: MemberRights;
  }): EmulatedChat;
  setChatMember(chatId: number, userId: number, status: MemberStatus, rights?: MemberRights): void;
  getMember(chatId: number, userId: number): EmulatedMember;
  /** The user blocks the bot: sends to their private chat answer 403 (and a my_chat_member update is queued). */
  blockBot(userId: number): void;
  unblockBot(userId: number): void;
  /** Messages in a chat (the bot's and injected users'), deleted ones included with `deleted: true`. */
  messages(chatId: number): StoredMessage[];
  /**
   * The command menu a user sees in their private chat with the bot, resolved the way Telegram
   * does: chat scope, then all_private_chats, then default; each first for `languageCode` (the
   * user's Telegram language, e.g. "ru"), then for any language. [] when nothing is set.
   */
  commandMenu(chatId: number, languageCode?: string): Array<{ command: string; description: string }>;
  /** The invite links created so far. */
  inviteLinks(chatId?: number): import("./types.ts").ChatInviteLinkRecord[];
  /** Pending join requests. */
  pendingJoinRequests(chatId?: number): import("./types.ts").PendingJoinRequest[];
  /** Everyone the emulator knows in a group or channel with their status (the bot included; "left" too). */
  chatMembers(chatId: number): Array<{ user: EmulatedUser; status: MemberStatus }>;
  /**
   * Counts changes a user could see: a message sent, edited or deleted, a member's status, an
   * invite link, a join request, an answered callback query, an injected update.
   */
  readonly revision: number;
  /** Calls `listener` with the new revision after every change; returns the function that unsubscribes it. */
  onChange(listener: (revision: number) => void): () => void;

  sendUserMessage(input: SendUserMessageInput): Update;
  pressButton(input: PressButtonInput): Update;
  joinRequest(input: JoinRequestInput): Update;
  /** A user follows an invite link: joins (or, for a join-request link, asks to join). */
  joinViaLink(input: { from: number; inviteLink: string }): Update;
  myChatMember(input: MyChatMemberInput): Update;
  chatMember(input: ChatMemberInput): Update;
  injectUpdate(raw: Record<string, unknown>): Update;
  /** Updates not yet confirmed by getUpdates or accepted by the webhook. */
  readonly pendingUpdates: number;
  /** Every webhook POST attempt and its outcome. */
  readonly webhookDeliveries: WebhookDelivery[];

  failNext(method: string, failure: Failure, count?: number): void;
  failFor(ms: number, failure: Failure, method?: string): void;
  clearFailures(): void;

  /** sent: successful send calls; rejected429: sends refused by the limits mode; injected: failures served. */
  readonly stats: { sent: number; rejected429: number; injected: number };
  stop(): Promise<void>;
}

interface CallWaiter {
  method: string;
  predicate: ((call: RecordedCall) => boolean) | undefined;
  onCall: () => boolean;
  reject: (error: Error) => void;
}

const BOT_API_PATH = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/;

/** Methods that only read: a successful call of any other method changed the world. */
const READ_ONLY_METHODS = new Set([
  "getUpdates",
  "getMe",
  "getChat",
  "getChatMember",
  "getChatMemberCount",
  "getChatAdministrators",
  "getWebhookInfo",
  "getMyCommands",
  "sendChatAction",
  "logOut",
  "close",
]);

function describeCall(call: RecordedCall): string {
  const params = JSON.stringify(call.params);
  return `${call.ok ? "ok" : "failed"} ${params.length > 200 ? `${params.slice(0, 200)}…` : params}`;
}

/**
 * Starts a local Telegram Bot API on 127.0.0.1 (random port) that grammY can talk to through
 * `client.apiRoot`. It keeps a small world (users, chats, members, messages, invite links), answers
 * the methods TelePay uses with Bot API-shaped results and errors, records every call, lets tests
 * inject user updates, and can inject 429/5xx/slow answers or enforce Telegram's flood limits.
 */
export async function startBotApiEmulator(options: BotApiEmulatorOptions = {}): Promise<BotApiEmulator> {
  const token = options.token ?? "123456:TEST-TOKEN";
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token))
    throw new Error(`startBotApiEmulator: token must look like "<id>:<secret>"`);
  const botId = options.botId ?? Number(token.split(":")[0]);
  const botUsername = options.botUsername ?? "telepay_test_bot";
  const limitOptions = options.enforceLimits === true ? {} : options.enforceLimits || undefined;
  const flood = limitOptions ? new FloodControl(limitOptions) : undefined;

  const world = new World({ id: botId, is_bot: true, first_name: "TelePay Test Bot", username: botUsername });
  const updates = new UpdateQueue(
    {
      initialDelayMs: options.webhookRetry?.initialDelayMs ?? 50,
      maxDelayMs: options.webhookRetry?.maxDelayMs ?? 1000,
    },
    options.webhookTimeoutMs ?? 10_000,
  );
  const failures = new FailurePlan();
  const stats = { sent: 0, rejected429: 0, injected: 0 };
  const calls: RecordedCall[] = [];
  const waiters = new Set<CallWaiter>();
  const sleepers = new Set<() => void>();
  let callbackCounter = 0;
  let revision = 0;
  const changeListeners = new Set<(revision: number) => void>();
  const changed = () => {
    revision++;
    for (const listener of [...changeListeners]) {
      try {
        listener(revision);
      } catch {
        // A listener's failure is its own business; the emulator keeps answering.
      }
    }
  };

  const emitChatMember = (
    chatId: number,
    userId: number,
    oldStatus: string,
    by: number,
  ): Update | undefined => {
    const chat = world.chats.get(chatId);
    if (!chat) return undefined;
    return updates.push("chat_member", {
      chat: world.chatObject(chat),
      from: world.users.get(by) ?? world.bot,
      date: nowSeconds(),
      old_chat_member: world.chatMemberObject(chatId, userId, {
        status: oldStatus as MemberStatus,
        rights: {},
        until_date: 0,
      }),
      new_chat_member: world.chatMemberObject(chatId, userId),
    });
  };

  const stars = createStars({ world, updates });
  const methods = { ...createMethods({ world, updates, emitChatMember }), ...stars.methods };
  const byLowerName = new Map<string, [string, MethodHandler]>();
  for (const [name, handler] of Object.entries(methods)) byLowerName.set(name.toLowerCase(), [name, handler]);

  const record = (call: RecordedCall) => {
    calls.push(call);
    if (!call.ok) return;
    if (!READ_ONLY_METHODS.has(call.method)) changed();
    for (const waiter of [...waiters]) {
      if (waiter.method === call.method && waiter.onCall()) waiters.delete(waiter);
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<{ status: number; body: Record<string, unknown>; call?: RecordedCall }> {
    const match = BOT_API_PATH.exec(url.pathname);
    if (!match) return { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } };
    const [, requestToken, rawMethod] = match as unknown as [string, string, string];
    const entry = byLowerName.get(rawMethod.toLowerCase());
    const method = entry?.[0] ?? rawMethod;
    const at = Date.now();
    let params: Record<string, unknown> = {};
    const finish = (status: number, body: Record<string, unknown>) => {
      const call: RecordedCall = { method, params, at, response: body, ok: body.ok === true };
      return { status, body, call };
    };
    if (requestToken !== token) {
      return finish(401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    let parsed: Awaited<ReturnType<typeof parseRequest>>;
    try {
      parsed = await parseRequest(req, url);
    } catch {
      return finish(400, {
        ok: false,
        error_code: 400,
        description: "Bad Request: can't parse request body",
      });
    }
    params = parsed.params;
    if (!entry) return finish(404, { ok: false, error_code: 404, description: "Not Found" });

    const failure = failures.take(method);
    if (failure) {
      if (failure.kind === "429") {
        stats.injected++;
        const error = tooManyRequests(failure.retryAfter);
        return finish(429, error.toBody());
      }
      if (failure.kind === "api") {
        // A refusal in Telegram's own shape (400 Bad Request: …, 403 Forbidden: …), call not carried out.
        stats.injected++;
        return finish(failure.code, new BotApiError(failure.code, failure.description).toBody());
      }
      if (failure.kind === "5xx") {
        stats.injected++;
        const status = failure.status ?? 500;
        return finish(status, {
          ok: false,
          error_code: status,
          description: status === 502 ? "Bad Gateway" : "Internal Server Error",
        });
      }
      // A slow Telegram: the call is still carried out, only late (a client that gave up and
      // retries will therefore send twice, which is what such tests should catch).
      stats.injected++;
      await sleep(failure.ms);
    }

    const isSend = SEND_METHODS.has(method);
    let floodChat: EmulatedChat | undefined;
    if (flood && isSend) {
      try {
        floodChat = world.resolveChat(params.chat_id);
      } catch {
        floodChat = undefined; // the handler answers "chat not found"
      }
      if (floodChat) {
        const limited = flood.check(floodChat.id, world.isGroupLike(floodChat));
        if (limited) {
          stats.rejected429++;
          return finish(429, limited.toBody());
        }
      }
    }

    try {
      // The response's close (not the socket's, which keep-alive reuses) tells a long poll its client left.
      let aborted: (() => void) | undefined;
      res.once("close", () => aborted?.());
      const result = await entry[1]({
        params,
        files: parsed.files,
        onAbort: (cb) => {
          aborted = cb;
        },
      });
      if (isSend) {
        stats.sent++;
        if (flood && floodChat) flood.record(floodChat.id, world.isGroupLike(floodChat));
      }
      return finish(200, { ok: true, result });
    } catch (error) {
      if (error instanceof BotApiError) return finish(error.code, error.toBody());
      return finish(500, {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: emulator failure in ${method}: ${(error as Error).message}`,
      });
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    answer(req, res, url).then(
      ({ status, body, call }) => {
        if (call) record(call);
        if (!res.writableEnded && !res.destroyed) {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        }
      },
      (error: unknown) => {
        if (!res.writableEnded && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: String(error) }));
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const requireChat = (what: string, chatId: number): EmulatedChat => {
    const chat = world.chats.get(chatId);
    if (!chat) throw new Error(`${what}: chat ${chatId} is unknown to the emulator; addChat it first`);
    return chat;
  };

  const botCommandEntities = (text: string) => {
    const entities: { type: string; offset: number; length: number }[] = [];
    const pattern = /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)/g;
    for (const m of text.matchAll(pattern)) {
      entities.push({ type: "bot_command", offset: m.index + m[1]!.length, length: m[2]!.length });
    }
    return entities;
  };

  const setBlocked = (userId: number, blocked: boolean) => {
    const user = world.ensureUser(userId);
    const chat = world.ensurePrivateChat(userId);
    if (world.blocked.has(userId) === blocked) return;
    if (blocked) world.blocked.add(userId);
    else world.blocked.delete(userId);
    const status = (s: MemberStatus) =>
      world.chatMemberObject(chat.id, world.bot.id, { status: s, rights: {}, until_date: 0 });
    updates.push("my_chat_member", {
      chat: world.chatObject(chat),
      from: user,
      date: nowSeconds(),
      old_chat_member: status(blocked ? "member" : "kicked"),
      new_chat_member: status(blocked ? "kicked" : "member"),
    });
  };

  const joinRequest = (input: JoinRequestInput): Update => {
    const user = world.ensureUser(input.from);
    const chat = requireChat("joinRequest", input.chatId);
    if (chat.type === "private") throw new Error(`joinRequest: chat ${chat.id} is a private chat`);
    const status = world.getMember(chat.id, user.id).status;
    if (status === "kicked") throw new Error(`joinRequest: user ${user.id} is banned from chat ${chat.id}`);
    if (status !== "left")
      throw new Error(`joinRequest: user ${user.id} is already ${status} in chat ${chat.id}`);
    let linkPayload: Record<string, unknown> | undefined;
    if (input.inviteLink !== undefined) {
      const link = world.inviteLinks.get(input.inviteLink);
      if (!link || link.chat_id !== chat.id)
        throw new Error(`joinRequest: ${input.inviteLink} is not a link of chat ${chat.id}`);
      if (link.is_revoked) throw new Error(`joinRequest: ${input.inviteLink} was revoked`);
      if (link.expire_date !== undefined && link.expire_date <= nowSeconds())
        throw new Error(`joinRequest: ${input.inviteLink} expired`);
      if (!link.creates_join_request) {
        throw new Error(`joinRequest: ${input.inviteLink} does not create join requests; use joinViaLink`);
      }
      linkPayload = {
        invite_link: link.invite_link,
        creator: link.creator,
        creates_join_request: true,
        is_primary: link.is_primary,
        is_revoked: false,
        ...(link.name !== undefined ? { name: link.name } : {}),
        ...(link.expire_date !== undefined ? { expire_date: link.expire_date } : {}),
      };
    }
    // The requester's private chat becomes reachable (user_chat_id) so the bot can DM them.
    world.ensurePrivateChat(user.id);
    const date = nowSeconds();
    world.joinRequests.set(`${chat.id}:${user.id}`, {
      chat_id: chat.id,
      user_id: user.id,
      date,
      ...(input.inviteLink !== undefined ? { invite_link: input.inviteLink } : {}),
    });
    return updates.push("chat_join_request", {
      chat: world.chatObject(chat),
      from: user,
      user_chat_id: user.id,
      date,
      ...(linkPayload ? { invite_link: linkPayload } : {}),
    });
  };

  const emulator: BotApiEmulator = {
    ...stars.controls,
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botId,
    botUsername,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    clearCalls: () => {
      calls.length = 0;
    },

    waitForCall(method, predicate, timeoutMs = 5000) {
      return emulator.waitForCalls(method, 1, timeoutMs, predicate).then((found) => found[0]!);
    },

    waitForCalls(method, count, timeoutMs = 5000, predicate) {
      const matching = () => calls.filter((c) => c.method === method && c.ok && (!predicate || predicate(c)));
      const now = matching();
      if (now.length >= count) return Promise.resolve(now.slice(0, count));
      return new Promise<RecordedCall[]>((resolve, reject) => {
        const waiter: CallWaiter = {
          method,
          predicate,
          onCall: () => {
            const found = matching();
            if (found.length < count) return false;
            clearTimeout(timer);
            resolve(found.slice(0, count));
            return true;
          },
          reject,
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = calls.filter((c) => c.method === method);
          const last = seen.slice(-3).map(describeCall).join("\n  ");
          reject(
            new Error(
              `waitForCalls: expected ${count} successful ${method} call(s)${predicate ? " matching the predicate" : ""} within ${timeoutMs} ms, ` +
                `got ${matching().length} (of ${seen.length} ${method} calls in total)${last ? `; last:\n  ${last}` : ""}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },

    addUser: (user) => world.addUser(user),
    addChat: (chat) => world.addChat(chat),
    setChatMember: (chatId, userId, status, rights) => {
      requireChat("setChatMember", chatId);
      world.ensureUser(userId);
      world.setMember(chatId, userId, status, rights);
    },
    getMember: (chatId, userId) => world.getMember(chatId, userId),
    blockBot: (userId) => setBlocked(userId, true),
    unblockBot: (userId) => setBlocked(userId, false),
    messages: (chatId) => [...(world.messagesByChat.get(chatId) ?? [])],
    commandMenu: (chatId, languageCode) => {
      const language = languageCode?.slice(0, 2).toLowerCase() ?? "";
      for (const [scope, chat] of [
        ["chat", chatId],
        ["all_private_chats", undefined],
        ["default", undefined],
      ] as const) {
        for (const lang of language ? [language, ""] : [""]) {
          const list = world.commands.get(commandMenuKey(scope, chat, lang));
          if (list) return list as Array<{ command: string; description: string }>;
        }
      }
      return [];
    },
    inviteLinks: (chatId) =>
      [...world.inviteLinks.values()].filter((l) => chatId === undefined || l.chat_id === chatId),
    pendingJoinRequests: (chatId) =>
      [...world.joinRequests.values()].filter((r) => chatId === undefined || r.chat_id === chatId),
    chatMembers: (chatId) =>
      [...(world.members.get(chatId) ?? [])].map(([userId, member]) => ({
        user: world.ensureUser(userId),
        status: member.status,
      })),
    get revision() {
      return revision;
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => {
        changeListeners.delete(listener);
      };
    },

    sendUserMessage(input) {
      const user = world.ensureUser(input.from);
      const chat =
        input.chatId === undefined
          ? world.ensurePrivateChat(user.id)
          : requireChat("sendUserMessage", input.chatId);
      // An unknown origin is refused before anything is stored.
      const origin =
        input.forwardFromChat === undefined
          ? undefined
          : requireChat("sendUserMessage.forwardFromChat", input.forwardFromChat);
      // Writing to a bot you blocked unblocks it.
      if (chat.type === "private" && world.blocked.has(user.id)) setBlocked(user.id, false);
      let photo: StoredPhoto | undefined;
      if (input.photo === true) photo = world.newPhoto("user photo", 102_400);
      else if (input.photo !== undefined) {
        photo = world.photos.get(input.photo);
        if (!photo) throw new Error(`sendUserMessage: unknown photo file_id ${input.photo}`);
      }
      const stored = world.storeMessage(chat.id, {
        from_id: user.id,
        text: input.text,
        plainText: input.text,
        parse_mode: undefined,
        reply_markup: undefined,
        ...(origin ? { forwardedFromChatId: origin.id } : {}),
        ...(photo ? { photo } : {}),
      });
      const extra: Record<string, unknown> = {};
      const entities = botCommandEntities(input.text);
      // Under a photo, Telegram reports the entities as caption_entities.
      if (entities.length > 0) extra[photo ? "caption_entities" : "entities"] = entities;
      if (origin) {
        extra.forward_origin = {
          type: "channel",
          chat: world.chatObject(origin),
          message_id: input.forwardFromMessageId ?? 1,
          date: nowSeconds(),
        };
      }
      const message = world.messageObject(stored, extra);
      message.from = user;
      return updates.push(chat.type === "channel" ? "channel_post" : "message", message);
    },

    pressButton(input) {
      const user = world.ensureUser(input.from);
      const chatId = input.chatId ?? user.id;
      const chat = requireChat("pressButton", chatId);
      const message = world.findMessage(chat.id, input.messageId);
      if (!message)
        throw new Error(
          `pressButton: message ${input.messageId} in chat ${chatId} does not exist or was deleted`,
        );
      const keyboard = (
        message.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined
      )?.inline_keyboard;
      const available = (keyboard ?? [])
        .flat()
        .map((b) => b.callback_data)
        .filter((d) => d !== undefined);
      if (!available.includes(input.data)) {
        throw new Error(
          `pressButton: message ${input.messageId} has no button with callback_data ${JSON.stringify(input.data)}; it has ${JSON.stringify(available)}`,
        );
      }
      const id = `${BigInt(botId) * 1000n + BigInt(++callbackCounter)}${randomBytes(2).readUInt16BE(0)}`;
      world.callbackQueries.set(id, { answered: false, from: user.id });
      return updates.push("callback_query", {
        id,
        from: user,
        message: world.messageObject(message),
        chat_instance: String(BigInt.asUintN(63, BigInt(chat.id) * 2654435761n)),
        data: input.data,
      });
    },

    joinRequest,

    joinViaLink(input) {
      const user = world.ensureUser(input.from);
      const link = world.inviteLinks.get(input.inviteLink);
      if (!link) throw new Error(`joinViaLink: unknown invite link ${input.inviteLink}`);
      if (link.creates_join_request)
        return joinRequest({ from: user.id, chatId: link.chat_id, inviteLink: link.invite_link });
      if (link.is_revoked) throw new Error(`joinViaLink: ${input.inviteLink} was revoked`);
      if (link.expire_date !== undefined && link.expire_date <= nowSeconds())
        throw new Error(`joinViaLink: ${input.inviteLink} expired`);
      if (link.member_limit !== undefined && link.joined.length >= link.member_limit) {
        throw new Error(`joinViaLink: ${input.inviteLink} reached its member_limit of ${link.member_limit}`);
      }
      const old = world.getMember(link.chat_id, user.id).status;
      if (old === "kicked")
        throw new Error(`joinViaLink: user ${user.id} is banned from chat ${link.chat_id}`);
      if (old !== "left")
        throw new Error(`joinViaLink: user ${user.id} is already ${old} in chat ${link.chat_id}`);
      world.setMember(link.chat_id, user.id, "member");
      link.joined.push(user.id);
      return emitChatMember(link.chat_id, user.id, old, user.id)!;
    },

    myChatMember(input) {
      const chat = requireChat("myChatMember", input.chatId);
      let fromId = input.from;
      if (fromId === undefined) {
        if (chat.type === "private") fromId = chat.id;
        else {
          for (const [userId, member] of world.members.get(chat.id) ?? []) {
            if (member.status === "creator") fromId = userId;
          }
        }
      }
      const from =
        fromId === undefined
          ? { id: 777000, is_bot: false, first_name: "Telegram" }
          : world.ensureUser(fromId);
      if (chat.type === "private") {
        if (input.newStatus === "kicked") world.blocked.add(chat.id);
        else world.blocked.delete(chat.id);
      } else {
        world.setMember(chat.id, world.bot.id, input.newStatus, input.rights);
      }
      return updates.push("my_chat_member", {
        chat: world.chatObject(chat),
        from,
        date: nowSeconds(),
        old_chat_member: world.chatMemberObject(chat.id, world.bot.id, {
          status: input.oldStatus,
          rights: {},
          until_date: 0,
        }),
        new_chat_member: world.chatMemberObject(chat.id, world.bot.id, {
          status: input.newStatus,
          rights:
            input.newStatus === "administrator"
              ? { ...(input.rights ?? world.getMember(chat.id, world.bot.id).rights) }
              : {},
          until_date: 0,
        }),
      });
    },

    chatMember(input) {
      const chat = requireChat("chatMember", input.chatId);
      world.ensureUser(input.userId);
      const old = input.oldStatus ?? world.getMember(chat.id, input.userId).status;
      world.setMember(chat.id, input.userId, input.newStatus, input.rights);
      return emitChatMember(chat.id, input.userId, old, input.from ?? input.userId)!;
    },

    injectUpdate: (raw) => updates.pushRaw(raw),
    get pendingUpdates() {
      return updates.pendingCount;
    },
    webhookDeliveries: updates.deliveries,

    failNext: (method, failure, count = 1) => failures.failNext(method, failure, count),
    failFor: (ms, failure, method = "*") => failures.failFor(ms, failure, method),
    clearFailures: () => failures.clear(),

    stats,

    async stop() {
      updates.stop();
      for (const wake of [...sleepers]) wake();
      for (const waiter of waiters)
        waiter.reject(new Error(`waitForCall(${waiter.method}): emulator stopped`));
      waiters.clear();
      changeListeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give in-flight answers (including released long polls) a moment, then cut the rest.
        setTimeout(() => server.closeAllConnections(), 50).unref();
      });
    },
  };
  // What tests and tools do to the world from outside changes it as much as a Bot API call does.
  for (const name of [
    "addUser",
    "addChat",
    "setChatMember",
    "blockBot",
    "unblockBot",
    "sendUserMessage",
    "pressButton",
    "joinRequest",
    "joinViaLink",
    "myChatMember",
    "chatMember",
    "injectUpdate",
    "preCheckout",
    "payStars",
    "renewStars",
  ] as const) {
    const original = emulator[name] as (...args: unknown[]) => unknown;
    (emulator as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const result = original(...args);
      changed();
      return result;
    };
  }
  return emulator;
}
