import { type Grant, type GrantStanding, LeaseLostError } from "@telepay/commerce";
import { channels, orders, subscriptions, tiers } from "@telepay/db";
import { eq } from "drizzle-orm";
import { botLostRights, isBotRightsError } from "./bot-rights.ts";
import type { Ctx } from "./context.ts";
import { retryDelayMs } from "./leases.ts";
import { title } from "./owner.ts";
import { describe, dm, isMember, RetryLaterError } from "./telegram.ts";

const DAY_MS = 86_400_000;
const INVITE_TTL_MS = DAY_MS;

/** What one delivery attempt of a grant came to ("done", "busy", "later", "none": see GrantStanding). */
export type GrantOutcome = GrantStanding;

/**
 * Delivers the access an order paid for; safe to call any number of times, from any process.
 * Lifecycle and why it gives one invite per order: docs/decisions/durable-work.md. In short:
 * claim the grant with a lease (owed/pending and due, or delivering with a lapsed lease); if it is
 * `owed`, the core adds the order's days to the subscription — re-reading the order, which must be
 * paid — in one transaction; then, with no transaction open, either tell a member "renewed" or
 * create the invite link, store it before the DM, DM it, and mark the grant final. Every write is
 * fenced by the lease token (commerce grant-delivery.ts). Transient Telegram failures schedule a
 * retry with backoff; nothing here depends on the event that triggered it being delivered again.
 */
export async function deliverGrant(ctx: Ctx, orderId: number): Promise<GrantOutcome> {
  const delivery = ctx.core.grantDelivery;
  const token = ctx.leases.acquire();
  try {
    const grant = await delivery.claim(orderId, token, ctx.leases.leaseMs);
    if (!grant) return delivery.standing(orderId);
    try {
      return await deliverClaimed(ctx, grant, token);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        ctx.log.warn({ orderId }, "grant lease taken over by another worker; leaving it to them");
        return "busy";
      }
      // Unexpected (database hiccup, bug): schedule a retry instead of leaving the lease to lapse.
      await delivery
        .progress(grant.id, token, {
          state: "pending",
          nextAttemptAt: new Date(Date.now() + retryDelayMs(grant.attempts)),
          lastError: describe(err),
          leaseToken: null,
          leaseUntil: null,
        })
        .catch(() => {});
      throw err;
    }
  } finally {
    ctx.leases.release(token);
  }
}

async function deliverClaimed(ctx: Ctx, claimed: Grant, token: string): Promise<GrantOutcome> {
  const delivery = ctx.core.grantDelivery;
  const fenced = delivery.progress;
  const finish = delivery.finish;
  let grant = claimed;
  if (grant.subscriptionId === null || grant.expiresAt === null) {
    const applied = await delivery.apply(grant, token);
    if ("voided" in applied) {
      ctx.log.warn(
        { orderId: grant.orderId, reason: applied.voided },
        "grant voided: the order does not pay for access",
      );
      return "done";
    }
    grant = applied.grant;
  }
  const [row] = await ctx.db
    .select({ sub: subscriptions, channel: channels, tier: tiers, order: orders })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .innerJoin(orders, eq(orders.id, grant.orderId))
    .leftJoin(tiers, eq(tiers.id, orders.tierId))
    .where(eq(subscriptions.id, grant.subscriptionId!));
  if (!row) {
    await finish(grant.id, token, "failed", { lastError: "subscription or channel is gone" });
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
        await finish(grant.id, token, sent === "sent" ? "renewed_notice_sent" : "dm_blocked");
        return "done";
      }
      link = await createInvite(ctx, channel, order.reference);
      // Stored before the DM: a resumed delivery re-sends this link instead of making another.
      await fenced(grant.id, token, { inviteLink: link });
      await ctx.core.access.storeInvite(sub.id, link);
    }
    // Still ours? (a renewal of the lease failed and someone took over while we made the link)
    await fenced(grant.id, token, {});
    const sent = await dm(ctx, sub.userId, (M) =>
      M.accessInvite({ ...details, inviteLink: link, mode: channel.inviteMode }),
    );
    await finish(grant.id, token, sent === "sent" ? "dm_sent" : "dm_blocked", { lastError: null });
    return "done";
  } catch (err) {
    if (err instanceof LeaseLostError) throw err;
    if (err instanceof RetryLaterError) {
      const delay = retryDelayMs(grant.attempts);
      await fenced(grant.id, token, {
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
      await finish(grant.id, token, "invite_failed", { lastError: describe(err) });
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
    await finish(grant.id, token, "failed", { lastError: describe(err) });
    ctx.log.error({ orderId: grant.orderId, err: describe(err) }, "access delivery failed permanently");
    return "done";
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
