import { GrammyError, type InlineKeyboard } from "grammy";
import type { BotContext } from "./context.ts";

/** HTML parse mode everywhere: every user- or owner-supplied value is escaped by the catalog. */
export const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/**
 * Shows a screen: edits the message a button was pressed on (one message per flow, no chat spam),
 * or sends a new one when the update is a command or plain text.
 */
export async function show(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const extra = { ...HTML, ...(keyboard ? { reply_markup: keyboard } : {}) };
  const message = ctx.callbackQuery?.message;
  if (message) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (err) {
      // A repeated tap renders the same screen again: nothing to change is not an error.
      if (isNotModified(err)) return;
      // A message too old to edit: fall through and send a fresh one.
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
    }
  }
  await ctx.reply(text, extra);
}

/** Answers a button press (stops the spinner), optionally with a toast; never fails the update. */
export async function toast(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : {}).catch(() => undefined);
}

export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /not modified/i.test(err.description);
}
