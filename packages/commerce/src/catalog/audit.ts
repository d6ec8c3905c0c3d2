import { auditLog, type DbOrTx } from "@telepay/db";
import type { Actor } from "../deps.ts";

/** The audit row's actor columns for an actor. */
export function actorColumns(actor: Actor): { actor: string; actorTelegramId: bigint | null } {
  return { actor: actor.kind, actorTelegramId: actor.kind === "owner" ? actor.telegramId : null };
}

/** Writes one audit row inside the caller's transaction. */
export async function audit(
  tx: DbOrTx,
  actor: Actor,
  action: string,
  channelId: number | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(auditLog).values({ ...actorColumns(actor), action, channelId, details });
}
