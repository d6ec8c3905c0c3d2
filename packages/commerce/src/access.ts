import { auditLog, channels, type DbOrTx, subscriptions, trials, users } from "@telepay/db";
import { and, eq, sql } from "drizzle-orm";
import { type Actor, type CommerceDeps, coreOf } from "./deps.ts";
import { CommerceError } from "./errors.ts";
import { isRowId } from "./ids.ts";
import { loadEvents } from "./lazy-events.ts";
import { graceFor, inGrace, isLive } from "./subscription-rules.ts";
import { lockSubscription, stackSubscription } from "./subscription-store.ts";

type Subscription = typeof subscriptions.$inferSelect;

/** A manual change of a user's access to a channel (CLI, owner). */
export interface AccessChange {
  channelId: number;
  userId: bigint;
  actor: Actor;
}

/** What a grant/extend/revoke did. */
export interface AccessChanged {
  subscription: Subscription;
  /** The expiry before the change, when the subscription was active. */
  previousExpiresAt: Date | null;
  /** The subscription.changed event the notifier acts on (invite, notice, removal). */
  eventId: string;
}

type Action = "grant" | "extend" | "revoke";

const actorFields = (actor: Actor) => ({
  actor: actor.kind,
  actorTelegramId: actor.kind === "owner" ? actor.telegramId : null,
});

/**
 * Manual access: grant, extend and revoke a user's subscription to a channel, each in one
 * transaction with its audit entry and its subscription.changed event (the notifier then sends the
 * invite or notice, or removes the user). Stacking rules: subscription-rules.ts.
 */
export function createAccess(deps: CommerceDeps) {
  const core = coreOf(deps);

  async function change(
    action: Action,
    input: AccessChange,
    apply: (
      tx: DbOrTx,
      current: Subscription | undefined,
      now: Date,
    ) => Promise<Omit<AccessChanged, "eventId">>,
    details: Record<string, unknown>,
  ): Promise<AccessChanged> {
    const now = core.now();
    if (!isRowId(input.channelId))
      throw new CommerceError("NOT_FOUND", `no channel with id ${input.channelId}`, { field: "channel" });
    const { enqueue, TOPICS } = await loadEvents();
    const result = await core.db.transaction(async (tx) => {
      const [channel] = await tx
        .select({ id: channels.id })
        .from(channels)
        .where(eq(channels.id, input.channelId));
      if (!channel)
        throw new CommerceError("NOT_FOUND", `no channel with id ${input.channelId}`, { field: "channel" });
      const current = await lockSubscription(tx, input.userId, input.channelId);
      const applied = await apply(tx, current, now);
      const row = applied.subscription;
      const eventId = await enqueue(
        tx,
        TOPICS.subscriptionChanged,
        {
          subscriptionId: row.id,
          action,
          userId: input.userId.toString(),
          channelId: input.channelId,
          expiresAt: row.expiresAt.toISOString(),
          actor: input.actor.kind,
          actorTelegramId: input.actor.kind === "owner" ? input.actor.telegramId.toString() : null,
        },
        { orderingKey: `subscription:${row.id}` },
      );
      await tx.insert(auditLog).values({
        ...actorFields(input.actor),
        action: `subscription.${action}`,
        channelId: input.channelId,
        subjectUserId: input.userId,
        details: {
          subscriptionId: row.id,
          expiresAt: row.expiresAt.toISOString(),
          previousExpiresAt: applied.previousExpiresAt?.toISOString() ?? null,
          ...details,
          eventId,
        },
      });
      return { ...applied, eventId };
    });
    core.enqueued();
    return result;
  }

  const timeChange = (c: { days: number } | { until: Date }) =>
    "days" in c ? { days: c.days } : { until: c.until.toISOString() };

  function checkUntil(c: { days: number } | { until: Date }, now: Date) {
    if ("until" in c && c.until.getTime() <= now.getTime()) {
      throw new CommerceError("INVALID", `--until ${c.until.toISOString()} is in the past`, {
        field: "until",
      });
    }
  }

  return {
    /**
     * Starts the channel's free trial (channels.trial_days) for a user: access without an invoice,
     * through the same durable path as a manual grant (subscription.changed → the notifier's invite).
     * Once per Telegram user per channel, ever: the trials table's unique (user, channel) decides,
     * also between two concurrent attempts. Refusals (INVALID/CONFLICT, `details.reason`):
     * `no_trial` (the channel offers none), `channel_inactive`, `subscribed` (already has access),
     * `trial_used`.
     */
    startTrial(input: { channelId: number; userId: bigint }): Promise<AccessChanged> {
      const actor: Actor = { kind: "system" };
      return change(
        "grant",
        { ...input, actor },
        async (tx, current, now) => {
          const [channel] = await tx
            .select({ trialDays: channels.trialDays, status: channels.status, graceDays: channels.graceDays })
            .from(channels)
            .where(eq(channels.id, input.channelId));
          if (!channel || channel.trialDays <= 0)
            throw new CommerceError("INVALID", `channel ${input.channelId} offers no free trial`, {
              field: "trial",
              reason: "no_trial",
            });
          if (channel.status !== "active")
            throw new CommerceError("INVALID", `channel ${input.channelId} is not taking subscribers`, {
              field: "trial",
              reason: "channel_inactive",
            });
          if (isLive(current, now) || inGrace(current, now, graceFor(current, channel.graceDays)))
            throw new CommerceError("CONFLICT", `user ${input.userId} already has access to the channel`, {
              reason: "subscribed",
            });
          await tx.insert(users).values({ telegramId: input.userId }).onConflictDoNothing();
          const endsAt = new Date(now.getTime() + channel.trialDays * 86_400_000);
          const [started] = await tx
            .insert(trials)
            .values({
              userId: input.userId,
              channelId: input.channelId,
              days: channel.trialDays,
              endsAt,
              createdAt: now,
            })
            .onConflictDoNothing({ target: [trials.userId, trials.channelId] })
            .returning({ id: trials.id });
          if (!started)
            throw new CommerceError(
              "CONFLICT",
              `user ${input.userId} already had the free trial of this channel`,
              {
                reason: "trial_used",
              },
            );
          return stackSubscription(tx, {
            ...input,
            tierId: null,
            change: { days: channel.trialDays },
            now,
            reminderDays: deps.reminderDays,
            trial: true,
          });
        },
        { trial: true },
      );
    },

    /** Access for a user without a live subscription, for `days` or until an instant (future). */
    grant(input: AccessChange & { change: { days: number } | { until: Date } }): Promise<AccessChanged> {
      return change(
        "grant",
        input,
        async (tx, current, now) => {
          checkUntil(input.change, now);
          if (isLive(current, now)) {
            throw new CommerceError(
              "CONFLICT",
              `user ${input.userId} already has an active subscription to channel ${input.channelId} until ${current!.expiresAt.toISOString()}; use subscription extend`,
            );
          }
          return stackSubscription(tx, { ...input, tierId: null, now, reminderDays: deps.reminderDays });
        },
        timeChange(input.change),
      );
    },

    /**
     * More time on a live subscription: `days` added, or a new expiry. An expiry before the current
     * one needs `allowEarlier` (an operator's correction; it may even lie in the past then).
     */
    extend(
      input: AccessChange & { change: { days: number } | { until: Date }; allowEarlier?: boolean },
    ): Promise<AccessChanged> {
      return change(
        "extend",
        input,
        async (tx, current, now) => {
          if (!input.allowEarlier) checkUntil(input.change, now);
          if (!isLive(current, now)) {
            throw new CommerceError(
              "CONFLICT",
              `user ${input.userId} has no active subscription to channel ${input.channelId}; use subscription grant`,
            );
          }
          if (
            "until" in input.change &&
            !input.allowEarlier &&
            input.change.until.getTime() <= current!.expiresAt.getTime()
          ) {
            throw new CommerceError(
              "CONFLICT",
              `--until ${input.change.until.toISOString()} is not after the current expiry ${current!.expiresAt.toISOString()}; add --allow-earlier to shorten it, or use revoke to end it`,
            );
          }
          return stackSubscription(tx, { ...input, tierId: null, now, reminderDays: deps.reminderDays });
        },
        timeChange(input.change),
      );
    },

    /** Ends an active subscription now; the notifier removes the user from the closed channel. */
    revoke(input: AccessChange): Promise<AccessChanged> {
      return change(
        "revoke",
        input,
        async (tx, current, now) => {
          if (current?.status !== "active") {
            throw new CommerceError(
              "CONFLICT",
              `user ${input.userId} has no active subscription to channel ${input.channelId}`,
            );
          }
          const [row] = await tx
            .update(subscriptions)
            .set({ status: "revoked", updatedAt: now, nextCheckAt: now })
            .where(eq(subscriptions.id, current.id))
            .returning();
          return { subscription: row!, previousExpiresAt: current.expiresAt };
        },
        {},
      );
    },

    /**
     * THE admission rule of a closed channel: a join request is approved only for a user whose
     * subscription to that channel is live (paid time left), so a forwarded invite link lets no one
     * else in. `unknown`: not a channel we sell (leave it to its admins).
     */
    async joinRequest(
      closedChatId: bigint,
      userId: bigint,
    ): Promise<
      { decision: "unknown" } | { decision: "approve" | "decline"; channel: typeof channels.$inferSelect }
    > {
      const [channel] = await core.db.select().from(channels).where(eq(channels.closedChatId, closedChatId));
      if (!channel) return { decision: "unknown" };
      const [sub] = await core.db
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.userId, userId), eq(subscriptions.channelId, channel.id)));
      return { decision: isLive(sub, core.now()) ? "approve" : "decline", channel };
    },

    /**
     * A user joined or left a closed channel (an approved join request, a chat_member update):
     * noted on their subscription so /subscriptions can offer the way back in and owners see who is
     * really inside. Nothing happens for chats we do not sell or users without a subscription.
     */
    async recordMembership(closedChatId: bigint, userId: bigint, inside: boolean): Promise<void> {
      const now = core.now();
      await core.db
        .update(subscriptions)
        .set(inside ? { joinedAt: now, leftAt: null, updatedAt: now } : { leftAt: now, updatedAt: now })
        .where(
          and(
            eq(subscriptions.userId, userId),
            eq(
              subscriptions.channelId,
              core.db
                .select({ id: channels.id })
                .from(channels)
                .where(eq(channels.closedChatId, closedChatId)),
            ),
          ),
        );
    },

    /** Keeps the invite link a subscriber was sent on their subscription (owners see it; re-sent on retries). */
    async storeInvite(subscriptionId: number, inviteLink: string): Promise<void> {
      await core.db
        .update(subscriptions)
        .set({ inviteLink, updatedAt: sql`now()` })
        .where(eq(subscriptions.id, subscriptionId));
    },

    /**
     * The Telegram side of a revocation happened: audit it (once per event, inside `tx` — the
     * caller's handleOnce) and, when the user is out, note when they left.
     */
    async recordRevokeRemoval(
      tx: DbOrTx,
      input: {
        subscription: Pick<Subscription, "id" | "userId" | "channelId">;
        removal: "removed" | "not_member" | "not_removable" | "failed";
        actor: Actor;
        eventId: string;
      },
    ): Promise<void> {
      const { subscription: sub, removal } = input;
      await tx.insert(auditLog).values({
        ...actorFields(input.actor),
        action: removal === "failed" ? "subscription.revoke_removal_failed" : "subscription.revoked_removed",
        channelId: sub.channelId,
        subjectUserId: sub.userId,
        details: { subscriptionId: sub.id, removal, eventId: input.eventId },
      });
      if (removal !== "failed") {
        await tx
          .update(subscriptions)
          .set({ leftAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(subscriptions.id, sub.id));
      }
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
