import type { OutcomeInput } from "@telepay/commerce";
import { channels, subscriptions } from "@telepay/db";
import { type EventEnvelope, handleOnce } from "@telepay/events";
import { classifyTelegramError } from "@telepay/telegram";
import { eq } from "drizzle-orm";
import { createInvite } from "./access.ts";
import type { Ctx } from "./context.ts";
import { runEffectOnce, verdictOf } from "./effects.ts";
import { notifyOwner, title } from "./owner.ts";
import {
  describe,
  dm,
  dmBestEffort,
  isMember,
  RetryLaterError,
  removeMember,
  telegramReason,
} from "./telegram.ts";

const GRANT = "notifier.manual-access";
const REVOKE = "notifier.revoke";

/**
 * subscription.changed: the database side was already applied by the CLI/owner; here the
 * Telegram side happens. grant/extend → if the user is in the closed channel a notice, else a
 * fresh invite (stored on the subscription); revoke → remove the user now and audit it.
 * The event may be stale (revoked, then granted again): the current row decides.
 */
export async function onSubscriptionChanged(
  ctx: Ctx,
  event: EventEnvelope<"subscription.changed">,
): Promise<"ack" | "retry" | "busy"> {
  const d = event.data;
  const outcome = (o: Omit<OutcomeInput, "eventId" | "topic">) =>
    ctx.core.outcomes.record({ eventId: event.id, topic: event.topic, ...o });
  const [row] = await ctx.db
    .select({ sub: subscriptions, channel: channels })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .where(eq(subscriptions.id, d.subscriptionId));
  if (!row) {
    await outcome({ outcome: "skipped", reason: `subscription ${d.subscriptionId} no longer exists` });
    return "ack";
  }
  const { sub, channel } = row;
  // A stale event (revoked, then granted again, or the reverse): the later change's event does the work.
  const superseded = () =>
    outcome({ outcome: "skipped", reason: `superseded: the subscription is ${sub.status} now` });
  if (d.action === "revoke") {
    if (sub.status !== "revoked") {
      await superseded();
      return "ack";
    }
    return revoke(ctx, event, sub, channel, outcome);
  }
  if (sub.status !== "active") {
    await superseded();
    return "ack";
  }
  const effect = await runEffectOnce(ctx, GRANT, event.id, async () => {
    const channelTitle = title(channel);
    if (await isMember(ctx, channel.closedChatId, sub.userId)) {
      const notice = await dm(ctx, sub.userId, (M) =>
        M.accessExtended({ channelTitle, expiresAt: sub.expiresAt }),
      );
      await outcome({ outcome: "ok", details: { member: true, notice } });
      return;
    }
    let link: string;
    try {
      link = await createInvite(ctx, channel, `grant-${sub.id}-${event.id.slice(0, 8)}`);
    } catch (err) {
      const kind = classifyTelegramError(err);
      if (kind === "not_enough_rights" || kind === "chat_not_found") {
        await notifyOwner(ctx, channel, (M) => M.ownerBotLacksRights({ channelTitle, action: "invite" }));
        await outcome({
          outcome: "failed",
          reason: `no invite link for ${channel.closedChatId}: ${telegramReason(err)}`,
          details: { invite: "not_created" },
        });
        return;
      }
      throw err;
    }
    await ctx.core.access.storeInvite(sub.id, link);
    const invite = await dm(ctx, sub.userId, (M) =>
      M.manualGrantInvite({
        channelTitle,
        expiresAt: sub.expiresAt,
        inviteLink: link,
        mode: channel.inviteMode,
        trial: sub.trial,
      }),
    );
    // "unreachable": the user never started the bot or blocked it; the link is kept for /subscriptions.
    await outcome({ outcome: "ok", details: { member: false, invite, inviteLink: link } });
  });
  return verdictOf(effect);
}

async function revoke(
  ctx: Ctx,
  event: EventEnvelope<"subscription.changed">,
  sub: typeof subscriptions.$inferSelect,
  channel: typeof channels.$inferSelect,
  outcome: (o: Omit<OutcomeInput, "eventId" | "topic">) => Promise<void>,
): Promise<"ack" | "retry" | "busy"> {
  const d = event.data;
  const effect = await runEffectOnce(ctx, REVOKE, event.id, async () => {
    let result: "removed" | "not_member" | "not_removable" | "failed";
    let failure: string | undefined;
    try {
      result = await removeMember(ctx, channel.closedChatId, sub.userId);
    } catch (err) {
      if (err instanceof RetryLaterError) throw err;
      // No rights / bot removed: retrying will not help until the owner fixes it; record and tell.
      result = "failed";
      failure = telegramReason(err);
      await notifyOwner(ctx, channel, (M) =>
        M.ownerRemovalFailed({
          channelTitle: title(channel),
          customerId: String(sub.userId),
          reason: describe(err),
        }),
      );
    }
    await ctx.db.transaction(async (tx) => {
      await handleOnce(tx, `${REVOKE}.audit`, event.id, () =>
        ctx.core.access.recordRevokeRemoval(tx, {
          subscription: sub,
          removal: result,
          actor:
            d.actor === "owner" && d.actorTelegramId !== null
              ? { kind: "owner", telegramId: BigInt(d.actorTelegramId) }
              : { kind: d.actor === "owner" ? "system" : d.actor },
          eventId: event.id,
        }),
      );
    });
    if (result === "removed" || result === "not_member")
      await dmBestEffort(ctx, sub.userId, (M) => M.accessRevoked({ channelTitle: title(channel) }));
    await outcome(
      result === "removed" || result === "not_member"
        ? { outcome: "ok", details: { removal: result } }
        : {
            outcome: "failed",
            reason:
              failure ??
              "the user is the chat's owner or an administrator: Telegram does not let the bot remove them",
            details: { removal: result },
          },
    );
  });
  return verdictOf(effect);
}
