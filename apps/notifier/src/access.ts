import { accessGrants, channels, extendSubscription, orders, subscriptions, tiers, users } from "@telepay/db";
import { type EventEnvelope, handleOnce, PoisonMessageError } from "@telepay/events";
import { classifyTelegramError, notifierMessages as M } from "@telepay/telegram";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";
import { notifyOwner } from "./owner.ts";
import { describe, dm, isMember, RetryLaterError } from "./telegram.ts";

export const ACCESS_CONSUMER = "notifier.access";
const DAY_MS = 86_400_000;
const INVITE_TTL_MS = DAY_MS;

/** Grant states after which nothing is left to do. */
export const FINAL_GRANT_STATES = [
  "dm_sent",
  "dm_blocked",
  "renewed_notice_sent",
  "invite_failed",
  "failed",
] as const;

/*
 * payment.confirmed (subscription) → access, without ever losing or doubling an invite.
 *
 * Step 1, one transaction: claim (notifier.access, event id) with handleOnce, lock the order row,
 * and — only if the order has no access_grants row yet (UNIQUE(order_id)) — extend the
 * subscription and insert the grant in state "pending". A redelivered or concurrent copy of the
 * event, or a second event for the same order, waits on the order lock and then finds the claim
 * or the grant: the subscription is extended exactly once per order.
 *
 * Step 2, no transaction open (Telegram calls can take seconds): take the grant with a lease
 * (`pending` → `delivering`, or a `delivering` whose lease ran out), then: is the user already in
 * the closed channel? → "renewed until …" DM; else reuse the grant's stored invite link or create
 * one and store it *before* the DM is sent, then DM and mark `dm_sent` (`dm_blocked` when the user
 * blocked the bot; the link stays on the subscription for /subscriptions).
 *
 * Why this gives one invite: step 2 runs only for the worker holding the lease; every other
 * delivery sees `delivering` (answers "retry": redelivered later, finds a final state and acks)
 * or a final state (acks). A crash after step 1 leaves the grant `pending` — the event was not
 * acked, so its redelivery (handleOnce says duplicate, the grant says pending) resumes step 2.
 * A crash after the link was stored reuses that link. The only duplicates possible are a second
 * link if the process dies between Telegram creating the link and our UPDATE storing it (never
 * sent to anyone, expires in 24 h), and a second DM if it dies between the DM and marking it.
 */
export async function handleSubscriptionPaid(
  ctx: Ctx,
  event: EventEnvelope<"payment.confirmed">,
): Promise<"ack" | "retry"> {
  const d = event.data;
  if (d.tierId === null || d.durationDays === null) {
    throw new PoisonMessageError("subscription payment without tier or duration", { eventId: event.id });
  }
  await ctx.db.transaction(async (tx) => {
    await handleOnce(tx, ACCESS_CONSUMER, event.id, async () => {
      const [order] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(eq(orders.id, d.orderId))
        .for("update");
      if (!order) throw new PoisonMessageError(`order ${d.orderId} does not exist`, { eventId: event.id });
      const [existing] = await tx
        .select({ id: accessGrants.id })
        .from(accessGrants)
        .where(eq(accessGrants.orderId, d.orderId));
      if (existing) return;
      const { subscription } = await extendSubscription(tx, {
        userId: BigInt(d.userId),
        channelId: d.channelId,
        tierId: d.tierId,
        days: d.durationDays!,
        orderId: d.orderId,
        reminderDays: ctx.reminderDays,
      });
      await tx.insert(accessGrants).values({
        orderId: d.orderId,
        subscriptionId: subscription.id,
        state: "pending",
        expiresAt: subscription.expiresAt,
      });
    });
  });
  return deliverGrant(ctx, d.orderId);
}

/** Step 2 above; safe to call any number of times for the same order. */
export async function deliverGrant(ctx: Ctx, orderId: number): Promise<"ack" | "retry"> {
  const [grant] = await ctx.db
    .update(accessGrants)
    .set({ state: "delivering", updatedAt: sql`now()` })
    .where(
      and(
        eq(accessGrants.orderId, orderId),
        or(
          eq(accessGrants.state, "pending"),
          and(
            eq(accessGrants.state, "delivering"),
            sql`${accessGrants.updatedAt} < now() - ${ctx.leaseMs} * interval '1 millisecond'`,
          ),
        ),
      ),
    )
    .returning();
  if (!grant) {
    const [row] = await ctx.db
      .select({ state: accessGrants.state })
      .from(accessGrants)
      .where(eq(accessGrants.orderId, orderId));
    if (!row) return "retry";
    return (FINAL_GRANT_STATES as readonly string[]).includes(row.state) ? "ack" : "retry";
  }
  const setState = (state: string, extra: Partial<typeof accessGrants.$inferInsert> = {}) =>
    ctx.db
      .update(accessGrants)
      .set({ state, updatedAt: sql`now()`, ...extra })
      .where(eq(accessGrants.id, grant.id));

  const [row] = await ctx.db
    .select({ sub: subscriptions, channel: channels, tier: tiers, order: orders })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .innerJoin(orders, eq(orders.id, orderId))
    .leftJoin(tiers, eq(tiers.id, orders.tierId))
    .where(eq(subscriptions.id, grant.subscriptionId));
  if (!row) {
    await setState("failed");
    ctx.log.error({ orderId }, "grant without subscription or channel");
    return "ack";
  }
  const { sub, channel, tier, order } = row;
  const details = {
    channelTitle: channel.closedTitle || channel.openTitle || "the channel",
    tierLabel: tier?.label ?? "",
    amount: order.amount,
    currency: order.currency,
    expiresAt: grant.expiresAt,
  };
  try {
    let link = grant.inviteLink;
    if (!link) {
      if (await isMember(ctx, channel.closedChatId, sub.userId)) {
        const sent = await dm(ctx, sub.userId, M.accessRenewed(details));
        await setState(sent === "sent" ? "renewed_notice_sent" : "dm_blocked");
        return "ack";
      }
      link = await createInvite(ctx, channel, order.reference);
      // Stored before the DM: a resumed delivery re-sends this link instead of making another.
      await setState("delivering", { inviteLink: link });
      await ctx.db
        .update(subscriptions)
        .set({ inviteLink: link, updatedAt: sql`now()` })
        .where(eq(subscriptions.id, sub.id));
    }
    const sent = await dm(
      ctx,
      sub.userId,
      M.accessInvite({ ...details, inviteLink: link, mode: channel.inviteMode }),
    );
    await setState(sent === "sent" ? "dm_sent" : "dm_blocked");
    return "ack";
  } catch (err) {
    if (err instanceof RetryLaterError) {
      await setState("pending");
      ctx.log.warn({ orderId, err: err.message }, "access delivery failed for now; will retry");
      return "retry";
    }
    const kind = classifyTelegramError(err);
    if (kind === "not_enough_rights" || kind === "chat_not_found") {
      // The bot cannot invite into the closed channel: the paid time is recorded, the owner must act.
      await setState("invite_failed");
      await ctx.db
        .update(channels)
        .set({
          status: kind === "chat_not_found" ? "bot_removed" : "bot_lacks_rights",
          statusReason: describe(err),
          updatedAt: sql`now()`,
        })
        .where(eq(channels.id, channel.id));
      await notifyOwner(
        ctx,
        channel,
        M.ownerBotLacksRights({ channelTitle: details.channelTitle, action: "create an invite link" }),
      );
      await dm(
        ctx,
        sub.userId,
        M.accessPendingOwnerAction({ channelTitle: details.channelTitle, expiresAt: grant.expiresAt }),
      ).catch(() => {});
      ctx.log.error({ orderId, channelId: channel.id, err: describe(err) }, "cannot create invite link");
      return "ack";
    }
    await setState("failed");
    ctx.log.error({ orderId, err: describe(err) }, "access delivery failed permanently");
    return "ack";
  }
}

/**
 * A join-request link (ties access to the payer: the bot approves only subscribers), or the
 * member_limit=1 fallback for channels that prefer it. Named after the order (≤ 32 chars) so an
 * owner can trace it; expires in 24 h.
 */
export async function createInvite(
  ctx: Ctx,
  channel: { closedChatId: bigint; inviteMode: "join_request" | "member_limit" },
  name: string,
): Promise<string> {
  const expire = Math.floor((Date.now() + INVITE_TTL_MS) / 1000);
  const link = await ctx.api.createChatInviteLink(String(channel.closedChatId), {
    name: name.slice(0, 32),
    expire_date: expire,
    ...(channel.inviteMode === "member_limit" ? { member_limit: 1 } : { creates_join_request: true }),
  });
  return link.invite_link;
}

/** Users row exists for every order; manual grants may name a user who never talked to the bot. */
export async function ensureUser(ctx: Ctx, userId: bigint): Promise<void> {
  await ctx.db.insert(users).values({ telegramId: userId }).onConflictDoNothing();
}

/** Pending grants (for operators/tests): orders whose access was not delivered yet. */
export async function pendingGrants(ctx: Ctx): Promise<number[]> {
  const rows = await ctx.db
    .select({ orderId: accessGrants.orderId })
    .from(accessGrants)
    .where(inArray(accessGrants.state, ["pending", "delivering"]));
  return rows.map((r) => r.orderId);
}
