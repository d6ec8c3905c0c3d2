import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { Html } from "../html.ts";

/** A rendered message: pass `text` and `options` to sendMessage / editMessageText. */
export interface OutgoingMessage {
  text: string;
  options: {
    parse_mode: "HTML";
    reply_markup?: InlineKeyboardMarkup;
    link_preview_options?: { is_disabled: boolean };
  };
}

/** A URL button, or a button whose press the bot handles (typed data: ../callback-data.ts). */
export type MessageButton = { text: string; url: string } | { text: string; callback_data: string };

/** Builds an OutgoingMessage from html and optional rows of buttons. */
export function message(body: Html, buttons?: Array<Array<MessageButton>>): OutgoingMessage {
  const rows: InlineKeyboardButton[][] | undefined = buttons?.filter((r) => r.length > 0);
  return {
    text: body.value,
    options: {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(rows && rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}),
    },
  };
}
