import { listReviews } from "@telepay/commerce";
import {
  accessGrants,
  channels,
  type NoticeState,
  notices,
  OPEN_GRANT_STATES,
  OPEN_NOTICE_STATES,
  orders,
  tiers,
  users,
} from "@telepay/db";
import { type OutgoingMessage, refundCallbackData, reviewCallbackData } from "@telepay/telegram";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "./context.ts";
import { LeaseLostError, retryDelayMs } from "./leases.ts";
import { ownerTexts, textsFor } from "./locale.ts";
import { ownerChat, title } from "./owner.ts";
import { describe, dm, RetryLaterError } from "./telegram.ts";

/** What one attempt at a notice came to (see GrantOutcome); "waiting": its grant is not settled yet. */
export type NoticeOutcome = "done" | "busy" | "later" | "waiting";

type Notice = typeof notices.$inferSelect;

/** The facts the payment writer stored with the notice (validated: a row is data, not trust). */
const detailsSchema = z.object({
  status: z.enum(["confirming", "partially_paid", "failed", "expired", "refunded"]).optional(),
  payAmount: z.string().nullable().optional(),
  actuallyPaid: z.string().nullable().optional(),
  payCurrency: z.string().nullable().optional(),
});

/** The facts a reversal stored with its notices (commerce reversals). */
const reversalSchema = z.object({
  grant: z.enum(["reversed", "voided", "none"]),
  withdrawnMs: z.number(),
  expiresAt: z.string().nullable(),
  accessLeft: z.boolean(),
});

/** What the refund did to the order's access, as the payer and owner are told. */
function reversalOutcome(details: unknown): {
  outcome: "removed" | "shortened" | "not_granted" | "nothing";
  expiresAt: Date | null;
} {
  const r = reversalSchema.parse(details);
  const expiresAt = r.expiresAt ? new Date(r.expiresAt) : null;
  if (r.grant === "voided") return { outcome: "not_granted", expiresAt };
  if (r.withdrawnMs <= 0) return { outcome: "nothing", expiresAt };
  return { outcome: r.accessLeft ? "shortened" : "removed", expiresAt };
}

const due = () =>
  or(
    and(eq(notices.state, "pending"), lte(notices.nextAttemptAt, sql`now()`)),
    and(eq(notices.state, "sending"), or(isNull(notices.leaseUntil), lt(notices.leaseUntil, sql`now()`))),
  );

/**
 * Sends one notice if it is due and nobody else holds it (same lease and fencing as grants). An
 * owner's "paid" notice for a subscription waits until the payer's access is settled, so the owner
 * is never told about a sale whose access is still in flight.
 */
export async function deliverNotice(ctx: Ctx, noticeId: number): Promise<NoticeOutcome> {
  const [candidate] = await ctx.db.select().from(notices).where(eq(notices.id, noticeId));
  if (!candidate) return "done";
  if (!(OPEN_NOTICE_STATES as readonly string[]).includes(candidate.state)) return "done";
  if (candidate.kind === "owner_paid" && (await grantUnsettled(ctx, candidate.orderId))) return "waiting";

  const token = ctx.leases.acquire();
  try {
    const [notice] = await ctx.db
      .update(notices)
      .set({
        state: "sending",
        leaseToken: token,
        leaseUntil: sql`now() + ${ctx.leases.leaseMs} * interval '1 millisecond'`,
        attempts: sql`${notices.attempts} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(notices.id, noticeId), due()))
      .returning();
    if (!notice) return candidate.state === "sending" ? "busy" : "later";
    const settle = async (state: NoticeState, extra: Partial<Notice> = {}) => {
      const rows = await ctx.db
        .update(notices)
        .set({ state, leaseToken: null, leaseUntil: null, updatedAt: sql`now()`, ...extra })
        .where(and(eq(notices.id, notice.id), eq(notices.leaseToken, token)))
        .returning({ id: notices.id });
      if (rows.length === 0) throw new LeaseLostError(`notice ${notice.id}: lease lost`);
    };
    try {
      const target = await render(ctx, notice);
      if (!target) {
        await settle("skipped");
        return "done";
      }
      const sent = await dm(ctx, target.chatId, target.message);
      await settle(sent === "sent" ? "sent" : "unreachable", { sentAt: new Date(), lastError: null });
      return "done";
    } catch (err) {
      if (err instanceof LeaseLostError) return "busy";
      if (err instanceof RetryLaterError) {
        await settle("pending", {
          nextAttemptAt: new Date(Date.now() + retryDelayMs(notice.attempts)),
          lastError: err.message,
        }).catch(() => {});
        return "later";
      }
      await settle("failed", { lastError: describe(err) }).catch(() => {});
      ctx.log.error(
        { noticeId: notice.id, kind: notice.kind, err: describe(err) },
        "notice failed permanently",
      );
      return "done";
    }
  } finally {
    ctx.leases.release(token);
  }
}

async function grantUnsettled(ctx: Ctx, orderId: number): Promise<boolean> {
  const [grant] = await ctx.db
    .select({ state: accessGrants.state })
    .from(accessGrants)
    .where(eq(accessGrants.orderId, orderId));
  return grant !== undefined && (OPEN_GRANT_STATES as readonly string[]).includes(grant.state);
}

/** The recipient and text, read from the database now; undefined = nothing to say any more. */
async function render(
  ctx: Ctx,
  notice: Notice,
): Promise<{ chatId: bigint; message: OutgoingMessage } | undefined> {
  const [row] = await ctx.db
    .select({ order: orders, channel: channels })
    .from(orders)
    .innerJoin(channels, eq(channels.id, orders.channelId))
    .where(eq(orders.id, notice.orderId));
  if (!row) return undefined;
  const { order, channel } = row;
  const facts = detailsSchema.parse(notice.details);
  const channelTitle = title(channel);
  switch (notice.kind) {
    case "donation_thanks":
      if (order.status !== "finished") return undefined;
      return {
        chatId: order.userId,
        message: (await textsFor(ctx, order.userId)).donationThanks({
          channelTitle,
          amount: order.amount,
          currency: order.currency,
        }),
      };
    case "payment_update": {
      const status = facts.status;
      if (!status) return undefined;
      // A late "confirming" for an order that has finished meanwhile is noise.
      if (status === "confirming" && order.status === "finished") return undefined;
      return {
        chatId: order.userId,
        message: (await textsFor(ctx, order.userId)).paymentUpdate({
          status,
          channelTitle,
          payAmount: facts.payAmount ?? null,
          actuallyPaid: facts.actuallyPaid ?? null,
          payCurrency: facts.payCurrency ?? null,
        }),
      };
    }
    case "owner_review": {
      // Asked only while the review is open and still about the reason it was written for.
      const { reason } = z.object({ reason: z.string() }).parse(notice.details);
      if (!notice.paymentId) return undefined;
      const [review] = await listReviews(ctx.db, { paymentId: notice.paymentId });
      if (!review || review.reason !== reason || review.orderId !== order.id) return undefined;
      const [user] = await ctx.db.select().from(users).where(eq(users.telegramId, order.userId));
      const [tier] = order.tierId ? await ctx.db.select().from(tiers).where(eq(tiers.id, order.tierId)) : [];
      const callback = { paymentId: review.paymentId, reason };
      return {
        // A DM to the owner (not the notify chat): the buttons are the owner's alone.
        chatId: channel.ownerTelegramId,
        message: (await ownerTexts(ctx, channel)).ownerReviewRequest({
          channelTitle,
          reason,
          customerName: user?.firstName ?? "",
          customerUsername: user?.username ?? null,
          customerId: String(order.userId),
          tierLabel: tier?.label ?? null,
          amount: order.amount,
          currency: order.currency,
          payAmount: review.payAmount,
          actuallyPaid: review.actuallyPaid,
          payCurrency: review.payCurrency,
          paymentId: review.paymentId,
          paymentStatus: review.paymentStatus,
          orderReference: order.reference,
          canGrant: review.canGrant,
          grantData: reviewCallbackData({ action: "grant", ...callback }),
          dismissData: reviewCallbackData({ action: "dismiss", ...callback }),
        }),
      };
    }
    case "reversal_payer":
      return {
        chatId: order.userId,
        message: (await textsFor(ctx, order.userId)).reversalPayer({
          channelTitle,
          ...reversalOutcome(notice.details),
        }),
      };
    case "reversal_owner": {
      // Told whatever notifications_enabled says: a refund changes money and access, not a sale.
      const [user] = await ctx.db.select().from(users).where(eq(users.telegramId, order.userId));
      return {
        chatId: ownerChat(channel),
        message: (await ownerTexts(ctx, channel)).ownerReversal({
          channelTitle,
          ...reversalOutcome(notice.details),
          kind: order.kind,
          customerName: user?.firstName ?? "",
          customerUsername: user?.username ?? null,
          customerId: String(order.userId),
          amount: order.amount,
          currency: order.currency,
          orderReference: order.reference,
        }),
      };
    }
    case "owner_paid": {
      if (!channel.notificationsEnabled || order.status !== "finished") return undefined;
      const [user] = await ctx.db.select().from(users).where(eq(users.telegramId, order.userId));
      const [tier] = order.tierId ? await ctx.db.select().from(tiers).where(eq(tiers.id, order.tierId)) : [];
      const [grant] = await ctx.db
        .select({ expiresAt: accessGrants.expiresAt })
        .from(accessGrants)
        .where(eq(accessGrants.orderId, order.id));
      return {
        chatId: ownerChat(channel),
        message: (await ownerTexts(ctx, channel)).ownerPaymentNotice({
          kind: order.kind,
          channelTitle,
          customerName: user?.firstName ?? "",
          customerUsername: user?.username ?? null,
          customerId: String(order.userId),
          tierLabel: tier?.label ?? null,
          amount: order.amount,
          currency: order.currency,
          actuallyPaid: facts.actuallyPaid ?? null,
          payCurrency: facts.payCurrency ?? null,
          expiresAt: grant?.expiresAt ?? null,
          payoutWallet: channel.payoutWallet,
          payoutCurrency: channel.payoutCurrency,
          payoutNetwork: channel.payoutNetwork,
          orderReference: order.reference,
          // Pressed by anyone, it refunds only for the channel's owner (bot: refunds feature).
          refundData: refundCallbackData({ action: "ask", orderId: order.id }),
        }),
      };
    }
  }
}

/** Ids of notices the re-drive should send now (optionally only for some orders). */
export async function dueNotices(ctx: Ctx, limit: number, orderIds?: readonly number[]): Promise<number[]> {
  const rows = await ctx.db
    .select({ id: notices.id })
    .from(notices)
    .where(
      and(
        inArray(notices.state, [...OPEN_NOTICE_STATES]),
        orderIds ? inArray(notices.orderId, [...orderIds]) : undefined,
        due(),
      ),
    )
    .orderBy(asc(notices.nextAttemptAt), asc(notices.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
