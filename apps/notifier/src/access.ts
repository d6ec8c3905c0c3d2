import { stackSubscription } from "@telepay/commerce";
import {
  accessGrants,
  channels,
  type GrantState,
  OPEN_GRANT_STATES,
  orders,
  subscriptions,
  tiers,
  users,
} from "@telepay/db";
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { botLostRights, isBotRightsError } from "./bot-rights.ts";
import type { Ctx } from "./context.ts";
import { LeaseLostError, retryDelayMs } from "./leases.ts";
import { title } from "./owner.ts";
import { describe, dm, isMember, RetryLaterError } from "./telegram.ts";

const DAY_MS = 86_400_000;
const INVITE_TTL_MS = DAY_MS;

/** What one delivery attempt of a grant came to. */
export type GrantOutcome =
  /** The grant reached a final state (now or before). */
  | "done"
  /** Another worker holds its lease. */
  | "busy"
  /** Failed for now; the re-drive tries again at next_attempt_at. */
  | "later"
  /** The order has no grant (not paid, or a donation). */
  | "none";

type Grant = typeof accessGrants.$inferSelect;

const leaseUntil = (ctx: Ctx) => sql`now() + ${ctx.leases.leaseMs} * interval '1 millisecond'`;

/**
 * Delivers the access an order paid for; safe to call any number of times, from any process.
 * Lifecycle and why it gives one invite per order: docs/decisions/durable-work.md. In short:
 * claim the grant with a lease (owed/pending and due, or delivering with a lapsed lease); if it is
 * `owed`, add the order's days to the subscription — re-reading the order, which must be paid —
 * in one transaction; then, with no transaction open, either tell a member "renewed" or create the
 * invite link, store it before the DM, DM it, and mark the grant final. Every write is fenced by
 * the lease token. Transient Telegram failures schedule a retry with backoff; nothing here depends
 * on the event that triggered it being delivered again.
 */
export async function deliverGrant(ctx: Ctx, orderId: number): Promise<GrantOutcome> {
  const token = ctx.leases.acquire();
  try {
    const [grant] = await ctx.db
      .update(accessGrants)
      .set({
        state: "delivering",
        leaseToken: token,
        leaseUntil: leaseUntil(ctx),
        attempts: sql`${accessGrants.attempts} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(accessGrants.orderId, orderId),
          or(
            and(
              inArray(accessGrants.state, ["owed", "pending"]),
              lte(accessGrants.nextAttemptAt, sql`now()`),
            ),
            and(
              eq(accessGrants.state, "delivering"),
              or(isNull(accessGrants.leaseUntil), lt(accessGrants.leaseUntil, sql`now()`)),
            ),
          ),
        ),
      )
      .returning();
    if (!grant) return stateOf(ctx, orderId);
    try {
      return await deliverClaimed(ctx, grant, token);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        ctx.log.warn({ orderId }, "grant lease taken over by another worker; leaving it to them");
        return "busy";
      }
      // Unexpected (database hiccup, bug): schedule a retry instead of leaving the lease to lapse.
      await fenced(ctx, grant.id, token, {
        state: "pending",
        nextAttemptAt: new Date(Date.now() + retryDelayMs(grant.attempts)),
        lastError: describe(err),
        leaseToken: null,
        leaseUntil: null,
      }).catch(() => {});
      throw err;
    }
  } finally {
    ctx.leases.release(token);
  }
}

async function stateOf(ctx: Ctx, orderId: number): Promise<GrantOutcome> {
  const [row] = await ctx.db
    .select({ state: accessGrants.state })
    .from(accessGrants)
    .where(eq(accessGrants.orderId, orderId));
  if (!row) return "none";
  if (row.state === "delivering") return "busy";
  return (OPEN_GRANT_STATES as readonly string[]).includes(row.state) ? "later" : "done";
}

/** One fenced write: only the lease holder may change the grant. */
async function fenced(
  ctx: Ctx,
  grantId: number,
  token: string,
  values: Partial<typeof accessGrants.$inferInsert>,
): Promise<void> {
  const rows = await ctx.db
    .update(accessGrants)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(accessGrants.id, grantId), eq(accessGrants.leaseToken, token)))
    .returning({ id: accessGrants.id });
  if (rows.length === 0) throw new LeaseLostError(`grant ${grantId}: lease lost`);
}

/** Marks the grant final and lets go of it. */
const finish = (ctx: Ctx, grantId: number, token: string, state: GrantState, extra: Partial<Grant> = {}) =>
  fenced(ctx, grantId, token, { state, leaseToken: null, leaseUntil: null, ...extra });

async function deliverClaimed(ctx: Ctx, claimed: Grant, token: string): Promise<GrantOutcome> {
  let grant = claimed;
  if (grant.subscriptionId === null || grant.expiresAt === null) {
    const applied = await applyGrant(ctx, grant, token);
    if (!applied) return "done";
    grant = applied;
  }
  const [row] = await ctx.db
    .select({ sub: subscriptions, channel: channels, tier: tiers, order: orders })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .innerJoin(orders, eq(orders.id, grant.orderId))
    .leftJoin(tiers, eq(tiers.id, orders.tierId))
    .where(eq(subscriptions.id, grant.subscriptionId!));
  if (!row) {
    await finish(ctx, grant.id, token, "failed", { lastError: "subscription or channel is gone" });
    ctx.log.error({ orderId: grant.orderId }, "grant without subscription or channel");
    return "done";
  }
  const { sub, channel, tier, order } = row;
  const expiresAt = grant.expiresAt!;
  const details = {
    channelTitle: title(channel),
    tierLabel: tier?.label ?? "",
    amount: order.amount,
    currency: order.currency,
    expiresAt,
  };
  try {
    let link = grant.inviteLink;
    if (!link) {
      if (await isMember(ctx, channel.closedChatId, sub.userId)) {
        const sent = await dm(ctx, sub.userId, (M) => M.accessRenewed(details));
        await finish(ctx, grant.id, token, sent === "sent" ? "renewed_notice_sent" : "dm_blocked");
        return "done";
      }
      link = await createInvite(ctx, channel, order.reference);
      // Stored before the DM: a resumed delivery re-sends this link instead of making another.
      await fenced(ctx, grant.id, token, { inviteLink: link });
      await ctx.core.access.storeInvite(sub.id, link);
    }
    // Still ours? (a renewal of the lease failed and someone took over while we made the link)
    await fenced(ctx, grant.id, token, {});
    const sent = await dm(ctx, sub.userId, (M) =>
      M.accessInvite({ ...details, inviteLink: link, mode: channel.inviteMode }),
    );
    await finish(ctx, grant.id, token, sent === "sent" ? "dm_sent" : "dm_blocked", { lastError: null });
    return "done";
  } catch (err) {
    if (err instanceof LeaseLostError) throw err;
    if (err instanceof RetryLaterError) {
      const delay = retryDelayMs(grant.attempts);
      await fenced(ctx, grant.id, token, {
        state: "pending",
        nextAttemptAt: new Date(Date.now() + delay),
        lastError: err.message,
        leaseToken: null,
        leaseUntil: null,
      });
      ctx.log.warn(
        { orderId: grant.orderId, retryInMs: delay, err: err.message },
        "access delivery failed for now",
      );
      return "later";
    }
    if (isBotRightsError(err)) {
      // The bot cannot invite into the closed channel: the paid time is recorded, the owner must act.
      await finish(ctx, grant.id, token, "invite_failed", { lastError: describe(err) });
      await botLostRights(ctx, channel, err, {
        channelTitle: details.channelTitle,
        action: "invite",
      });
      await dm(ctx, sub.userId, (M) =>
        M.accessPendingOwnerAction({ channelTitle: details.channelTitle, expiresAt }),
      ).catch(() => {});
      ctx.log.error(
        { orderId: grant.orderId, channelId: channel.id, err: describe(err) },
        "cannot create invite link",
      );
      return "done";
    }
    await finish(ctx, grant.id, token, "failed", { lastError: describe(err) });
    ctx.log.error({ orderId: grant.orderId, err: describe(err) }, "access delivery failed permanently");
    return "done";
  }
}

/**
 * `owed` → the order's days added to the subscription, in one transaction holding the grant and the
 * order. Everything comes from the order row as the database has it now: who, which channel, which
 * tier, how many days — and whether it is paid at all (an order refunded before its grant was
 * applied gets nothing). Returns the applied grant, or undefined when it ended here (void).
 */
async function applyGrant(ctx: Ctx, grant: Grant, token: string): Promise<Grant | undefined> {
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.id, grant.id), eq(accessGrants.leaseToken, token)))
      .for("update");
    if (!locked) throw new LeaseLostError(`grant ${grant.id}: lease lost`);
    if (locked.subscriptionId !== null && locked.expiresAt !== null) return locked;
    const [order] = await tx.select().from(orders).where(eq(orders.id, grant.orderId)).for("update");
    const reason = !order
      ? "order is gone"
      : order.kind !== "subscription" || order.tierId === null || !order.durationDays
        ? "order is not a subscription"
        : order.status !== "finished" || order.paidAt === null
          ? `order is ${order.status}, not paid`
          : undefined;
    if (reason) {
      await tx
        .update(accessGrants)
        .set({ state: "void", lastError: reason, leaseToken: null, leaseUntil: null, updatedAt: sql`now()` })
        .where(eq(accessGrants.id, grant.id));
      ctx.log.warn({ orderId: grant.orderId, reason }, "grant voided: the order does not pay for access");
      return undefined;
    }
    const { subscription } = await stackSubscription(tx, {
      userId: order!.userId,
      channelId: order!.channelId,
      tierId: order!.tierId,
      change: { days: order!.durationDays! },
      orderId: order!.id,
      now: new Date(),
      reminderDays: ctx.reminderDays,
    });
    const [applied] = await tx
      .update(accessGrants)
      .set({ subscriptionId: subscription.id, expiresAt: subscription.expiresAt, updatedAt: sql`now()` })
      .where(eq(accessGrants.id, grant.id))
      .returning();
    return applied;
  });
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

/** Order ids of grants the re-drive should pick up now (due, or held by a lapsed lease). */
export async function dueGrants(ctx: Ctx, limit: number, orderIds?: readonly number[]): Promise<number[]> {
  const rows = await ctx.db
    .select({ orderId: accessGrants.orderId })
    .from(accessGrants)
    .where(
      and(
        inArray(accessGrants.state, [...OPEN_GRANT_STATES]),
        orderIds ? inArray(accessGrants.orderId, [...orderIds]) : undefined,
        or(
          and(inArray(accessGrants.state, ["owed", "pending"]), lte(accessGrants.nextAttemptAt, sql`now()`)),
          and(
            eq(accessGrants.state, "delivering"),
            or(isNull(accessGrants.leaseUntil), lt(accessGrants.leaseUntil, sql`now()`)),
          ),
        ),
      ),
    )
    .orderBy(accessGrants.nextAttemptAt)
    .limit(limit);
  return rows.map((r) => r.orderId);
}
