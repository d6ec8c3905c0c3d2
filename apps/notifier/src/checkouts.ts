import {
  CHECKOUT_FINAL_STATUSES,
  checkoutTexts,
  isMessageNotModified,
  isMessageToEditNotFound,
  isRetryableTelegramError,
  translate,
} from "@telepay/telegram";
import type { Ctx } from "./context.ts";
import { userLocale } from "./locale.ts";
import { describe } from "./telegram.ts";

/** What one pass over checkout messages did. */
export interface CheckoutRefresh {
  edited: number;
  /** Messages that cannot be edited any more (deleted, chat gone): recorded as shown, never retried. */
  gone: number;
  /** Transient failures: left as they are, the next re-drive tries again. */
  later: number;
}

/**
 * Edits the status of direct-mode checkout messages (SETTLEMENT=direct, docs/settlement.md) into the
 * message the payer got: waiting → confirming → finished / expired / partially paid… The database
 * says which messages show an old status (commerce checkouts.staleMessages), so a lost event, a
 * restart or another instance never leaves one behind: the re-drive finds it. Two workers editing
 * the same message at once record it once (markShown is guarded by the status it replaced).
 */
export async function refreshCheckouts(
  ctx: Ctx,
  options: { orderIds?: readonly number[]; limit?: number } = {},
): Promise<CheckoutRefresh> {
  const result: CheckoutRefresh = { edited: 0, gone: 0, later: 0 };
  const stale = await ctx.core.checkouts.staleMessages(options);
  for (const { checkout, status, order, channel } of stale) {
    if (checkout.chatId === null || checkout.messageId === null) continue;
    const locale = await userLocale(ctx, order.userId);
    const caption = checkoutTexts(locale).caption({
      title: channel.closedTitle || channel.openTitle,
      price: order,
      checkout,
      status,
    });
    // The status button stays while there is something to wait for; a settled checkout has none.
    const keyboard = CHECKOUT_FINAL_STATUSES.has(status)
      ? { inline_keyboard: [] }
      : {
          inline_keyboard: [
            [{ text: translate(locale, "b-check-status"), callback_data: `ost:${order.reference}` }],
          ],
        };
    try {
      await ctx.api.editMessageCaption(String(checkout.chatId), checkout.messageId, {
        caption,
        parse_mode: "HTML",
        reply_markup: keyboard,
      });
      result.edited++;
    } catch (err) {
      if (isMessageNotModified(err)) {
        result.edited++;
      } else if (isMessageToEditNotFound(err) || !isRetryableTelegramError(err)) {
        // Deleted by the payer, or the chat is gone: nothing to edit, ever. Not retried.
        result.gone++;
        ctx.log.info(
          { checkoutId: checkout.id, err: describe(err) },
          "checkout message can no longer be edited",
        );
      } else {
        result.later++;
        ctx.log.warn(
          { checkoutId: checkout.id, err: describe(err) },
          "checkout message not edited; will retry",
        );
        continue;
      }
    }
    await ctx.core.checkouts.markShown(checkout.id, checkout.shownStatus, status);
  }
  return result;
}
