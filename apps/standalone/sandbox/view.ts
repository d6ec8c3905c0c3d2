import type { BotApiEmulator, StoredMessage } from "@telepay/testing";
import { CLOSED, OPEN, OWNER, SUBSCRIBER } from "../demo/story.ts";
import { renderTelegramText, safeHttpUrl } from "./render.ts";

/** The two people a newcomer plays, by the name the page and its API use for them. */
export const PEOPLE = {
  owner: { ...OWNER, label: "Channel owner" },
  subscriber: { ...SUBSCRIBER, label: "Subscriber" },
} as const;
export type Role = keyof typeof PEOPLE;
export const ROLES = Object.keys(PEOPLE) as Role[];

/** The two channels of the story. */
export const CHANNELS = {
  open: { ...OPEN, label: "Public channel" },
  closed: { ...CLOSED, label: "Closed channel", username: undefined },
} as const;

/** The role of a Telegram user id, if it is one of the two people. */
export function roleOf(userId: number): Role | undefined {
  return ROLES.find((role) => PEOPLE[role].id === userId);
}

/** What a button does when a person taps it here. */
export type ButtonAction =
  | { kind: "callback"; data: string }
  | { kind: "start"; payload: string }
  | { kind: "join"; inviteLink: string }
  | { kind: "open"; href: string }
  | { kind: "inert" };

interface RawButton {
  text?: unknown;
  callback_data?: unknown;
  url?: unknown;
}

/**
 * Decides what tapping a button means, as a Telegram app would: a callback button sends a
 * callback query; a link to this bot with ?start= opens the chat with /start <payload>; an invite
 * link the emulator knows asks to join; any other http(s) link opens in a browser tab (the
 * NOWPayments invoice opens the emulated checkout that way); anything else does nothing here.
 */
export function buttonAction(button: RawButton, tg: BotApiEmulator): ButtonAction {
  if (typeof button.callback_data === "string") return { kind: "callback", data: button.callback_data };
  if (typeof button.url !== "string") return { kind: "inert" };
  const href = safeHttpUrl(button.url);
  if (!href) return { kind: "inert" };
  const url = new URL(href);
  if (url.hostname === "t.me" || url.hostname === "telegram.me") {
    const start = url.searchParams.get("start");
    if (url.pathname.slice(1).toLowerCase() === tg.botUsername.toLowerCase() && start !== null) {
      return /^[A-Za-z0-9_-]{1,64}$/.test(start) ? { kind: "start", payload: start } : { kind: "inert" };
    }
    const invite = tg.inviteLinks().find((l) => l.invite_link === button.url);
    if (invite) return { kind: "join", inviteLink: invite.invite_link };
  }
  return { kind: "open", href };
}

export interface ButtonView {
  text: string;
  kind: ButtonAction["kind"];
  /** Only for "open": where the link goes. */
  href?: string;
}

export interface MessageView {
  id: number;
  /** Sent by the bot (as opposed to the person). */
  fromBot: boolean;
  /** Safe HTML (see renderTelegramText). */
  html: string;
  document?: string;
  /** The channel a person's message was forwarded from. */
  forwardedFrom?: string;
  buttons: ButtonView[][];
  edited: boolean;
  /** HH:MM, local time. */
  time: string;
}

export interface PersonView {
  role: Role;
  label: string;
  id: number;
  name: string;
  username: string;
  messages: MessageView[];
}

export interface ChannelView {
  role: keyof typeof CHANNELS;
  label: string;
  id: number;
  title: string;
  username: string | undefined;
  posts: MessageView[];
  members: Array<{ name: string; status: string; bot: boolean }>;
  joinRequests: string[];
}

export interface SandboxState {
  revision: number;
  bot: { username: string };
  people: PersonView[];
  channels: ChannelView[];
}

/** The inline keyboard of a stored message. */
export function keyboardOf(message: StoredMessage): RawButton[][] {
  const rows = (message.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  return Array.isArray(rows) ? rows.map((row) => (Array.isArray(row) ? (row as RawButton[]) : [])) : [];
}

function messageView(message: StoredMessage, tg: BotApiEmulator): MessageView {
  const view: MessageView = {
    id: message.message_id,
    fromBot: message.from_id === tg.botId,
    html: renderTelegramText(message.text, message.parse_mode),
    buttons: keyboardOf(message).map((row) =>
      row.map((button) => {
        const action = buttonAction(button, tg);
        return {
          text: typeof button.text === "string" ? button.text : "",
          kind: action.kind,
          ...(action.kind === "open" ? { href: action.href } : {}),
        };
      }),
    ),
    edited: message.edits.length > 0,
    time: new Date(message.date * 1000).toTimeString().slice(0, 5),
  };
  if (message.document) view.document = message.document.file_name;
  if (message.forwardedFromChatId !== undefined) {
    view.forwardedFrom =
      Object.values(CHANNELS).find((ch) => ch.id === message.forwardedFromChatId)?.title ??
      `chat ${message.forwardedFromChatId}`;
  }
  return view;
}

const visible = (tg: BotApiEmulator, chatId: number) =>
  tg
    .messages(chatId)
    .filter((m) => !m.deleted)
    .map((m) => messageView(m, tg));

/** Everything the page shows, read from the emulator: both people's chats and both channels. */
export function sandboxState(tg: BotApiEmulator): SandboxState {
  return {
    revision: tg.revision,
    bot: { username: tg.botUsername },
    people: ROLES.map((role) => {
      const person = PEOPLE[role];
      return {
        role,
        label: person.label,
        id: person.id,
        name: person.first_name,
        username: person.username,
        messages: visible(tg, person.id),
      };
    }),
    channels: (Object.keys(CHANNELS) as Array<keyof typeof CHANNELS>).map((role) => {
      const channel = CHANNELS[role];
      return {
        role,
        label: channel.label,
        id: channel.id,
        title: channel.title,
        username: channel.username,
        posts: visible(tg, channel.id),
        members: tg
          .chatMembers(channel.id)
          .filter((m) => m.status !== "left")
          .map((m) => ({ name: m.user.first_name, status: m.status, bot: m.user.is_bot })),
        joinRequests: tg
          .pendingJoinRequests(channel.id)
          .map(
            (r) =>
              ROLES.map((k) => PEOPLE[k]).find((p) => p.id === r.user_id)?.first_name ?? `User ${r.user_id}`,
          ),
      };
    }),
  };
}
