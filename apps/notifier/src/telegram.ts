import { createUsers } from "@telepay/commerce";
import {
  classifyTelegramError,
  isNotAParticipant,
  isUnremovableMember,
  type NotifierMessages,
  type OutgoingMessage,
} from "@telepay/telegram";
import type { Ctx } from "./context.ts";
import { textsFor } from "./locale.ts";

/** A message, or how to write it given the recipient's texts (then it is in their language). */
export type Letter = OutgoingMessage | ((m: NotifierMessages) => OutgoingMessage);

/** Thrown for Telegram failures worth retrying later (after the sender's own retries). */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
}

/**
 * DMs a user. "unreachable" when they blocked the bot or never started it (recorded on the user,
 * never retried); a transient failure throws RetryLaterError; other permanent failures throw.
 */
export async function dm(ctx: Ctx, userId: bigint | string, letter: Letter): Promise<"sent" | "unreachable"> {
  const msg = typeof letter === "function" ? letter(await textsFor(ctx, userId)) : letter;
  try {
    await ctx.api.sendMessage(String(userId), msg.text, msg.options);
    return "sent";
  } catch (err) {
    const kind = classifyTelegramError(err);
    if (kind === "blocked" || kind === "chat_not_found") {
      await createUsers({ db: ctx.db }).markBotBlocked(BigInt(userId));
      return "unreachable";
    }
    throw asRetryable(err);
  }
}

/** DM that must not fail the caller (courtesy notices): failures are logged only. */
export async function dmBestEffort(ctx: Ctx, userId: bigint | string, msg: Letter): Promise<void> {
  try {
    await dm(ctx, userId, msg);
  } catch (err) {
    ctx.log.warn({ userId: String(userId), err: describe(err) }, "courtesy DM not delivered");
  }
}

/** Wraps transient Telegram failures in RetryLaterError; returns others unchanged. */
export function asRetryable(err: unknown): unknown {
  const kind = classifyTelegramError(err);
  if (kind === "transient" || kind === "rate_limited")
    return new RetryLaterError(describe(err), { cause: err });
  return err;
}

const IN_CHAT = new Set(["creator", "administrator", "member"]);

/** Is the user in the chat right now? */
export async function isMember(ctx: Ctx, chatId: bigint, userId: bigint): Promise<boolean> {
  try {
    const m = await ctx.api.getChatMember(String(chatId), Number(userId));
    return IN_CHAT.has(m.status) || (m.status === "restricted" && m.is_member);
  } catch (err) {
    if (isNotAParticipant(err)) return false;
    throw asRetryable(err);
  }
}

export type RemovalOutcome = "removed" | "not_member" | "not_removable";

/**
 * Removes a user from a chat: ban, then unban with only_if_banned (without it, unban would also
 * kick a current member; with it, the user may rejoin later with a new invite). Someone who already
 * left is not touched. Throws on failure (RetryLaterError when transient).
 */
export async function removeMember(ctx: Ctx, chatId: bigint, userId: bigint): Promise<RemovalOutcome> {
  if (!(await isMember(ctx, chatId, userId))) return "not_member";
  try {
    await ctx.api.banChatMember(String(chatId), Number(userId));
    await ctx.api.unbanChatMember(String(chatId), Number(userId), { only_if_banned: true });
    return "removed";
  } catch (err) {
    if (isUnremovableMember(err)) return "not_removable";
    if (isNotAParticipant(err)) return "not_member";
    throw asRetryable(err);
  }
}

/**
 * Telegram's own words for a refusal ("Bad Request: chat not found (sendMessage)"), without grammY's
 * "Call to … failed!" wrapping; other errors as describe() gives them. Recorded as event outcomes.
 */
export function telegramReason(err: unknown): string {
  // Duck-typed like the classifier: a GrammyError from another copy of grammY is still one.
  const e = err as { description?: unknown; method?: unknown; error_code?: unknown };
  if (err instanceof Error && typeof e.description === "string" && typeof e.error_code === "number") {
    return `${e.description}${typeof e.method === "string" ? ` (${e.method})` : ""}`.slice(0, 300);
  }
  return describe(err);
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 300);
  return String(err).slice(0, 300);
}
