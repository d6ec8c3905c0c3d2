import { randomBytes } from "node:crypto";
import { BotApiError, badRequest, forbidden } from "./api-error.ts";
import { EntityParseError, plainTextOf } from "./html.ts";
import type { UploadedFile } from "./request-body.ts";
import type {
  ChatInviteLinkRecord,
  EmulatedChat,
  MemberRights,
  StoredDocument,
  StoredPhoto,
  Update,
} from "./types.ts";
import type { UpdateQueue } from "./updates.ts";
import { commandMenuKey, nowSeconds, type World } from "./world.ts";

export interface MethodContext {
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  /** Registers a callback for when the client goes away (long polls). */
  onAbort: (cb: () => void) => void;
}

export type MethodHandler = (ctx: MethodContext) => unknown;

export interface MethodDeps {
  world: World;
  updates: UpdateQueue;
  /** Emits a chat_member update when allowed_updates asks for it. */
  emitChatMember: (chatId: number, userId: number, oldStatus: string, by: number) => Update | undefined;
}

const PARSE_MODES = new Set(["html", "markdown", "markdownv2"]);

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

function renderText(text: unknown, parseMode: unknown, emptyMessage: string): string {
  if (parseMode !== undefined && parseMode !== null && parseMode !== "") {
    if (typeof parseMode !== "string" || !PARSE_MODES.has(parseMode.toLowerCase())) {
      throw badRequest(`unsupported parse_mode`);
    }
  }
  if (typeof text !== "string") throw badRequest(emptyMessage);
  let plain: string;
  try {
    plain = plainTextOf(text, parseMode);
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  if (plain.trim() === "") throw badRequest(emptyMessage);
  return plain;
}

function validateReplyMarkup(chat: EmulatedChat, markup: unknown): void {
  if (markup === undefined || markup === null) return;
  if (typeof markup !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) return;
  if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of keyboard as unknown[][]) {
    for (const raw of row) {
      const button = raw as Record<string, unknown>;
      if (typeof button?.text !== "string" || button.text === "") throw badRequest("BUTTON_TEXT_INVALID");
      const actions = [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "callback_game",
        "pay",
        "copy_text",
      ].filter((k) => button[k] !== undefined);
      if (actions.length !== 1) throw badRequest("text buttons are unallowed in the inline keyboard");
      if (button.callback_data !== undefined) {
        const size = Buffer.byteLength(String(button.callback_data), "utf8");
        if (typeof button.callback_data !== "string" || size < 1 || size > 64)
          throw badRequest("BUTTON_DATA_INVALID");
      }
      if (button.url !== undefined) {
        const url = String(button.url);
        let ok = false;
        try {
          ok = ["http:", "https:", "tg:"].includes(new URL(url).protocol);
        } catch {}
        if (!ok) throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
      }
      // Web App buttons only work in private chats.
      if (button.web_app !== undefined && chat.type !== "private") throw badRequest("BUTTON_TYPE_INVALID");
    }
  }
}

function sameMarkup(a: unknown, b: unknown): boolean {
  const norm = (m: unknown) => {
    const k = (m as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard;
    return m === undefined || m === null || (Array.isArray(k) && k.length === 0) ? "" : JSON.stringify(m);
  };
  return norm(a) === norm(b);
}

export function createMethods(deps: MethodDeps): Record<string, MethodHandler> {
  const { world, updates } = deps;
  const bot = world.bot;

  const chatKind = (chat: EmulatedChat) =>
    chat.type === "channel" ? "channel" : chat.type === "group" ? "group" : "supergroup";

  /** Can the bot post in this chat at all? */
  const assertCanSend = (chat: EmulatedChat) => {
    if (chat.type === "private") {
      if (world.blocked.has(chat.id)) throw forbidden("bot was blocked by the user");
      return;
    }
    const me = world.getMember(chat.id, bot.id);
    if (me.status === "kicked") throw forbidden(`bot was kicked from the ${chatKind(chat)} chat`);
    if (me.status === "left") throw forbidden(`bot is not a member of the ${chatKind(chat)} chat`);
    if (
      chat.type === "channel" &&
      me.status !== "creator" &&
      !(me.status === "administrator" && me.rights.can_post_messages)
    ) {
      throw badRequest("need administrator rights in the channel chat");
    }
  };

  const requireRight = (chat: EmulatedChat, right: keyof MemberRights, message: string) => {
    if (chat.type === "private")
      throw badRequest("method is available for supergroup and channel chats only");
    const me = world.getMember(chat.id, bot.id);
    if (me.status === "kicked") throw forbidden(`bot was kicked from the ${chatKind(chat)} chat`);
    if (me.status === "left") throw forbidden(`bot is not a member of the ${chatKind(chat)} chat`);
    if (me.status === "creator") return;
    if (me.status !== "administrator" || !me.rights[right]) throw badRequest(message);
  };

  const linkObject = (link: ChatInviteLinkRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      invite_link: link.invite_link,
      creator: link.creator,
      creates_join_request: link.creates_join_request,
      is_primary: link.is_primary,
      is_revoked: link.is_revoked,
    };
    if (link.name !== undefined) out.name = link.name;
    if (link.expire_date !== undefined) out.expire_date = link.expire_date;
    if (link.member_limit !== undefined) out.member_limit = link.member_limit;
    if (link.creates_join_request) {
      out.pending_join_request_count = [...world.joinRequests.values()].filter(
        (r) => r.invite_link === link.invite_link,
      ).length;
    }
    return out;
  };

  const findOwnMessage = (params: Record<string, unknown>, notFound: string) => {
    if (params.inline_message_id !== undefined)
      throw badRequest("inline messages are not supported by the emulator");
    const chat = world.resolveChat(params.chat_id);
    if (params.message_id === undefined) throw badRequest("message identifier is not specified");
    const message = world.findMessage(chat.id, params.message_id);
    if (!message) throw badRequest(notFound);
    return { chat, message };
  };

  const requireUser = (value: unknown) => {
    const id = typeof value === "number" ? value : Number(value);
    if (value === undefined || !Number.isSafeInteger(id) || id <= 0)
      throw badRequest("invalid user_id specified");
    return world.ensureUser(id);
  };

  const documentFrom = (ctx: MethodContext): StoredDocument => {
    const ref = ctx.params.document;
    let file: UploadedFile | undefined;
    if (typeof ref === "string" && ref.startsWith("attach://"))
      file = ctx.files.get(ref.slice("attach://".length));
    else file = ctx.files.get("document");
    if (file) {
      return {
        file_id: `BQAC${randomToken(24)}`,
        file_unique_id: `AgAD${randomToken(6)}`,
        file_name: file.filename,
        ...(file.contentType ? { mime_type: file.contentType } : {}),
        file_size: file.content.length,
        content: file.content.toString("utf8"),
      };
    }
    if (typeof ref === "string" && ref !== "") {
      return {
        file_id: ref,
        file_unique_id: `AgAD${randomToken(6)}`,
        file_name: "document",
        file_size: 0,
        content: ref,
      };
    }
    throw badRequest("there is no document in the request");
  };

  /**
   * The photo of a sendPhoto call: an upload (multipart, as `photo` or attach://name), an HTTP(S)
   * URL, or a file_id Telegram issued before (a user's photo or one the bot uploaded); any other
   * string is refused as Telegram does.
   */
  const photoFrom = (ctx: MethodContext): StoredPhoto => {
    const ref = ctx.params.photo;
    let file: UploadedFile | undefined;
    if (typeof ref === "string" && ref.startsWith("attach://"))
      file = ctx.files.get(ref.slice("attach://".length));
    else file = ctx.files.get("photo");
    if (file) {
      if (file.content.length === 0) throw badRequest("file must be non-empty");
      return world.newPhoto(`${file.filename} (${file.content.length} bytes)`, file.content.length);
    }
    if (typeof ref !== "string" || ref === "") throw badRequest("there is no photo in the request");
    if (/^https?:\/\//i.test(ref)) return world.newPhoto(ref, 0);
    const known = world.photos.get(ref);
    if (!known) throw badRequest("wrong file identifier/HTTP URL specified");
    return known;
  };

  /** A caption as a user sees it (undefined when there is none), at most 1024 characters. */
  const captionOf = (params: Record<string, unknown>): string | undefined => {
    if (params.caption === undefined || params.caption === "") return undefined;
    const caption = renderText(params.caption, params.parse_mode, "message caption is empty");
    if (caption.length > 1024) throw badRequest("message caption is too long");
    return caption;
  };

  /** reply_parameters / reply_to_message_id must name a live message unless allow_sending_without_reply. */
  const assertReplyTarget = (chat: EmulatedChat, params: Record<string, unknown>) => {
    const reply = params.reply_parameters as
      | { message_id?: unknown; allow_sending_without_reply?: boolean }
      | undefined;
    const target = reply?.message_id ?? params.reply_to_message_id;
    if (target === undefined || reply?.allow_sending_without_reply || params.allow_sending_without_reply)
      return;
    if (!world.findMessage(chat.id, target)) throw badRequest("message to be replied not found");
  };

  /**
   * Where a command list is stored: its scope (default, all_private_chats, chat, …) and language.
   * Like Telegram, a language_code must be a two-letter ISO 639-1 code ("pt", never "pt-BR"), and a
   * chat scope names a chat the bot knows.
   */
  /** A chat scope's chat: a known chat, or the private chat of a user the bot knows. */
  const commandChat = (chatId: unknown): number => {
    const id = Number(chatId);
    if (Number.isSafeInteger(id) && id > 0 && world.users.has(id)) return id;
    return world.resolveChat(chatId).id;
  };

  const commandKey = (params: Record<string, unknown>) => {
    const language = params.language_code ?? "";
    if (typeof language !== "string" || (language !== "" && !/^[a-z]{2}$/.test(language)))
      throw badRequest("LANGUAGE_CODE_INVALID");
    const scope = (params.scope ?? { type: "default" }) as { type?: unknown; chat_id?: unknown };
    switch (scope.type) {
      case "default":
      case "all_private_chats":
      case "all_group_chats":
      case "all_chat_administrators":
        return commandMenuKey(scope.type, undefined, language);
      case "chat":
      case "chat_administrators":
        return commandMenuKey(scope.type, commandChat(scope.chat_id), language);
      case "chat_member":
        throw badRequest("chat_member scope is not emulated");
      default:
        throw badRequest("BOT_COMMAND_SCOPE_INVALID");
    }
  };

  return {
    getMe: () => ({
      ...bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    logOut: () => true,
    close: () => true,

    getUpdates: (ctx) => updates.getUpdates(ctx.params, ctx.onAbort),
    setWebhook: (ctx) => {
      updates.setWebhook(ctx.params);
      return true;
    },
    deleteWebhook: (ctx) => {
      updates.deleteWebhook(Boolean(ctx.params.drop_pending_updates));
      return true;
    },
    getWebhookInfo: () => updates.webhookInfo(),

    sendMessage: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      assertCanSend(chat);
      const plain = renderText(params.text, params.parse_mode, "message text is empty");
      if (plain.length > 4096) throw badRequest("message is too long");
      validateReplyMarkup(chat, params.reply_markup);
      assertReplyTarget(chat, params);
      const message = world.storeMessage(chat.id, {
        from_id: bot.id,
        text: params.text as string,
        plainText: plain,
        parse_mode: params.parse_mode as string | undefined,
        reply_markup: params.reply_markup,
      });
      return world.messageObject(message);
    },

    sendPhoto: (ctx) => {
      const { params } = ctx;
      const chat = world.resolveChat(params.chat_id);
      assertCanSend(chat);
      const photo = photoFrom(ctx);
      const caption = captionOf(params);
      validateReplyMarkup(chat, params.reply_markup);
      assertReplyTarget(chat, params);
      // The recorded params name the photo sent (its file_id) rather than an attach:// reference.
      params.photo = photo.file_id;
      const message = world.storeMessage(chat.id, {
        from_id: bot.id,
        text: params.caption as string | undefined,
        plainText: caption,
        parse_mode: params.parse_mode as string | undefined,
        reply_markup: params.reply_markup,
        photo,
      });
      return world.messageObject(message);
    },

    sendDocument: (ctx) => {
      const { params } = ctx;
      const chat = world.resolveChat(params.chat_id);
      assertCanSend(chat);
      const document = documentFrom(ctx);
      const caption = captionOf(params);
      validateReplyMarkup(chat, params.reply_markup);
      // The recorded params show what was uploaded rather than an attach:// reference.
      params.document = { filename: document.file_name, content: document.content };
      const message = world.storeMessage(chat.id, {
        from_id: bot.id,
        text: params.caption as string | undefined,
        plainText: caption,
        parse_mode: params.parse_mode as string | undefined,
        reply_markup: params.reply_markup,
        document,
      });
      return world.messageObject(message);
    },

    copyMessage: ({ params }) => {
      const from = world.resolveChat(params.from_chat_id);
      const source = world.findMessage(from.id, params.message_id);
      if (!source) throw badRequest("message to copy not found");
      const chat = world.resolveChat(params.chat_id);
      assertCanSend(chat);
      const hasCaption = params.caption !== undefined;
      const text = hasCaption ? (params.caption as string) : source.text;
      const parseMode = hasCaption ? (params.parse_mode as string | undefined) : source.parse_mode;
      const plain = hasCaption
        ? renderText(params.caption, params.parse_mode, "message caption is empty")
        : source.plainText;
      validateReplyMarkup(chat, params.reply_markup);
      const copy = world.storeMessage(chat.id, {
        from_id: bot.id,
        text,
        plainText: plain,
        parse_mode: parseMode,
        reply_markup: params.reply_markup,
        ...(source.document ? { document: { ...source.document } } : {}),
        ...(source.photo ? { photo: source.photo } : {}),
      });
      return { message_id: copy.message_id };
    },

    editMessageText: ({ params }) => {
      const { chat, message } = findOwnMessage(params, "message to edit not found");
      if (message.from_id !== bot.id) throw badRequest("message can't be edited");
      if (message.document || message.photo) throw badRequest("there is no text in the message to edit");
      const plain = renderText(params.text, params.parse_mode, "message text is empty");
      if (plain.length > 4096) throw badRequest("message is too long");
      validateReplyMarkup(chat, params.reply_markup);
      // Without reply_markup Telegram removes the inline keyboard, so that counts as a change.
      if (
        message.plainText === plain &&
        message.text === params.text &&
        sameMarkup(message.reply_markup, params.reply_markup)
      ) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      message.text = params.text as string;
      message.plainText = plain;
      message.parse_mode = params.parse_mode as string | undefined;
      message.reply_markup = params.reply_markup;
      message.edits.push({
        text: message.text,
        parse_mode: message.parse_mode,
        reply_markup: message.reply_markup,
        at: Date.now(),
      });
      return world.messageObject(message);
    },

    editMessageCaption: ({ params }) => {
      const { chat, message } = findOwnMessage(params, "message to edit not found");
      if (message.from_id !== bot.id) throw badRequest("message can't be edited");
      if (!message.document && !message.photo) throw badRequest("there is no caption in the message to edit");
      const caption = captionOf(params);
      validateReplyMarkup(chat, params.reply_markup);
      if (
        message.plainText === caption &&
        message.text === params.caption &&
        sameMarkup(message.reply_markup, params.reply_markup)
      ) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      message.text = params.caption as string | undefined;
      message.plainText = caption;
      message.parse_mode = params.parse_mode as string | undefined;
      message.reply_markup = params.reply_markup;
      message.edits.push({
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.parse_mode !== undefined ? { parse_mode: message.parse_mode } : {}),
        reply_markup: message.reply_markup,
        at: Date.now(),
      });
      return world.messageObject(message);
    },

    editMessageReplyMarkup: ({ params }) => {
      const { chat, message } = findOwnMessage(params, "message to edit not found");
      if (message.from_id !== bot.id) throw badRequest("message can't be edited");
      validateReplyMarkup(chat, params.reply_markup);
      if (sameMarkup(message.reply_markup, params.reply_markup)) {
        throw badRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        );
      }
      message.reply_markup = params.reply_markup;
      message.edits.push({ reply_markup: params.reply_markup, at: Date.now() });
      return world.messageObject(message);
    },

    deleteMessage: ({ params }) => {
      const { chat, message } = findOwnMessage(params, "message to delete not found");
      if (message.from_id !== bot.id && chat.type !== "private") {
        const me = world.getMember(chat.id, bot.id);
        if (me.status !== "creator" && !(me.status === "administrator" && me.rights.can_delete_messages)) {
          throw badRequest("message can't be deleted");
        }
      }
      message.deleted = true;
      return true;
    },

    answerCallbackQuery: ({ params }) => {
      const query = world.callbackQueries.get(String(params.callback_query_id ?? ""));
      if (!query || query.answered) {
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      if (typeof params.text === "string" && params.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
      query.answered = true;
      return true;
    },

    createChatInviteLink: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_invite_users", "not enough rights to manage chat invite links");
      const name = params.name;
      if (name !== undefined && (typeof name !== "string" || name.length > 32))
        throw badRequest("invite link name is too long");
      const expire = params.expire_date;
      if (expire !== undefined && expire !== 0) {
        if (typeof expire !== "number" || !Number.isInteger(expire))
          throw badRequest("invalid expire_date specified");
        if (expire <= nowSeconds()) throw badRequest("EXPIRE_DATE_INVALID");
      }
      const limit = params.member_limit;
      if (limit !== undefined && limit !== 0) {
        if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 99999) {
          throw badRequest("member_limit must be between 1 and 99999");
        }
      }
      const joinRequest = params.creates_join_request === true;
      if (joinRequest && limit !== undefined && limit !== 0) {
        throw badRequest("member limit can't be specified for links requiring administrator approval");
      }
      const link: ChatInviteLinkRecord = {
        invite_link: `https://t.me/+${randomToken(12)}`,
        chat_id: chat.id,
        creator: bot,
        creates_join_request: joinRequest,
        is_primary: false,
        is_revoked: false,
        joined: [],
      };
      if (typeof name === "string" && name !== "") link.name = name;
      if (typeof expire === "number" && expire !== 0) link.expire_date = expire;
      if (typeof limit === "number" && limit !== 0) link.member_limit = limit;
      world.inviteLinks.set(link.invite_link, link);
      return linkObject(link);
    },

    exportChatInviteLink: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_invite_users", "not enough rights to manage chat invite links");
      for (const link of world.inviteLinks.values()) {
        if (link.chat_id === chat.id && link.is_primary) link.is_revoked = true;
      }
      const link: ChatInviteLinkRecord = {
        invite_link: `https://t.me/+${randomToken(12)}`,
        chat_id: chat.id,
        creator: bot,
        creates_join_request: false,
        is_primary: true,
        is_revoked: false,
        joined: [],
      };
      world.inviteLinks.set(link.invite_link, link);
      return link.invite_link;
    },

    revokeChatInviteLink: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_invite_users", "not enough rights to manage chat invite links");
      const link = world.inviteLinks.get(String(params.invite_link ?? ""));
      if (!link || link.chat_id !== chat.id) throw badRequest("INVITE_HASH_EXPIRED");
      link.is_revoked = true;
      // Pending requests through a revoked link stay pending (Telegram keeps them).
      return linkObject(link);
    },

    approveChatJoinRequest: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_invite_users", "not enough rights to manage chat invite links");
      const user = requireUser(params.user_id);
      const key = `${chat.id}:${user.id}`;
      const request = world.joinRequests.get(key);
      if (!request) throw badRequest("HIDE_REQUESTER_MISSING");
      world.joinRequests.delete(key);
      const old = world.getMember(chat.id, user.id).status;
      if (old === "member" || old === "administrator" || old === "creator")
        throw badRequest("USER_ALREADY_PARTICIPANT");
      world.setMember(chat.id, user.id, "member");
      if (request.invite_link) world.inviteLinks.get(request.invite_link)?.joined.push(user.id);
      deps.emitChatMember(chat.id, user.id, old, bot.id);
      return true;
    },

    declineChatJoinRequest: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_invite_users", "not enough rights to manage chat invite links");
      const user = requireUser(params.user_id);
      const key = `${chat.id}:${user.id}`;
      if (!world.joinRequests.has(key)) throw badRequest("HIDE_REQUESTER_MISSING");
      world.joinRequests.delete(key);
      return true;
    },

    banChatMember: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member");
      const user = requireUser(params.user_id);
      if (user.id === bot.id) throw badRequest("can't restrict self");
      const current = world.getMember(chat.id, user.id);
      if (current.status === "creator") throw badRequest("can't remove chat owner");
      if (current.status === "administrator") throw badRequest("user is an administrator of the chat");
      // Bans shorter than 30 s or longer than 366 days are forever (until_date 0).
      let until = typeof params.until_date === "number" ? params.until_date : 0;
      const now = nowSeconds();
      if (until !== 0 && (until - now < 30 || until - now > 366 * 86400)) until = 0;
      world.setMember(chat.id, user.id, "kicked", undefined, until);
      if (current.status !== "kicked") deps.emitChatMember(chat.id, user.id, current.status, bot.id);
      return true;
    },

    unbanChatMember: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      requireRight(chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member");
      const user = requireUser(params.user_id);
      const current = world.getMember(chat.id, user.id);
      if (current.status === "kicked") {
        world.setMember(chat.id, user.id, "left");
        deps.emitChatMember(chat.id, user.id, "kicked", bot.id);
        return true;
      }
      if (params.only_if_banned === true || current.status === "left") return true;
      // Without only_if_banned, "unbanning" a current member removes them from the chat.
      if (current.status === "creator") throw badRequest("can't remove chat owner");
      if (current.status === "administrator") throw badRequest("user is an administrator of the chat");
      world.setMember(chat.id, user.id, "left");
      deps.emitChatMember(chat.id, user.id, current.status, bot.id);
      return true;
    },

    getChatMember: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      const id = Number(params.user_id);
      if (params.user_id === undefined || !Number.isSafeInteger(id) || id <= 0)
        throw badRequest("invalid user_id specified");
      if (chat.type === "channel" && id !== bot.id) {
        const me = world.getMember(chat.id, bot.id).status;
        if (me !== "administrator" && me !== "creator") throw badRequest("member list is inaccessible");
      }
      return world.chatMemberObject(chat.id, id);
    },

    getChatMemberCount: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      if (chat.type === "private") return 2;
      let count = 0;
      for (const member of world.members.get(chat.id)?.values() ?? []) {
        if (["creator", "administrator", "member", "restricted"].includes(member.status)) count++;
      }
      return count;
    },

    getChatAdministrators: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      if (chat.type === "private") throw badRequest("there are no administrators in the private chat");
      const out: Record<string, unknown>[] = [];
      for (const [userId, member] of world.members.get(chat.id) ?? []) {
        if (member.status === "creator" || member.status === "administrator") {
          out.push(world.chatMemberObject(chat.id, userId));
        }
      }
      return out;
    },

    getChat: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      return { ...world.chatObject(chat), accent_color_id: 0, max_reaction_count: 11 };
    },

    leaveChat: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      if (chat.type === "private") throw badRequest("chat member status can't be changed in private chats");
      const old = world.getMember(chat.id, bot.id).status;
      world.setMember(chat.id, bot.id, "left");
      updates.push("my_chat_member", {
        chat: world.chatObject(chat),
        from: bot,
        date: nowSeconds(),
        old_chat_member: world.chatMemberObject(chat.id, bot.id, { status: old, rights: {}, until_date: 0 }),
        new_chat_member: world.chatMemberObject(chat.id, bot.id),
      });
      return true;
    },

    setMyCommands: ({ params }) => {
      const commands = params.commands;
      if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
      if (commands.length > 100) throw badRequest("too many commands specified");
      for (const raw of commands) {
        const command = raw as { command?: unknown; description?: unknown };
        if (typeof command.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command.command)) {
          throw badRequest("BOT_COMMAND_INVALID");
        }
        if (
          typeof command.description !== "string" ||
          command.description.length < 1 ||
          command.description.length > 256
        ) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      world.commands.set(
        commandKey(params),
        commands.map((c) => ({
          command: (c as { command: string }).command,
          description: (c as { description: string }).description,
        })),
      );
      return true;
    },
    getMyCommands: ({ params }) => world.commands.get(commandKey(params)) ?? [],
    deleteMyCommands: ({ params }) => {
      world.commands.delete(commandKey(params));
      return true;
    },

    // Accepted and recorded; nothing observable to emulate.
    sendChatAction: ({ params }) => {
      world.resolveChat(params.chat_id);
      return true;
    },
    setChatMenuButton: () => true,
    setMyDescription: () => true,
    setMyShortDescription: () => true,
    setMyName: () => true,
    setMyDefaultAdministratorRights: () => true,
  };
}

export { BotApiError };
