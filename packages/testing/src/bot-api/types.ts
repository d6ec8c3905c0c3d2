/** Public types of the Bot API emulator. Shapes follow https://core.telegram.org/bots/api. */

export type ChatType = "private" | "channel" | "supergroup" | "group";
export type MemberStatus = "creator" | "administrator" | "member" | "left" | "kicked" | "restricted";

export interface MemberRights {
  can_invite_users?: boolean;
  can_restrict_members?: boolean;
  can_post_messages?: boolean;
  can_edit_messages?: boolean;
  can_delete_messages?: boolean;
  can_manage_chat?: boolean;
  can_promote_members?: boolean;
  can_change_info?: boolean;
  can_pin_messages?: boolean;
}

export interface EmulatedUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface EmulatedChat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface EmulatedMember {
  status: MemberStatus;
  rights: MemberRights;
  /** Unix seconds; 0 = forever (only meaningful for "kicked"). */
  until_date: number;
}

/** A Bot API failure a test wants the next call(s) to see. */
export type Failure =
  | { kind: "429"; retryAfter: number }
  | { kind: "5xx"; status?: 500 | 502 }
  /** A permanent refusal, e.g. { code: 400, description: "Bad Request: chat not found" }. */
  | { kind: "api"; code: 400 | 403; description: string }
  /** The answer is delayed by `ms` and then the call is carried out normally (a slow Telegram). */
  | { kind: "timeout"; ms: number };

export interface LimitOptions {
  /** Sends per second across all chats (Telegram: ~30). */
  globalPerSecond?: number;
  /** Sends per second to one chat (Telegram: ~1). */
  perChatPerSecond?: number;
  /**
   * How many sends to one chat may arrive inside one second before 429. Defaults to
   * `perChatPerSecond` (strict). Telegram tolerates short bursts; set e.g. 3 to mimic that.
   */
  perChatBurst?: number;
  /** Sends per minute to one group, supergroup or channel (Telegram: 20). */
  perGroupPerMinute?: number;
}

export interface BotApiEmulatorOptions {
  /** Default "123456:TEST-TOKEN". */
  token?: string;
  /** Default "telepay_test_bot". */
  botUsername?: string;
  /** Default: the numeric part of the token. */
  botId?: number;
  /** Opt-in enforcement of Telegram's flood limits (answers 429 with a realistic retry_after). */
  enforceLimits?: boolean | LimitOptions;
  /** Webhook redelivery back-off after a non-2xx answer or network error. Default 50 ms doubling to 1 s. */
  webhookRetry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long one webhook POST may take before it counts as failed. Default 10 s. */
  webhookTimeoutMs?: number;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** The JSON body that was answered. */
  response: unknown;
  ok: boolean;
}

export interface MessageEdit {
  text?: string;
  parse_mode?: string;
  reply_markup?: unknown;
  at: number;
}

export interface StoredDocument {
  file_id: string;
  file_unique_id: string;
  file_name: string;
  mime_type?: string;
  file_size: number;
  /** The uploaded bytes decoded as UTF-8 (for a file_id/URL reference: the reference). */
  content: string;
}

/** A photo Telegram holds: the largest size of a Message's `photo` array. */
export interface StoredPhoto {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
  /** For an upload: its file name and byte count; for a URL: the URL. */
  source: string;
}

export interface StoredMessage {
  message_id: number;
  chat_id: number;
  /** Who sent it: the bot's id for messages the bot sent, else the user's id. */
  from_id: number;
  /** The text (or caption) exactly as sent, markup included. */
  text: string | undefined;
  /** The text as a user sees it (HTML tags stripped, entities decoded). */
  plainText: string | undefined;
  parse_mode: string | undefined;
  reply_markup: unknown;
  document?: StoredDocument;
  photo?: StoredPhoto;
  /** For a user's message forwarded from a channel: that channel's id (forward_origin). */
  forwardedFromChatId?: number;
  deleted: boolean;
  edits: MessageEdit[];
  date: number;
}

export interface ChatInviteLinkRecord {
  invite_link: string;
  chat_id: number;
  creator: EmulatedUser;
  creates_join_request: boolean;
  is_primary: boolean;
  is_revoked: boolean;
  name?: string;
  expire_date?: number;
  member_limit?: number;
  /** Users who joined through it. */
  joined: number[];
}

export interface PendingJoinRequest {
  chat_id: number;
  user_id: number;
  invite_link?: string;
  date: number;
}

export interface WebhookDelivery {
  update_id: number;
  at: number;
  /** HTTP status, or 0 when the request failed (connection refused, timeout). */
  status: number;
  error?: string;
}

// Minimal Update/Message shapes the emulator produces. Tests usually treat them as opaque.
export type Update = { update_id: number } & Record<string, unknown>;

export interface SendUserMessageInput {
  from: number;
  /** The text, or with `photo` the caption ("" for none). */
  text: string;
  /**
   * Send a photo (the text becomes its caption). `true` makes a new photo whose file_id the bot
   * can then send with sendPhoto; a string reuses that file_id. Read it back from
   * `update.message.photo` or {@link StoredMessage.photo}.
   */
  photo?: true | string;
  /** Defaults to the user's private chat with the bot. */
  chatId?: number;
  /** Simulate a message forwarded from this channel (sets forward_origin of type "channel"). */
  forwardFromChat?: number;
  /** message_id of the original channel post, for forwardFromChat. Default 1. */
  forwardFromMessageId?: number;
}

export interface PressButtonInput {
  from: number;
  messageId: number;
  /** Defaults to the user's private chat. */
  chatId?: number;
  data: string;
}

export interface JoinRequestInput {
  from: number;
  chatId: number;
  /** The invite link (string) the user followed; must be a join-request link of that chat. */
  inviteLink?: string;
}

export interface MyChatMemberInput {
  chatId: number;
  oldStatus: MemberStatus;
  newStatus: MemberStatus;
  /** Who changed the bot's status. Defaults to the chat's creator or a synthetic admin. */
  from?: number;
  rights?: MemberRights;
}

export interface ChatMemberInput {
  chatId: number;
  userId: number;
  newStatus: MemberStatus;
  /** Defaults to the stored status ("left" when unknown). */
  oldStatus?: MemberStatus;
  from?: number;
  rights?: MemberRights;
}
