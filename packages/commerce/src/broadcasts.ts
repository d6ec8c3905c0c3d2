import {
  BROADCAST_AUDIENCES,
  type BroadcastAudience,
  broadcastDeliveries,
  broadcasts,
  channels,
  type DbOrTx,
} from "@telepay/db";
import { and, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
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
  /** Not delivered because the recipient blocked the bot or is gone (part of `failed`). */
  blocked: number;
  failed: number;
  cancelled: number;
}

/** Per-recipient counts of one broadcast (`blocked` is the part of `failed` Telegram refused for good). */
export interface BroadcastTally {
  pending: number;
  sending: number;
  sent: number;
  blocked: number;
  failed: number;
  cancelled: number;
}

/** Delivery errors that mean "this person cannot be reached" rather than "something went wrong". */
const UNREACHABLE = ["blocked", "chat_not_found"];

/**
 * THE tally of a broadcast's recipients (the CLI status, the bot's and the notifier's progress
 * message all read it).
 */
export async function tallyBroadcast(tx: DbOrTx, broadcastId: number): Promise<BroadcastTally> {
  const rows = await tx
    .select({ status: broadcastDeliveries.status, error: broadcastDeliveries.error, n: count() })
    .from(broadcastDeliveries)
    .where(eq(broadcastDeliveries.broadcastId, broadcastId))
    .groupBy(broadcastDeliveries.status, broadcastDeliveries.error);
  const t: BroadcastTally = { pending: 0, sending: 0, sent: 0, blocked: 0, failed: 0, cancelled: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.status === "failed" && r.error !== null && UNREACHABLE.includes(r.error)) t.blocked += n;
    if (r.status in t) t[r.status as keyof BroadcastTally] += n;
  }
  return t;
}

/** How many broadcasts a channel started in the 24 hours before `now` (what the daily limit counts). */
async function startedToday(tx: DbOrTx, channelId: number, now: Date): Promise<number> {
  const [recent] = await tx
    .select({ n: count() })
    .from(broadcasts)
    .where(
      and(
        eq(broadcasts.channelId, channelId),
        gt(broadcasts.createdAt, new Date(now.getTime() - LIMIT_WINDOW_MS)),
      ),
    );
  return Number(recent?.n ?? 0);
}

function dailyLimitError(channelId: number, limit: number) {
  return new CommerceError(
    CommerceErrorCode.CONFLICT,
    `channel ${channelId} already sent ${limit} broadcast(s) in the last 24 hours`,
    { reason: "daily_limit", limit },
  );
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
    const t = await tallyBroadcast(tx, b.id);
    return {
      ...b,
      pending: t.pending + t.sending,
      sent: t.sent,
      blocked: t.blocked,
      failed: t.failed,
      cancelled: t.cancelled,
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
     * another owner's channel. The same owner's same progress message again returns the broadcast
     * it already started (a second Send press sends nothing twice).
     */
    async create(
      actor: Actor,
      input: {
        channelId: number;
        text: string;
        photoFileId?: string | null;
        audience: BroadcastAudience;
        limitPerDay: number;
        /**
         * The message in the requester's chat with the bot that shows the progress (the bot's
         * confirmation, already saying "starting"); the notifier edits it. Without one the notifier
         * sends its own.
         */
        progressMessageId?: number | null;
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
        // One progress message is one broadcast: Send pressed twice (two instances each holding the
        // draft) finds the first under the lock and reports it instead of sending everything twice.
        if (input.progressMessageId != null && actor.kind === "owner") {
          const [same] = await tx
            .select()
            .from(broadcasts)
            .where(
              and(
                eq(broadcasts.channelId, channel.id),
                eq(broadcasts.requestedBy, actor.telegramId),
                eq(broadcasts.progressMessageId, input.progressMessageId),
              ),
            )
            .limit(1);
          if (same) return { ...same, repeated: true as const };
        }
        if ((await startedToday(tx, channel.id, now)) >= input.limitPerDay)
          throw dailyLimitError(channel.id, input.limitPerDay);
        const [b] = await tx
          .insert(broadcasts)
          .values({
            channelId: channel.id,
            requestedBy: actor.kind === "owner" ? actor.telegramId : channel.ownerTelegramId,
            text,
            photoFileId: photo,
            progressMessageId: input.progressMessageId ?? null,
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
      if ("repeated" in created) {
        const { repeated: _, ...same } = created;
        return tallied(core.db, same);
      }
      core.enqueued();
      return { ...created, pending: created.total, sent: 0, blocked: 0, failed: 0, cancelled: 0 };
    },

    /**
     * The daily limit before the owner composes anything: refuses (`daily_limit`, the same error
     * as create) when the channel used up its broadcasts of the last 24 hours; create checks again
     * under the lock.
     */
    async checkQuota(actor: Actor, channelId: number, limitPerDay: number): Promise<void> {
      await actOn(core.db, channelId, actor);
      if ((await startedToday(core.db, channelId, core.now())) >= limitPerDay)
        throw dailyLimitError(channelId, limitPerDay);
    },

    /**
     * The broadcast whose progress is shown in message `messageId` of the requester's chat with the
     * bot (its Cancel button carries no id: the message is the handle). Only the requester's own,
     * of a channel they still own; else NOT_FOUND.
     */
    async byProgressMessage(actor: Actor, messageId: number): Promise<BroadcastStatus> {
      if (actor.kind !== "owner") throw new CommerceError(CommerceErrorCode.FORBIDDEN, "owners only");
      const [b] = await core.db
        .select()
        .from(broadcasts)
        .where(and(eq(broadcasts.requestedBy, actor.telegramId), eq(broadcasts.progressMessageId, messageId)))
        .orderBy(desc(broadcasts.id))
        .limit(1);
      if (!b)
        throw new CommerceError(CommerceErrorCode.NOT_FOUND, `no broadcast shown in message ${messageId}`);
      await actOn(core.db, b.channelId, actor);
      return tallied(core.db, b);
    },

    /**
     * Broadcasts left unfinished with nobody working on them — recipients still to send, no
     * delivery claimed or sent for `staleMs`, no broadcast.requested enqueued for them in that time
     * (their event ran out of delivery attempts, or was lost) — get a new broadcast.requested, so
     * the notifier's periodic re-drive resumes them. Returns their ids. A live run claims or sends
     * every second, and a fresh event is left to arrive: neither is enqueued twice.
     */
    async requeueStalled(options: { staleMs: number; limit?: number }): Promise<number[]> {
      const stale = sql`now() - ${Math.max(1, Math.floor(options.staleMs))} * interval '1 millisecond'`;
      const { enqueue, TOPICS } = await loadEvents();
      const ids = await core.db.transaction(async (tx) => {
        const found = (await tx.execute(sql`
          select b.id from ${broadcasts} b
          where b.status in ('pending', 'sending') and b.created_at < ${stale}
            and (b.status = 'pending' or exists (
              select 1 from ${broadcastDeliveries} d where d.broadcast_id = b.id
                and (d.status = 'pending' or (d.status = 'sending' and (d.claimed_at is null or d.claimed_at < ${stale})))))
            and not exists (
              select 1 from ${broadcastDeliveries} d where d.broadcast_id = b.id
                and (d.claimed_at >= ${stale} or d.sent_at >= ${stale}))
            and not exists (
              select 1 from outbox o where o.topic = ${TOPICS.broadcastRequested} and o.created_at >= ${stale}
                and o.payload->>'broadcastId' = b.id::text)
          order by b.id
          limit ${options.limit ?? 50}
          for update of b skip locked`)) as unknown as { id: number }[] | { rows: { id: number }[] };
        const rows = Array.isArray(found) ? found : found.rows;
        for (const { id } of rows) {
          const [b] = await tx
            .select({ channelId: broadcasts.channelId })
            .from(broadcasts)
            .where(eq(broadcasts.id, id));
          await enqueue(tx, TOPICS.broadcastRequested, { broadcastId: id, channelId: b!.channelId });
        }
        return rows.map((r) => Number(r.id));
      });
      if (ids.length > 0) core.enqueued();
      return ids;
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
