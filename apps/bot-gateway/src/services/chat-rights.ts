import { type Api, GrammyError } from "grammy";
import type { ChatMember } from "grammy/types";

/** Which of the two channels: the public one with the tier post, or the private one sold. */
export type ChannelRole = "open" | "closed";

/** Bot rights each channel needs: post the tier post; invite, remove and post the donation post. */
export const REQUIRED_BOT_RIGHTS = {
  open: ["can_post_messages"],
  closed: ["can_invite_users", "can_restrict_members", "can_post_messages"],
} as const satisfies Record<ChannelRole, readonly string[]>;

export type BotRight = (typeof REQUIRED_BOT_RIGHTS)[ChannelRole][number];

export type RightsProblem =
  | { kind: "unreachable" }
  | { kind: "owner_not_admin" }
  | { kind: "bot_not_admin" }
  | { kind: "bot_missing_rights"; rights: BotRight[] };

/** The bot rights a member record lacks for `role` (empty when all are there). */
export function missingBotRights(member: ChatMember, role: ChannelRole): BotRight[] {
  if (member.status === "creator") return [];
  if (member.status !== "administrator") return [...REQUIRED_BOT_RIGHTS[role]];
  const granted = member as unknown as Record<string, unknown>;
  return REQUIRED_BOT_RIGHTS[role].filter((r) => granted[r] !== true);
}

/** True when the member record shows an administrator (or the creator). */
export function isAdmin(member: ChatMember): boolean {
  return member.status === "creator" || member.status === "administrator";
}

/**
 * Asks Telegram, now, whether `ownerId` administers the chat and whether the bot has the rights
 * the channel's role needs. Ownership is never taken on trust (docs/legacy-mistakes.md#lm-9).
 */
export async function checkChannelRights(
  api: Api,
  chatId: string | number,
  ownerId: number,
  botId: number,
  role: ChannelRole,
): Promise<RightsProblem | undefined> {
  let bot: ChatMember;
  try {
    bot = await api.getChatMember(chatId, botId);
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403))
      return { kind: "unreachable" };
    throw err;
  }
  if (!isAdmin(bot)) return { kind: "bot_not_admin" };
  const owner = await api.getChatMember(chatId, ownerId).catch((err: unknown) => {
    if (err instanceof GrammyError && err.error_code === 400) return undefined;
    throw err;
  });
  if (!owner || !isAdmin(owner)) return { kind: "owner_not_admin" };
  const missing = missingBotRights(bot, role);
  if (missing.length > 0) return { kind: "bot_missing_rights", rights: missing };
  return undefined;
}
