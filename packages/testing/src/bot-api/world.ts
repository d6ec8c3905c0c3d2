import { randomBytes } from "node:crypto";
import { badRequest } from "./api-error.ts";
import type {
  ChatInviteLinkRecord,
  ChatType,
  EmulatedChat,
  EmulatedMember,
  EmulatedUser,
  MemberRights,
  MemberStatus,
  PendingJoinRequest,
  StoredMessage,
  StoredPhoto,
} from "./types.ts";

const ALL_ADMIN_RIGHTS: Required<MemberRights> = {
  can_invite_users: true,
  can_restrict_members: true,
  can_post_messages: true,
  can_edit_messages: true,
  can_delete_messages: true,
  can_manage_chat: true,
  can_promote_members: false,
  can_change_info: true,
  can_pin_messages: true,
};

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * What Telegram knows: users, chats, who is a member of what, the messages in each chat, invite
 * links and pending join requests. The bot is a user too; in every group/channel added with
 * `addChat` it starts as an administrator with full rights unless a test says otherwise.
 */
export class World {
  readonly bot: EmulatedUser;
  readonly users = new Map<number, EmulatedUser>();
  readonly chats = new Map<number, EmulatedChat>();
  readonly members = new Map<number, Map<number, EmulatedMember>>();
  readonly messagesByChat = new Map<number, StoredMessage[]>();
  readonly nextMessageId = new Map<number, number>();
  readonly inviteLinks = new Map<string, ChatInviteLinkRecord>();
  readonly joinRequests = new Map<string, PendingJoinRequest>();
  readonly blocked = new Set<number>();
  /** Open callback queries by id → answered? */
  readonly callbackQueries = new Map<string, { answered: boolean; from: number }>();
  /** setMyCommands lists by commandMenuKey(scope, chat, language). */
  readonly commands = new Map<string, unknown[]>();
  /** Photos by file_id: what sendPhoto accepts as a file_id (Telegram refuses ids it never issued). */
  readonly photos = new Map<string, StoredPhoto>();

  constructor(bot: EmulatedUser) {
    this.bot = bot;
    this.users.set(bot.id, bot);
  }

  addUser(input: {
    id: number;
    first_name: string;
    last_name?: string;
    username?: string;
    language_code?: string;
  }): EmulatedUser {
    if (!Number.isSafeInteger(input.id) || input.id <= 0)
      throw new Error(`addUser: id must be a positive integer`);
    const user: EmulatedUser = { id: input.id, is_bot: false, first_name: input.first_name };
    if (input.last_name !== undefined) user.last_name = input.last_name;
    if (input.username !== undefined) user.username = input.username;
    if (input.language_code !== undefined) user.language_code = input.language_code;
    this.users.set(user.id, user);
    return user;
  }

  /** The user with this id, created as "User <id>" when a test never declared it. */
  ensureUser(id: number): EmulatedUser {
    return this.users.get(id) ?? this.addUser({ id, first_name: `User ${id}` });
  }

  addChat(input: {
    id: number;
    type: ChatType;
    title?: string;
    username?: string;
    botStatus?: MemberStatus;
    botRights?: MemberRights;
  }): EmulatedChat {
    if (!Number.isSafeInteger(input.id) || input.id === 0)
      throw new Error(`addChat: id must be a non-zero integer`);
    if (input.type !== "private" && input.id > 0) throw new Error(`addChat: ${input.type} ids are negative`);
    const chat: EmulatedChat = { id: input.id, type: input.type };
    if (input.type === "private") {
      const user = this.ensureUser(input.id);
      chat.first_name = user.first_name;
      if (user.username !== undefined) chat.username = user.username;
    } else {
      chat.title = input.title ?? `Chat ${input.id}`;
      if (input.username !== undefined) chat.username = input.username.replace(/^@/, "");
      this.setMember(chat.id, this.bot.id, input.botStatus ?? "administrator", input.botRights);
    }
    this.chats.set(chat.id, chat);
    return chat;
  }

  /** The private chat of a user, which exists once the user has talked to the bot. */
  ensurePrivateChat(userId: number): EmulatedChat {
    return this.chats.get(userId) ?? this.addChat({ id: userId, type: "private" });
  }

  /** Resolves a chat_id parameter (number, numeric string or @username). */
  resolveChat(chatId: unknown): EmulatedChat {
    if (chatId === undefined || chatId === null || chatId === "") throw badRequest("chat_id is empty");
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      const name = chatId.slice(1).toLowerCase();
      for (const chat of this.chats.values()) {
        if (chat.type !== "private" && chat.username?.toLowerCase() === name) return chat;
      }
      throw badRequest("chat not found");
    }
    const id = typeof chatId === "number" ? chatId : Number(chatId);
    const chat = Number.isSafeInteger(id) ? this.chats.get(id) : undefined;
    if (!chat) throw badRequest("chat not found");
    return chat;
  }

  resolveUser(userId: unknown): EmulatedUser {
    const id = typeof userId === "number" ? userId : Number(userId);
    if (userId === undefined || !Number.isSafeInteger(id) || id <= 0)
      throw badRequest("invalid user_id specified");
    const user = this.users.get(id);
    if (!user) throw badRequest("user not found");
    return user;
  }

  getMember(chatId: number, userId: number): EmulatedMember {
    return this.members.get(chatId)?.get(userId) ?? { status: "left", rights: {}, until_date: 0 };
  }

  setMember(
    chatId: number,
    userId: number,
    status: MemberStatus,
    rights?: MemberRights,
    untilDate = 0,
  ): void {
    let chatMembers = this.members.get(chatId);
    if (!chatMembers) {
      chatMembers = new Map();
      this.members.set(chatId, chatMembers);
    }
    const effective =
      status === "creator"
        ? { ...ALL_ADMIN_RIGHTS, can_promote_members: true, ...rights }
        : status === "administrator"
          ? { ...(rights ?? ALL_ADMIN_RIGHTS) }
          : {};
    chatMembers.set(userId, { status, rights: effective, until_date: status === "kicked" ? untilDate : 0 });
  }

  /** A Bot API ChatMember object. */
  chatMemberObject(
    chatId: number,
    userId: number,
    member = this.getMember(chatId, userId),
  ): Record<string, unknown> {
    const user = this.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
    const chat = this.chats.get(chatId);
    switch (member.status) {
      case "creator":
        return { status: "creator", user, is_anonymous: false };
      case "administrator": {
        const rights: Record<string, boolean> = {};
        for (const key of Object.keys(ALL_ADMIN_RIGHTS)) {
          rights[key] = Boolean(member.rights[key as keyof MemberRights]);
        }
        if (chat?.type !== "channel") {
          delete rights.can_post_messages;
          delete rights.can_edit_messages;
        }
        return {
          status: "administrator",
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_delete_stories: false,
          can_edit_stories: false,
          can_post_stories: false,
          can_manage_video_chats: false,
          ...rights,
        };
      }
      case "kicked":
        return { status: "kicked", user, until_date: member.until_date };
      case "restricted":
        return {
          status: "restricted",
          user,
          is_member: true,
          can_send_messages: false,
          until_date: 0,
        };
      default:
        return { status: member.status, user };
    }
  }

  /** The short Chat object that appears inside messages and updates. */
  chatObject(chat: EmulatedChat): Record<string, unknown> {
    const out: Record<string, unknown> = { id: chat.id, type: chat.type };
    if (chat.title !== undefined) out.title = chat.title;
    if (chat.username !== undefined) out.username = chat.username;
    if (chat.first_name !== undefined) out.first_name = chat.first_name;
    if (chat.last_name !== undefined) out.last_name = chat.last_name;
    return out;
  }

  messages(chatId: number): StoredMessage[] {
    let list = this.messagesByChat.get(chatId);
    if (!list) {
      list = [];
      this.messagesByChat.set(chatId, list);
    }
    return list;
  }

  /** Stores a message with the chat's next message_id (ids increase per chat, as in Telegram). */
  storeMessage(
    chatId: number,
    fields: Omit<StoredMessage, "message_id" | "chat_id" | "deleted" | "edits" | "date">,
  ): StoredMessage {
    const id = (this.nextMessageId.get(chatId) ?? 0) + 1;
    this.nextMessageId.set(chatId, id);
    const message: StoredMessage = {
      message_id: id,
      chat_id: chatId,
      deleted: false,
      edits: [],
      date: nowSeconds(),
      ...fields,
    };
    this.messages(chatId).push(message);
    return message;
  }

  /** Registers a new photo and returns it (ids look like Telegram's: AgAC… / AQAD…). */
  newPhoto(source: string, fileSize: number): StoredPhoto {
    const photo: StoredPhoto = {
      file_id: `AgAC${randomBytes(24).toString("base64url")}`,
      file_unique_id: `AQAD${randomBytes(6).toString("base64url")}`,
      width: 1280,
      height: 720,
      file_size: fileSize,
      source,
    };
    this.photos.set(photo.file_id, photo);
    return photo;
  }

  findMessage(chatId: number, messageId: unknown): StoredMessage | undefined {
    return this.messagesByChat.get(chatId)?.find((m) => m.message_id === Number(messageId) && !m.deleted);
  }

  /** A Bot API Message object for a stored message. */
  messageObject(message: StoredMessage, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const chat = this.chats.get(message.chat_id);
    const out: Record<string, unknown> = {
      message_id: message.message_id,
      date: message.date,
      chat: chat ? this.chatObject(chat) : { id: message.chat_id, type: "private" },
    };
    // Channel posts have no sender; everything else comes from the user or the bot.
    if (chat?.type !== "channel") out.from = this.users.get(message.from_id) ?? this.bot;
    else out.sender_chat = out.chat;
    if (message.document) {
      const { content: _content, ...document } = message.document;
      out.document = document;
      if (message.plainText !== undefined) out.caption = message.plainText;
    } else if (message.photo) {
      const { source: _source, ...size } = message.photo;
      // Telegram lists several sizes (smallest first); one is enough for a bot that takes the last.
      out.photo = [size];
      if (message.plainText !== undefined && message.plainText !== "") out.caption = message.plainText;
    } else if (message.plainText !== undefined) {
      out.text = message.plainText;
    }
    if (message.edits.length > 0) out.edit_date = nowSeconds();
    // Only inline keyboards are part of a Message; reply keyboards live on the client.
    const markup = message.reply_markup as { inline_keyboard?: unknown[] } | undefined;
    if (markup && Array.isArray(markup.inline_keyboard) && markup.inline_keyboard.length > 0) {
      out.reply_markup = markup;
    }
    return Object.assign(out, extra);
  }

  isGroupLike(chat: EmulatedChat): boolean {
    return chat.type !== "private";
  }
}

/** The key of a stored command list: scope type, chat id (chat scopes), language code ("" for any). */
export function commandMenuKey(scope: string, chatId: number | undefined, language: string): string {
  return `${scope}|${chatId ?? ""}|${language}`;
}
