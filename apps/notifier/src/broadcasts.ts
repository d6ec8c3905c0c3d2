import { createUsers, tallyBroadcast } from "@telepay/commerce";
import { broadcastDeliveries, broadcasts, channels, subscriptions } from "@telepay/db";
import type { EventEnvelope } from "@telepay/events";
import { classifyTelegramError, isMessageNotModified, type OutgoingMessage } from "@telepay/telegram";
import { and, asc, count, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";
import { channelTexts, ownerTexts } from "./locale.ts";
import { title } from "./owner.ts";
import { describe } from "./telegram.ts";

const CLAIM_BATCH = 100;
/** How often a running broadcast looks whether the owner stopped it. */
const CANCEL_CHECK_MS = 1000;

/**
 * broadcast.requested: the owner's message to every active subscriber, as per-recipient rows claimed
 * in batches, so a crashed or stopped run resumes where it stopped (docs/legacy-mistakes.md#lm-15).
 * How: docs/decisions/resumable-broadcasts.md.
 */
export async function onBroadcastRequested(
  ctx: Ctx,
  event: EventEnvelope<"broadcast.requested">,
): Promise<"ack" | "retry" | "busy"> {
  const { broadcastId } = event.data;
  const [b] = await ctx.db.select().from(broadcasts).where(eq(broadcasts.id, broadcastId));
  // Cancelled by the owner: the rows left were marked cancelled and are never claimed.
  if (!b || b.status === "done" || b.status === "cancelled") return "ack";
  const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, b.channelId));
  if (!channel) return "ack";

  if (b.status === "pending") {
    await ctx.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ status: broadcasts.status })
        .from(broadcasts)
        .where(eq(broadcasts.id, b.id))
        .for("update");
      if (locked?.status !== "pending") return;
      await tx.execute(sql`
        insert into ${broadcastDeliveries} (broadcast_id, user_id)
        select ${b.id}, s.user_id from ${subscriptions} s
        where s.channel_id = ${b.channelId} and s.status = 'active' and s.expires_at > now()
        on conflict do nothing`);
      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(broadcastDeliveries)
        .where(eq(broadcastDeliveries.broadcastId, b.id));
      await tx.update(broadcasts).set({ status: "sending", total: n }).where(eq(broadcasts.id, b.id));
    });
  }
  const [current] = await ctx.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
  if (!current) return "ack";
  const ownerM = await ownerTexts(ctx, channel);
  // The owner wrote the text in the channel's language; only the title fallback is ours.
  const text = channelTexts(channel).broadcast({ channelTitle: title(channel), text: current.text });
  // Progress goes to the requester's chat with the bot, where its Stop button works: the bot made
  // the message already (its confirmation), or the first progress() sends one (a CLI broadcast).
  const progressChat = String(current.requestedBy);
  let progressId = current.progressMessageId;
  let sinceProgress = 0;

  /** Renders the progress message from the database (status and tally), never from local counts. */
  const progress = async () => {
    const [row] = await ctx.db
      .select({ status: broadcasts.status })
      .from(broadcasts)
      .where(eq(broadcasts.id, b.id));
    const counts = await tallyBroadcast(ctx.db, b.id);
    const status = row?.status ?? "cancelled";
    const msg = ownerM.broadcastProgress({
      channelTitle: title(channel),
      state: status === "done" ? "done" : status === "cancelled" ? "cancelled" : "running",
      total: current.total,
      sent: counts.sent,
      blocked: counts.blocked,
      failed: counts.failed,
    });
    try {
      if (progressId) {
        await ctx.api.editMessageText(progressChat, progressId, msg.text, msg.options).catch((err) => {
          if (!isMessageNotModified(err)) throw err;
        });
      } else {
        const m = await ctx.api.sendMessage(progressChat, msg.text, msg.options);
        progressId = m.message_id;
        await ctx.db.update(broadcasts).set({ progressMessageId: progressId }).where(eq(broadcasts.id, b.id));
      }
    } catch (err) {
      // Progress is a courtesy: never let it hold up the deliveries.
      ctx.log.warn({ broadcastId: b.id, err: describe(err) }, "broadcast progress not updated");
    }
    return status;
  };

  // The owner may stop it at any time (commerce cancel marks the pending rows); the workers look
  // at most once a second, so a stopped broadcast sends at most a second's worth more.
  let cancelled = false;
  let checkedAt = Date.now();
  const stopped = async (now = false) => {
    if (cancelled || (!now && Date.now() - checkedAt < CANCEL_CHECK_MS)) return cancelled;
    checkedAt = Date.now();
    const [row] = await ctx.db
      .select({ status: broadcasts.status })
      .from(broadcasts)
      .where(eq(broadcasts.id, b.id));
    cancelled = row?.status !== "sending";
    return cancelled;
  };

  // Every run (a first one or a resumed one) shows where it stands at once.
  if ((await progress()) === "cancelled") return "ack";
  let transientFailures = 0;
  while (!ctx.stopping.value && !cancelled) {
    const claimed = await claimDeliveries(ctx, b.id);
    if (claimed.length === 0) break;
    let next = 0;
    const worker = async () => {
      // The look at the status awaits: take the next row only after it, so two workers never
      // take the same index (or one past the end).
      while (!ctx.stopping.value && !(await stopped()) && next < claimed.length) {
        const userId = claimed[next++]!;
        const outcome = await deliver(ctx, b.id, userId, text, current.photoFileId);
        if (outcome === "retry") transientFailures++;
        if (++sinceProgress >= ctx.progressEvery) {
          sinceProgress = 0;
          await progress();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.broadcastConcurrency, claimed.length) }, worker));
    const untouched = claimed.slice(next);
    if (untouched.length > 0) {
      // Stopping: hand back what this worker claimed but did not send, for the next run; stopped
      // by the owner: those recipients never get it.
      await ctx.db
        .update(broadcastDeliveries)
        .set(cancelled ? { status: "cancelled", claimedAt: null } : { status: "pending", claimedAt: null })
        .where(
          and(
            eq(broadcastDeliveries.broadcastId, b.id),
            eq(broadcastDeliveries.status, "sending"),
            inArray(broadcastDeliveries.userId, untouched),
          ),
        );
    }
    if (transientFailures > 0) break;
  }
  // No more to claim may mean the owner stopped it since the last look.
  if (!ctx.stopping.value && transientFailures === 0) await stopped(true);
  if (cancelled) {
    // The final figures, after the last messages in flight landed (the bot showed the stop at once).
    await progress();
    return "ack";
  }
  const counts = await tallyBroadcast(ctx.db, b.id);
  if (counts.pending > 0 || counts.sending > 0) {
    // Stopped or a transient failure: come back later. Only rows still held by a live worker
    // elsewhere: that worker is on it, which is not a failure.
    return ctx.stopping.value || transientFailures > 0 || counts.pending > 0 ? "retry" : "busy";
  }
  const finished = await ctx.db
    .update(broadcasts)
    .set({ status: "done", sent: counts.sent, failed: counts.failed, finishedAt: new Date() })
    .where(and(eq(broadcasts.id, b.id), eq(broadcasts.status, "sending")))
    .returning({ id: broadcasts.id });
  if (finished.length > 0) await progress();
  return "ack";
}

async function claimDeliveries(ctx: Ctx, broadcastId: number): Promise<bigint[]> {
  const candidates = ctx.db
    .select({ userId: broadcastDeliveries.userId })
    .from(broadcastDeliveries)
    .where(
      and(
        eq(broadcastDeliveries.broadcastId, broadcastId),
        or(
          eq(broadcastDeliveries.status, "pending"),
          and(
            eq(broadcastDeliveries.status, "sending"),
            or(
              isNull(broadcastDeliveries.claimedAt),
              sql`${broadcastDeliveries.claimedAt} < now() - ${ctx.leaseMs} * interval '1 millisecond'`,
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(broadcastDeliveries.userId))
    .limit(CLAIM_BATCH)
    .for("update", { skipLocked: true });
  const rows = await ctx.db
    .update(broadcastDeliveries)
    .set({ status: "sending", claimedAt: sql`now()` })
    .where(
      and(eq(broadcastDeliveries.broadcastId, broadcastId), inArray(broadcastDeliveries.userId, candidates)),
    )
    .returning({ userId: broadcastDeliveries.userId });
  return rows.map((r) => r.userId);
}

async function deliver(
  ctx: Ctx,
  broadcastId: number,
  userId: bigint,
  msg: OutgoingMessage,
  photoFileId: string | null,
): Promise<"sent" | "failed" | "retry"> {
  const row = and(
    eq(broadcastDeliveries.broadcastId, broadcastId),
    eq(broadcastDeliveries.userId, userId),
    eq(broadcastDeliveries.status, "sending"),
  );
  try {
    if (photoFileId)
      await ctx.api.sendPhoto(String(userId), photoFileId, {
        caption: msg.text,
        parse_mode: msg.options.parse_mode,
        ...(msg.options.reply_markup ? { reply_markup: msg.options.reply_markup } : {}),
      });
    else await ctx.api.sendMessage(String(userId), msg.text, msg.options);
  } catch (err) {
    const kind = classifyTelegramError(err);
    if (kind === "transient" || kind === "rate_limited") {
      // Back to pending: the next run sends it (the sender already retried with backoff).
      await ctx.db
        .update(broadcastDeliveries)
        .set({ status: "pending", claimedAt: null, error: describe(err) })
        .where(row);
      return "retry";
    }
    await ctx.db.update(broadcastDeliveries).set({ status: "failed", error: kind }).where(row);
    if (kind === "blocked" || kind === "chat_not_found") {
      await createUsers({ db: ctx.db }).markBotBlocked(userId);
    }
    return "failed";
  }
  await ctx.db
    .update(broadcastDeliveries)
    .set({ status: "sent", sentAt: new Date(), error: null })
    .where(row);
  return "sent";
}
