import { auditLog, type Db, tiers } from "@telepay/db";
import { enqueue, TOPICS } from "@telepay/events";
import { and, eq } from "drizzle-orm";
import { parseTiers, type TierDraft } from "../onboarding-state.ts";

/** A plan as the dashboard sends it. */
export interface TierInput {
  label: string;
  price: string;
  days: number;
}

/**
 * Checks plans from the dashboard with the bot's own rules (the /mychannels text editor's parser,
 * so both ways of editing accept exactly the same plans). Returns the refusal or the drafts.
 */
export function checkTiers(
  input: readonly TierInput[],
): { ok: true; value: TierDraft[] } | { ok: false; error: string } {
  const lines = input.map(
    (x) => `${String(x.price).trim()}:${x.days}:${String(x.label).replace(/\s+/g, " ").trim()}`,
  );
  if (lines.length === 0) return parseTiers("");
  return parseTiers(lines.join("\n"));
}

/**
 * Replaces a channel's active plans as the /mychannels editor does: old rows are kept inactive (past
 * orders keep naming what was bought), the change is audited, and the tier post is republished
 * through `channel.publish_requested`, all in one transaction.
 * TODO(h-core-catalog): call `commerce.tiers.replace` once it is on main.
 */
export async function replaceTiers(
  db: Db,
  change: { channelId: number; ownerId: bigint; tiers: readonly TierDraft[]; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(tiers)
      .set({ active: false, updatedAt: change.now })
      .where(and(eq(tiers.channelId, change.channelId), eq(tiers.active, true)));
    await tx.insert(tiers).values(
      change.tiers.map((tier, i) => ({
        channelId: change.channelId,
        position: i + 1,
        price: tier.price,
        currency: "USD",
        durationDays: tier.days,
        label: tier.label,
      })),
    );
    await tx.insert(auditLog).values({
      actor: "owner",
      actorTelegramId: change.ownerId,
      action: "channel.tiers_changed",
      channelId: change.channelId,
      details: { tiers: change.tiers, via: "dashboard" },
    });
    await enqueue(tx, TOPICS.channelPublishRequested, {
      channelId: change.channelId,
      kinds: ["tiers"],
      requestedBy: "owner",
    });
  });
}
