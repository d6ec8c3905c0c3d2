import { type ChannelStatus, channels, type DbOrTx, isUniqueViolation, tiers } from "@telepay/db";
import { enqueue, TOPICS } from "@telepay/events";
import type { AddressVerdict } from "@telepay/payments";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { type Actor, type CommerceDeps, type Core, coreOf } from "../deps.ts";
import { CommerceError, CommerceErrorCode } from "../errors.ts";
import { audit } from "./audit.ts";
import {
  priceCurrency,
  type RawTier,
  requireRails,
  requireValidTiers,
  type TierInput,
  writeTiers,
} from "./tiers.ts";
import { checkLanguage } from "./users.ts";

/** A channel row. */
export type Channel = typeof channels.$inferSelect;

/** The longest description or donation message an owner may set. */
export const MAX_CHANNEL_TEXT = 1000;

/** The posts a publish request may name: the tier post (open chat), the donation post (closed). */
export type PostKind = "tiers" | "donation";

/** Everything a new channel needs; bot and CLI both fill it (docs/architecture.md). */
export interface RegisterChannelInput {
  ownerTelegramId: bigint;
  openChatId: bigint;
  closedChatId: bigint;
  openTitle?: string;
  closedTitle?: string;
  /** Checked by the one tier grammar (MAX_TIERS, MAX_TIER_DAYS…), Stars prices included. */
  tiers: readonly RawTier[];
  /** crypto (default), stars or both; stars/both need a Stars price on every tier (requireRails). */
  rails?: string;
  /** The currency tier prices are in, like USD: the channel's, never assumed. */
  priceCurrency: string;
  payoutWallet: string;
  /** A NOWPayments ticker, like usdttrc20 (lower-cased). */
  payoutCurrency: string;
  payoutNetwork?: string | null;
  /** Memo / destination tag of the wallet, for coins that need one (NOWPayments' payout_extra_id). */
  payoutExtraId?: string | null;
  notifyChatId?: bigint | null;
  notificationsEnabled?: boolean;
  description?: string;
  donationMessage?: string;
  /** Donation bounds (decimal strings) and currency; the schema's defaults when omitted. */
  donation?: { min: string; max: string; currency: string };
  /** The language of the channel's posts and tier buttons (en, ru, es, pt-BR); default en. */
  language?: string;
  /** Free trial days, once per user ever (0-MAX_TRIAL_DAYS; default 0 = none). */
  trialDays?: number;
  /** Days after expiry before removal (0-MAX_GRACE_DAYS; default 0). */
  graceDays?: number;
}

/** The longest free trial a channel may offer, in days. */
export const MAX_TRIAL_DAYS = 365;
/** The longest grace period, in days. */
export const MAX_GRACE_DAYS = 90;

function wholeDays(value: number | undefined, field: string, max: number): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw invalid(field, `${field} must be a whole number of days from 0 to ${max}, got ${value}`);
  return value;
}

/** Fields an owner edits after registration; each change has its own audit action. */
export interface ChannelPatch {
  description?: string;
  donationMessage?: string;
  notificationsEnabled?: boolean;
  /** The language of the channel's posts (checkLanguage); republishes both posts. */
  language?: string;
  /** Free trial days (0-MAX_TRIAL_DAYS, 0 = none); trials already taken keep their length. */
  trialDays?: number;
}

const invalid = (field: string, message: string) =>
  new CommerceError(CommerceErrorCode.INVALID, message, { field });

function text(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && value.length > MAX_CHANNEL_TEXT)
    throw invalid(field, `${field} is longer than ${MAX_CHANNEL_TEXT} characters`);
  return value;
}

/** The one payout rule: a wallet address, a NOWPayments ticker and an optional network code. */
export function checkPayout(input: {
  wallet: string;
  currency: string;
  network?: string | null;
  extraId?: string | null;
}) {
  const wallet = input.wallet.trim();
  if (!/^[A-Za-z0-9:_.-]{8,128}$/.test(wallet))
    throw invalid("payoutWallet", `payout wallet must be 8-128 letters, digits, : . _ -, got '${wallet}'`);
  const currency = input.currency.trim().toLowerCase();
  if (!/^[a-z0-9]{2,20}$/.test(currency))
    throw invalid("payoutCurrency", `payout currency must be a NOWPayments ticker, got '${currency}'`);
  const network = input.network?.trim().toLowerCase() || null;
  if (network !== null && !/^[a-z0-9_-]{2,32}$/.test(network))
    throw invalid("payoutNetwork", `payout network must be a network code like trx, got '${network}'`);
  const extraId = input.extraId?.trim() || null;
  if (extraId !== null && !/^[A-Za-z0-9:_.-]{1,64}$/.test(extraId))
    throw invalid("payoutExtraId", `payout memo must be 1-64 letters, digits, : . _ -, got '${extraId}'`);
  return { payoutWallet: wallet, payoutCurrency: currency, payoutNetwork: network, payoutExtraId: extraId };
}

/** A wallet as checkPayout returns it. */
export type Payout = ReturnType<typeof checkPayout>;

/**
 * The payout rule, then NOWPayments' own check when the deployment pays owners directly
 * (SETTLEMENT=direct gives the core `payoutAddresses`): a wallet it refuses would make every payment
 * of the channel fail, or pay out where the owner cannot receive. Refused → INVALID on payoutWallet
 * with NOWPayments' reason; NOWPayments unreachable → INVALID with reason "unavailable" (nothing is
 * stored either way, the owner tries again).
 */
export async function verifyPayout(core: Core, input: Parameters<typeof checkPayout>[0]): Promise<Payout> {
  const payout = checkPayout(input);
  if (!core.payoutAddresses) return payout;
  let verdict: AddressVerdict;
  try {
    verdict = await core.payoutAddresses.validateAddress({
      address: payout.payoutWallet,
      currency: payout.payoutCurrency,
      extraId: payout.payoutExtraId,
    });
  } catch (err) {
    throw new CommerceError(
      CommerceErrorCode.INVALID,
      `the payout wallet could not be checked with NOWPayments now, try again: ${err instanceof Error ? err.message : String(err)}`,
      { field: "payoutWallet", reason: "unavailable" },
    );
  }
  if (!verdict.valid)
    throw new CommerceError(
      CommerceErrorCode.INVALID,
      `NOWPayments refuses to pay out to ${payout.payoutWallet} in ${payout.payoutCurrency}: ${verdict.reason}`,
      { field: "payoutWallet", reason: "refused", detail: verdict.reason },
    );
  return payout;
}

/** The channel, checked to belong to an owner actor (the CLI and the system act on any). Internal to the core. */
export async function actOn(tx: DbOrTx, channelId: number, actor: Actor): Promise<Channel> {
  const [channel] = await tx.select().from(channels).where(eq(channels.id, channelId));
  if (!channel) throw new CommerceError(CommerceErrorCode.NOT_FOUND, `no channel with id ${channelId}`);
  if (actor.kind === "owner" && channel.ownerTelegramId !== actor.telegramId)
    throw new CommerceError(CommerceErrorCode.FORBIDDEN, `channel ${channelId} belongs to someone else`);
  return channel;
}

async function publishRequest(tx: DbOrTx, channelId: number, actor: Actor, kinds: readonly PostKind[]) {
  return enqueue(tx, TOPICS.channelPublishRequested, {
    channelId,
    kinds: [...kinds],
    requestedBy: actor.kind,
  });
}

function chatTaken(chatId: bigint, holder: { id: number; ownerTelegramId: bigint }) {
  return new CommerceError(
    CommerceErrorCode.CHAT_TAKEN,
    `chat ${chatId} is already used by channel ${holder.id}`,
    { chatId, channelId: holder.id, ownerTelegramId: holder.ownerTelegramId },
  );
}

/** Channel registration, edits, publish requests and the bot's rights, each with audit and events. */
export function createChannels(deps: CommerceDeps) {
  const core = coreOf(deps);

  return {
    /**
     * Checks a payout wallet by the one rule registration uses (verifyPayout), so the bot can refuse
     * it at the wallet step instead of at the end of onboarding.
     */
    async checkWallet(input: Parameters<typeof checkPayout>[0]): Promise<Payout> {
      return verifyPayout(core, input);
    },

    /**
     * Registers a channel with its tiers: one audit action `channel.created` and one
     * `channel.publish_requested` (tier and donation posts), whoever asks. A chat already used by
     * another channel → CHAT_TAKEN (details: chatId, channelId, ownerTelegramId).
     */
    async register(actor: Actor, input: RegisterChannelInput) {
      const tierList: TierInput[] = requireValidTiers(input.tiers);
      const rails = requireRails(input.rails ?? "crypto", tierList);
      const currency = priceCurrency(input.priceCurrency);
      const payout = await verifyPayout(core, {
        wallet: input.payoutWallet,
        currency: input.payoutCurrency,
        network: input.payoutNetwork ?? null,
        extraId: input.payoutExtraId ?? null,
      });
      if (input.openChatId === input.closedChatId)
        throw invalid("closedChatId", "the open and closed chats must be different channels");
      text(input.description, "description");
      text(input.donationMessage, "donationMessage");
      const language = checkLanguage(input.language ?? "en");
      const trialDays = wholeDays(input.trialDays, "trialDays", MAX_TRIAL_DAYS);
      const graceDays = wholeDays(input.graceDays, "graceDays", MAX_GRACE_DAYS);
      const chats = [input.openChatId, input.closedChatId];
      const now = core.now();
      try {
        const created = await core.db.transaction(async (tx) => {
          const clash = await tx
            .select({
              id: channels.id,
              ownerTelegramId: channels.ownerTelegramId,
              open: channels.openChatId,
              closed: channels.closedChatId,
            })
            .from(channels)
            .where(or(inArray(channels.openChatId, chats), inArray(channels.closedChatId, chats)))
            .orderBy(asc(channels.id));
          if (clash[0]) {
            const used = chats.find((c) => clash.some((x) => x.open === c || x.closed === c))!;
            throw chatTaken(used, clash[0]);
          }
          const [channel] = await tx
            .insert(channels)
            .values({
              ownerTelegramId: input.ownerTelegramId,
              openChatId: input.openChatId,
              closedChatId: input.closedChatId,
              openTitle: input.openTitle ?? "",
              closedTitle: input.closedTitle ?? "",
              description: input.description ?? "",
              donationMessage: input.donationMessage ?? "",
              ...payout,
              notifyChatId: input.notifyChatId ?? null,
              notificationsEnabled: input.notificationsEnabled ?? true,
              language,
              trialDays,
              graceDays,
              rails,
              ...(input.donation
                ? {
                    donationMin: input.donation.min,
                    donationMax: input.donation.max,
                    donationCurrency: input.donation.currency,
                  }
                : {}),
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          const tierRows = await writeTiers(tx, channel!.id, tierList, currency, now);
          await audit(tx, actor, "channel.created", channel!.id, {
            openChatId: String(input.openChatId),
            closedChatId: String(input.closedChatId),
            tiers: tierList,
            rails,
            priceCurrency: currency,
            payoutCurrency: payout.payoutCurrency,
            payoutNetwork: payout.payoutNetwork,
            language,
            trialDays,
            graceDays,
          });
          const eventId = await publishRequest(tx, channel!.id, actor, ["tiers", "donation"]);
          return { channel: channel!, tiers: tierRows, eventId };
        });
        core.enqueued();
        return created;
      } catch (err) {
        // Two registrations of the same chat at once: the unique index decides.
        if (isUniqueViolation(err)) {
          const [holder] = await core.db
            .select()
            .from(channels)
            .where(or(inArray(channels.openChatId, chats), inArray(channels.closedChatId, chats)));
          if (holder) throw chatTaken(input.openChatId, holder);
        }
        throw err;
      }
    },

    /**
     * Changes an owner's settings. Audit per field (`channel.description_changed`,
     * `channel.donation_message_changed`, `channel.notifications_toggled`, `channel.language_changed`);
     * a text change asks for the post that shows it (description → tier post, donation message →
     * donation post, language → both).
     */
    async update(channelId: number, actor: Actor, patch: ChannelPatch): Promise<Channel> {
      text(patch.description, "description");
      text(patch.donationMessage, "donationMessage");
      if (patch.language !== undefined) checkLanguage(patch.language);
      if (patch.trialDays !== undefined) wholeDays(patch.trialDays, "trialDays", MAX_TRIAL_DAYS);
      const now = core.now();
      let published = false;
      const updated = await core.db.transaction(async (tx) => {
        await actOn(tx, channelId, actor);
        const [row] = await tx
          .update(channels)
          .set({ ...patch, updatedAt: now })
          .where(eq(channels.id, channelId))
          .returning();
        const kinds: PostKind[] = [];
        if (patch.description !== undefined) {
          await audit(tx, actor, "channel.description_changed", channelId, { value: patch.description });
          kinds.push("tiers");
        }
        if (patch.donationMessage !== undefined) {
          await audit(tx, actor, "channel.donation_message_changed", channelId, {
            value: patch.donationMessage,
          });
          kinds.push("donation");
        }
        if (patch.notificationsEnabled !== undefined)
          await audit(tx, actor, "channel.notifications_toggled", channelId, {
            enabled: patch.notificationsEnabled,
          });
        if (patch.trialDays !== undefined)
          await audit(tx, actor, "channel.trial_days_changed", channelId, { value: patch.trialDays });
        if (patch.language !== undefined) {
          // Both posts and the tier buttons are in the channel's language: post them again.
          await audit(tx, actor, "channel.language_changed", channelId, { value: patch.language });
          kinds.push("tiers", "donation");
        }
        if (kinds.length > 0) {
          await publishRequest(tx, channelId, actor, [...new Set(kinds)]);
          published = true;
        }
        return row!;
      });
      if (published) core.enqueued();
      return updated;
    },

    /** Pauses sales (`channel.paused`) or resumes them (`channel.resumed`, clears the reason). */
    async setPaused(channelId: number, actor: Actor, paused: boolean): Promise<Channel> {
      const now = core.now();
      return core.db.transaction(async (tx) => {
        const channel = await actOn(tx, channelId, actor);
        const status: ChannelStatus = paused ? "paused" : "active";
        const [row] = await tx
          .update(channels)
          .set({ status, statusReason: null, updatedAt: now })
          .where(eq(channels.id, channelId))
          .returning();
        await audit(tx, actor, paused ? "channel.paused" : "channel.resumed", channelId, {
          from: channel.status,
        });
        return row!;
      });
    },

    /**
     * Asks the notifier to post or update the channel's posts (`channel.publish_requested`, audit
     * `channel.publish_requested`). Returns the event id.
     */
    async requestPublish(
      channelId: number,
      actor: Actor,
      kinds: readonly PostKind[] = ["tiers", "donation"],
    ): Promise<string> {
      const eventId = await core.db.transaction(async (tx) => {
        await actOn(tx, channelId, actor);
        const eventId = await publishRequest(tx, channelId, actor, kinds);
        await audit(tx, actor, "channel.publish_requested", channelId, { kinds, eventId });
        return eventId;
      });
      core.enqueued();
      return eventId;
    },

    /**
     * Replaces the channel's active tiers (old rows kept inactive), in the currency of the tiers
     * they replace unless `currency` is given; audit `channel.tiers_changed`, asks for the tier post.
     */
    async replaceTiers(channelId: number, actor: Actor, input: readonly RawTier[], currency?: string) {
      const list = requireValidTiers(input);
      const now = core.now();
      const rows = await core.db.transaction(async (tx) => {
        const channel = await actOn(tx, channelId, actor);
        // A channel selling for Stars keeps a Stars price on every tier.
        requireRails(channel.rails, list);
        const [current] = await tx
          .select({ currency: tiers.currency })
          .from(tiers)
          .where(and(eq(tiers.channelId, channelId), eq(tiers.active, true)))
          .orderBy(asc(tiers.position))
          .limit(1);
        const code = currency ?? current?.currency;
        if (code === undefined)
          throw invalid("priceCurrency", "the channel has no tiers: name their currency");
        const rows = await writeTiers(tx, channelId, list, priceCurrency(code), now);
        await audit(tx, actor, "channel.tiers_changed", channelId, { tiers: list });
        await publishRequest(tx, channelId, actor, ["tiers"]);
        return rows;
      });
      core.enqueued();
      return rows;
    },

    /**
     * The bot was removed from a chat of the channel (`bot_removed`) or lacks a right it needs
     * (`bot_lacks_rights`): sales stop until it is fixed. Audited as `channel.bot_status_changed`
     * when the status or reason changes. Returns whether it changed.
     */
    async markBotLostRights(
      channelId: number,
      problem: { status: "bot_removed" | "bot_lacks_rights"; reason: string; chatId?: bigint },
    ): Promise<boolean> {
      return setBotStatus(channelId, problem.status, problem.reason, problem.chatId);
    },

    /**
     * The bot has its rights again in both chats: a channel stopped for the bot's rights becomes
     * active (a paused one stays paused). Returns whether it changed.
     */
    async markBotRestored(channelId: number, options: { chatId?: bigint } = {}): Promise<boolean> {
      const [channel] = await core.db.select().from(channels).where(eq(channels.id, channelId));
      if (!channel || (channel.status !== "bot_removed" && channel.status !== "bot_lacks_rights"))
        return false;
      return setBotStatus(channelId, "active", null, options.chatId);
    },
  };

  async function setBotStatus(
    channelId: number,
    status: ChannelStatus,
    reason: string | null,
    chatId: bigint | undefined,
  ): Promise<boolean> {
    const now = core.now();
    return core.db.transaction(async (tx) => {
      const [channel] = await tx.select().from(channels).where(eq(channels.id, channelId));
      if (!channel || (channel.status === status && channel.statusReason === reason)) return false;
      await tx
        .update(channels)
        .set({ status, statusReason: reason, updatedAt: now })
        .where(eq(channels.id, channelId));
      await audit(tx, { kind: "system" }, "channel.bot_status_changed", channelId, {
        from: channel.status,
        to: status,
        reason,
        ...(chatId !== undefined ? { chatId: chatId.toString() } : {}),
      });
      return true;
    });
  }
}
export type Channels = ReturnType<typeof createChannels>;
