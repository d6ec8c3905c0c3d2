import { GrammyError, HttpError } from "grammy";

/**
 * What a failed Bot API call means for the caller:
 * - `blocked`: the user blocked the bot, deleted their account, or never started it; DMs cannot reach them.
 * - `chat_not_found`: the chat or user does not exist for this bot (wrong id, bot removed from the chat).
 * - `not_enough_rights`: the bot lacks an admin right it needs (invite, ban, post, edit).
 * - `bad_request`: any other 4xx: our request is wrong or the state moved on (message to edit is gone, ...).
 * - `rate_limited`: 429 that outlasted the sender's retries.
 * - `transient`: 5xx or a network failure/timeout that outlasted the sender's retries; try again later.
 *
 * Only `rate_limited` and `transient` are worth retrying; everything else is permanent.
 */
export type TelegramErrorKind =
  | "blocked"
  | "chat_not_found"
  | "not_enough_rights"
  | "bad_request"
  | "rate_limited"
  | "transient";

const BLOCKED = [
  "bot was blocked by the user",
  "user is deactivated",
  "bot can't initiate conversation",
  "bot can't send messages to bots",
];
const CHAT_NOT_FOUND = [
  "chat not found",
  "user not found",
  "bot was kicked",
  "bot is not a member",
  "group chat was upgraded",
  "chat_id is empty",
  "peer_id_invalid",
  "channel_private",
];
const NO_RIGHTS = [
  "not enough rights",
  "need administrator rights",
  "chat_admin_required",
  "have no rights",
  "method is available only for supergroups",
  "can_invite_users",
];

/** Classifies a failure by its Bot API error code and description (grammY `GrammyError`/`HttpError`). */
export function classifyTelegramError(err: unknown): TelegramErrorKind {
  if (err instanceof HttpError) return "transient";
  const api = asApiError(err);
  if (!api) return "transient";
  return classifyApiError(api.error_code, api.description);
}

/** Same classification from the raw `error_code` and `description` of an `{ ok: false }` answer. */
export function classifyApiError(code: number, description: string): TelegramErrorKind {
  const text = description.toLowerCase();
  if (code === 429) return "rate_limited";
  if (code >= 500) return "transient";
  if (BLOCKED.some((s) => text.includes(s))) return "blocked";
  if (NO_RIGHTS.some((s) => text.includes(s))) return "not_enough_rights";
  if (CHAT_NOT_FOUND.some((s) => text.includes(s))) return "chat_not_found";
  if (code === 403) return "blocked";
  return "bad_request";
}

/** True for the kinds a caller should retry later (redelivery, next sweep). */
export function isRetryableTelegramError(err: unknown): boolean {
  const kind = classifyTelegramError(err);
  return kind === "transient" || kind === "rate_limited";
}

/**
 * A refusal by the Bot API that no retry can change (400 chat not found / bad request, 403
 * forbidden, missing rights): dead-letter it at once with Telegram's reason instead of redelivering
 * it until the attempts run out. Network failures, 5xx and 429 are not permanent.
 */
export function isPermanentTelegramError(err: unknown): boolean {
  return asApiError(err) !== undefined && !isRetryableTelegramError(err);
}

/** "message to edit not found" (a deleted channel post): the caller re-creates it. */
export function isMessageToEditNotFound(err: unknown): boolean {
  const api = asApiError(err);
  return (
    api !== undefined &&
    api.error_code === 400 &&
    /message to edit not found|message_id_invalid/i.test(api.description)
  );
}

/** "message is not modified": an edit with identical content, which is success for our purposes. */
export function isMessageNotModified(err: unknown): boolean {
  const api = asApiError(err);
  return api !== undefined && api.error_code === 400 && /message is not modified/i.test(api.description);
}

/** Ban/unban/getChatMember on someone who is not (or no longer) in the chat. */
export function isNotAParticipant(err: unknown): boolean {
  const api = asApiError(err);
  return (
    api !== undefined &&
    api.error_code === 400 &&
    /user_not_participant|participant_id_invalid|member not found|user not found|not a member/i.test(
      api.description,
    )
  );
}

function asApiError(err: unknown): { error_code: number; description: string } | undefined {
  if (err instanceof GrammyError) return { error_code: err.error_code, description: err.description };
  if (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { error_code?: unknown }).error_code === "number" &&
    typeof (err as { description?: unknown }).description === "string"
  ) {
    return err as { error_code: number; description: string };
  }
  return undefined;
}

/** Ban/unban refused because the user is the chat's owner or an administrator: removing them is not possible. */
export function isUnremovableMember(err: unknown): boolean {
  const api = asApiError(err);
  return (
    api !== undefined &&
    api.error_code === 400 &&
    /can't remove chat owner|user is an administrator/i.test(api.description)
  );
}
