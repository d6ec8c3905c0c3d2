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

/** Builds an OutgoingMessage from html and optional rows of URL buttons. */
export function message(body: Html, buttons?: Array<Array<{ text: string; url: string }>>): OutgoingMessage {
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
