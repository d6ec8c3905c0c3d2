import type { BotApiEmulator, RecordedCall, StoredMessage } from "@telepay/testing";

/**
 * Talking to the bot through the Bot API emulator as its users do — writing, forwarding, tapping
 * inline buttons — and waiting for what the bot sends back. Shared by the demo walkthrough and the
 * sandbox's seeding, so both drive the bot the same way.
 */
export interface Button {
  text: string;
  data?: string;
  url?: string;
  /** A Mini App button's page (`web_app.url`). */
  webApp?: string;
}

/** The inline buttons of a message, row after row. */
export function buttonsOf(message: StoredMessage | undefined): Button[] {
  const markup = message?.reply_markup as
    | {
        inline_keyboard?: Array<
          Array<{ text: string; callback_data?: string; url?: string; web_app?: { url: string } }>
        >;
      }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({
    text: b.text,
    ...(b.callback_data ? { data: b.callback_data } : {}),
    ...(b.url ? { url: b.url } : {}),
    ...(b.web_app ? { webApp: b.web_app.url } : {}),
  }));
}

/** The first button whose text matches `label`; throws naming the buttons there are. */
export function findButton(message: StoredMessage, label: RegExp): Button {
  const found = buttonsOf(message).find((b) => label.test(b.text));
  if (!found) {
    throw new Error(
      `no button ${label} on the message "${oneLine(message.plainText)}" (buttons: ${buttonsOf(message)
        .map((b) => b.text)
        .join(", ")})`,
    );
  }
  return found;
}

/** A message's text on one line, cut at `max` characters (for transcripts and errors). */
export function oneLine(text: string | undefined, max = 160): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The payload of a https://t.me/<bot>?start=<payload> deep link. */
export function startPayload(url: string): string {
  const payload = new URL(url).searchParams.get("start");
  if (!payload) throw new Error(`${url} is not a /start deep link`);
  return payload;
}

export const withText = (pattern: RegExp) => (m: StoredMessage) => pattern.test(m.plainText ?? "");

export interface Conversation {
  /** Calls made so far; a wait after a mark only counts calls made after it. */
  mark(): Set<RecordedCall>;
  /**
   * Waits for the bot to send or edit a message in `chatId`, after `since`, that satisfies `test`
   * (on the text a user sees, buttons included). Resolves with that message.
   */
  botMessage(
    chatId: number,
    since: Set<RecordedCall>,
    what: string,
    test: (message: StoredMessage) => boolean,
  ): Promise<StoredMessage>;
  /** A user writes to the bot (or forwards a channel post) and the bot answers with `expect`. */
  say(
    user: number,
    text: string,
    expect: RegExp,
    extra?: { forwardFromChat?: number },
  ): Promise<StoredMessage>;
  /** A user taps an inline callback button and the bot's screen becomes `expect`. */
  press(
    user: number,
    message: StoredMessage,
    label: RegExp,
    expect: (m: StoredMessage) => boolean,
    what: string,
  ): Promise<StoredMessage>;
}

/**
 * A conversation with the bot behind `tg`. `timeoutMs` says how long each wait may take (the
 * walkthrough passes what is left of its step).
 */
export function createConversation(tg: BotApiEmulator, timeoutMs: () => number): Conversation {
  const mark = () => new Set<RecordedCall>(tg.calls);

  /** The stored message (edits applied) a sendMessage/editMessageText call produced or changed. */
  function messageOf(call: RecordedCall): StoredMessage | undefined {
    const chatId = Number(call.params.chat_id);
    const id =
      call.method === "sendMessage"
        ? (call.response as { result?: { message_id?: number } }).result?.message_id
        : Number(call.params.message_id);
    return tg.messages(chatId).find((m) => m.message_id === id);
  }

  async function botMessage(
    chatId: number,
    since: Set<RecordedCall>,
    what: string,
    test: (message: StoredMessage) => boolean,
  ): Promise<StoredMessage> {
    let found: StoredMessage | undefined;
    const predicate = (call: RecordedCall) => {
      if (since.has(call) || Number(call.params.chat_id) !== chatId) return false;
      const message = messageOf(call);
      if (!message || message.from_id !== tg.botId || !test(message)) return false;
      found = message;
      return true;
    };
    const timeout = timeoutMs();
    try {
      await Promise.any(
        ["sendMessage", "editMessageText"].map((method) => tg.waitForCall(method, predicate, timeout)),
      );
    } catch {
      const recent = tg
        .messages(chatId)
        .filter((m) => m.from_id === tg.botId)
        .slice(-3)
        .map((m) => `"${oneLine(m.plainText, 120)}"`)
        .join(", ");
      throw new Error(`no ${what} in chat ${chatId} (the bot's last messages there: ${recent || "none"})`);
    }
    return found!;
  }

  return {
    mark,
    botMessage,
    async say(user, text, expect, extra = {}) {
      const since = mark();
      tg.sendUserMessage({ from: user, text, ...extra });
      return botMessage(user, since, `reply matching ${expect}`, withText(expect));
    },
    async press(user, message, label, expect, what) {
      const button = findButton(message, label);
      if (!button.data) throw new Error(`button ${button.text} is not a callback button`);
      const since = mark();
      tg.pressButton({ from: user, messageId: message.message_id, data: button.data });
      return botMessage(user, since, what, expect);
    },
  };
}
