import { and, asc, eq, or } from "drizzle-orm";
import { channels } from "../schema/channels.ts";
import { tiers } from "../schema/tiers.ts";
import type { DbOrTx } from "../types.ts";

export type Channel = typeof channels.$inferSelect;
export type Tier = typeof tiers.$inferSelect;

export interface ChannelWithTiers {
  channel: Channel;
  /** Ordered by position. */
  tiers: Tier[];
}

/** The channel whose open or closed chat is `chatId` (updates name a chat, not our id). */
export async function findChannelByChatId(db: DbOrTx, chatId: bigint): Promise<Channel | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(or(eq(channels.openChatId, chatId), eq(channels.closedChatId, chatId)))
    .limit(1);
  return row;
}

/** A channel and its tiers (active ones only unless `includeInactive`), or undefined. */
export async function getChannelWithTiers(
  db: DbOrTx,
  channelId: number,
  options: { includeInactive?: boolean } = {},
): Promise<ChannelWithTiers | undefined> {
  const [channel] = await db.select().from(channels).where(eq(channels.id, channelId));
  if (!channel) return undefined;
  const rows = await db
    .select()
    .from(tiers)
    .where(
      options.includeInactive
        ? eq(tiers.channelId, channelId)
        : and(eq(tiers.channelId, channelId), eq(tiers.active, true)),
    )
    .orderBy(asc(tiers.position), asc(tiers.id));
  return { channel, tiers: rows };
}

/** Channels owned by a Telegram user, oldest first. */
export async function listChannelsByOwner(db: DbOrTx, ownerTelegramId: bigint): Promise<Channel[]> {
  return db
    .select()
    .from(channels)
    .where(eq(channels.ownerTelegramId, ownerTelegramId))
    .orderBy(asc(channels.id));
}
