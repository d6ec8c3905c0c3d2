import {
  BROADCAST_AUDIENCES,
  type BroadcastAudience,
  broadcastDeliveries,
  broadcasts,
  channels,
  type DbOrTx,
} from "@telepay/db";
import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import { audit } from "./catalog/audit.ts";
import { actOn } from "./catalog/channels.ts";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError, CommerceErrorCode } from "./errors.ts";
import { loadEvents } from "./lazy-events.ts";

/** A broadcast row. */
export type Broadcast = typeof broadcasts.$inferSelect;

/** The longest owner text: Telegram's message limit minus room for the channel title line. */
export const MAX_BROADCAST_TEXT = 3800;
/** The longest caption under a photo (Telegram allows 1024 with the title line). */
export const MAX_BROADCAST_CAPTION = 900;
/** The window the per-channel limit counts in. */
const LIMIT_WINDOW_MS = 24 * 3_600_000;

/** A broadcast with its per-recipient tally. */
export interface BroadcastStatus extends Broadcast {
  pending: number;
  sent: number;
  failed: number;
  cancelled: number;
}

const invalid = (field: string, message: string, reason?: string) =>
  new CommerceError(CommerceErrorCode.INVALID, message, { field, ...(reason ? { reason } : {}) });

/**
 * THE audience rule (preview count and recipient rows use the same SQL):
 * - active: subscriptions of the channel with status active (including those in their grace period);
 * - expired: subscriptions that lapsed (status expired; revoked ones were removed on purpose);
 * - all: everyone who ever paid this channel (a finished order) or held a subscription, except revoked.
 */
function audienceSql(channelId: number, audience: BroadcastAudience) {
  switch (audience) {
    case "active":
      return sql`select user_id from subscriptions where channel_id = ${channelId} and status = 'active'`;
    case "expired":
      return sql`select user_id from subscriptions where channel_id = ${channelId} and status = 'expired'`;
    case "all":
      return sql`select user_id from subscriptions where channel_id = ${channelId} and status <> 'revoked'
        union select user_id from orders where channel_id = ${channelId} and status = 'finished'`;
  }
}

async function countAudience(tx: DbOrTx, channelId: number, audience: BroadcastAudience): Promise<number> {
  const rows = (await tx.execute(
    sql`select count(*)::int as n from (${audienceSql(channelId, audience)}) a`,
  )) as unknown as { n: number }[] | { rows: { n: number }[] };
  const list = Array.isArray(rows) ? rows : rows.rows;
  return Number(list[0]?.n ?? 0);
}

/** Checks an audience name from a person (CLI flag, bot button). */
export function parseAudience(value: string): BroadcastAudience {
  if (!(BROADCAST_AUDIENCES as readonly string[]).includes(value))
    throw invalid("audience", `audience must be one of ${BROADCAST_AUDIENCES.join(", ")}, got '${value}'`);
  return value as BroadcastAudience;
}

/**
 * Owner broadcasts: preview (recipient count), create (recipients fixed at creation, the notifier
 * delivers them: apps/notifier/src/broadcasts.ts), status and cancel. The owner's text is stored
 * as typed and escaped wherever it is rendered.
 */
export function createBroadcasts(deps: CommerceDeps) {
  const core = coreOf(deps);

  async function tallied(tx: DbOrTx, b: Broadcast): Promise<BroadcastStatus> {
    const rows = await tx
      .select({ status: broadcastDeliveries.status, n: count() })
      .from(broadcastDeliveries)
      .where(eq(broadcastDeliveries.broadcastId, b.id))
      .groupBy(broadcastDeliveries.status);
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    return {
      ...b,
      pending: (by.pending ?? 0) + (by.sending ?? 0),
      sent: by.sent ?? 0,
      failed: by.failed ?? 0,
      cancelled: by.cancelled ?? 0,
    };
  }

  async function owned(tx: DbOrTx, actor: Actor, id: number): Promise<Broadcast> {
    const [b] = await tx.select().from(broadcasts).where(eq(broadcasts.id, id));
    if (!b) throw new CommerceError(CommerceErrorCode.NOT_FOUND, `no broadcast with id ${id}`);
    await actOn(tx, b.channelId, actor);
    return b;
  }

  return {
    /** How many people a broadcast to `audience` would reach now (the preview). */
    async preview(actor: Actor, channelId: number, audience: BroadcastAudience): Promise<number> {
      await actOn(core.db, channelId, actor);
      return countAudience(core.db, channelId, parseAudience(audience));
    },

    /**
     * Creates a broadcast and its recipient rows in one transaction with its broadcast.requested
     * event and audit (`broadcast.created`). Refuses: empty or too long text, an unknown audience,
     * nobody to send to (`no_recipients`), more than `limitPerDay` broadcasts of the channel in 24
     * hours (`daily_limit`, counted under the channel's row lock so two at once cannot both pass),
     * another owner's channel.
     */
    async create(
      actor: Actor,
      input: {
        channelId: number;
        text: string;
        photoFileId?: string | null;
        audience: BroadcastAudience;
        limitPerDay: number;
      },
    ): Promise<BroadcastStatus> {
      const text = input.text.trim();
      const photo = input.photoFileId?.trim() || null;
      const max = photo ? MAX_BROADCAST_CAPTION : MAX_BROADCAST_TEXT;
      if (text === "" && !photo) throw invalid("text", "the message is empty");
      if (text.length > max) throw invalid("text", `the message is longer than ${max} characters`);
      if (photo !== null && !/^[A-Za-z0-9_-]{10,200}$/.test(photo))
        throw invalid("photoFileId", "not a Telegram photo file id");
      const audience = parseAudience(input.audience);
      const now = core.now();
      const { enqueue, TOPICS } = await loadEvents();
      const created = await core.db.transaction(async (tx) => {
        const channel = await actOn(tx, input.channelId, actor);
        await tx.select({ id: channels.id }).from(channels).where(eq(channels.id, channel.id)).for("update");
        const [recent] = await tx
          .select({ n: count() })
          .from(broadcasts)
          .where(
            and(
              eq(broadcasts.channelId, channel.id),
              gt(broadcasts.createdAt, new Date(now.getTime() - LIMIT_WINDOW_MS)),
            ),
          );
        if (Number(recent?.n ?? 0) >= input.limitPerDay)
          throw new CommerceError(
            CommerceErrorCode.CONFLICT,
            `channel ${channel.id} already sent ${input.limitPerDay} broadcast(s) in the last 24 hours`,
            { reason: "daily_limit", limit: input.limitPerDay },
          );
        const [b] = await tx
          .insert(broadcasts)
          .values({
            channelId: channel.id,
            requestedBy: actor.kind === "owner" ? actor.telegramId : channel.ownerTelegramId,
            text,
            photoFileId: photo,
            audience,
            // Recipients are fixed here, so the notifier skips its own selection.
            status: "sending",
            createdAt: now,
          })
          .returning();
        await tx.execute(sql`
          insert into ${broadcastDeliveries} (broadcast_id, user_id)
          select ${b!.id}, a.user_id from (${audienceSql(channel.id, audience)}) a
          on conflict do nothing`);
        const [{ n } = { n: 0 }] = await tx
          .select({ n: count() })
          .from(broadcastDeliveries)
          .where(eq(broadcastDeliveries.broadcastId, b!.id));
        if (Number(n) === 0)
          throw new CommerceError(CommerceErrorCode.INVALID, "nobody to send this to in that audience", {
            field: "audience",
            reason: "no_recipients",
          });
        const [row] = await tx
          .update(broadcasts)
          .set({ total: Number(n) })
          .where(eq(broadcasts.id, b!.id))
          .returning();
        const eventId = await enqueue(tx, TOPICS.broadcastRequested, {
          broadcastId: b!.id,
          channelId: channel.id,
        });
        await audit(tx, actor, "broadcast.created", channel.id, {
          broadcastId: b!.id,
          audience,
          recipients: Number(n),
          photo: photo !== null,
          eventId,
        });
        return row!;
      });
      core.enqueued();
      return { ...created, pending: created.total, sent: 0, failed: 0, cancelled: 0 };
    },

    /** A broadcast with its tally (sent, failed, pending, cancelled). */
    async status(actor: Actor, id: number): Promise<BroadcastStatus> {
      return tallied(core.db, await owned(core.db, actor, id));
    },

    /**
     * Stops a running broadcast: recipients not yet claimed are marked cancelled (the notifier only
     * claims pending rows); messages already on their way finish. Audit `broadcast.cancelled`.
     * A finished or cancelled broadcast → CONFLICT.
     */
    async cancel(actor: Actor, id: number): Promise<BroadcastStatus> {
      const now = core.now();
      return core.db.transaction(async (tx) => {
        const b = await owned(tx, actor, id);
        const [row] = await tx
          .update(broadcasts)
          .set({ status: "cancelled", finishedAt: now })
          .where(and(eq(broadcasts.id, id), inArray(broadcasts.status, ["pending", "sending"])))
          .returning();
        if (!row)
          throw new CommerceError(CommerceErrorCode.CONFLICT, `broadcast ${id} is already ${b.status}`);
        await tx
          .update(broadcastDeliveries)
          .set({ status: "cancelled" })
          .where(and(eq(broadcastDeliveries.broadcastId, id), eq(broadcastDeliveries.status, "pending")));
        await audit(tx, actor, "broadcast.cancelled", b.channelId, { broadcastId: id });
        return tallied(tx, row);
      });
    },
  };
}
export type Broadcasts = ReturnType<typeof createBroadcasts>;
