import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, money, telegramId, updatedAt } from "./columns.ts";

export const CHANNEL_STATUSES = ["active", "paused", "bot_removed", "bot_lacks_rights"] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const INVITE_MODES = ["join_request", "member_limit"] as const;
export type InviteMode = (typeof INVITE_MODES)[number];

/** How a channel takes payment: crypto (NOWPayments), Telegram Stars, or both (docs/stars.md). */
export const PAYMENT_RAILS = ["crypto", "stars", "both"] as const;
export type PaymentRails = (typeof PAYMENT_RAILS)[number];

/** A paid channel: the public ("open") channel with the tier post and the private ("closed") one. */
export const channels = pgTable(
  "channels",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    ownerTelegramId: telegramId("owner_telegram_id").notNull(),
    openChatId: telegramId("open_chat_id").notNull().unique(),
    closedChatId: telegramId("closed_chat_id").notNull().unique(),
    openTitle: text("open_title").notNull().default(""),
    closedTitle: text("closed_title").notNull().default(""),
    description: text("description").notNull().default(""),
    donationMessage: text("donation_message").notNull().default(""),
    donationMin: money("donation_min").notNull().default("4.99"),
    donationMax: money("donation_max").notNull().default("9999.99"),
    donationCurrency: text("donation_currency").notNull().default("USD"),
    payoutWallet: text("payout_wallet").notNull(),
    payoutCurrency: text("payout_currency").notNull(),
    payoutNetwork: text("payout_network"),
    /** Memo / destination tag of the payout wallet, for coins that need one (payout_extra_id). */
    payoutExtraId: text("payout_extra_id"),
    notificationsEnabled: boolean("notifications_enabled").notNull().default(true),
    notifyChatId: telegramId("notify_chat_id"),
    /** The language of the channel's posts and tier buttons (a TelePay locale), picked by the owner. */
    language: text("language").notNull().default("en"),
    /** Free days a new subscriber may take once, ever (0 = no trial); see trials. */
    trialDays: integer("trial_days").notNull().default(0),
    /** Days after expiry before the sweep removes a subscriber (renewals in grace stack on the expiry). */
    graceDays: integer("grace_days").notNull().default(0),
    /** The rails subscribers may pay with; `stars`/`both` need a Stars price on every active tier. */
    rails: text("rails", { enum: PAYMENT_RAILS }).notNull().default("crypto"),
    inviteMode: text("invite_mode", { enum: INVITE_MODES }).notNull().default("join_request"),
    status: text("status", { enum: CHANNEL_STATUSES }).notNull().default("active"),
    statusReason: text("status_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("channels_owner_idx").on(t.ownerTelegramId),
    check("channels_trial_days_range", sql`${t.trialDays} BETWEEN 0 AND 365`),
    check("channels_grace_days_range", sql`${t.graceDays} BETWEEN 0 AND 90`),
    check("channels_donation_range", sql`${t.donationMin} > 0 AND ${t.donationMax} >= ${t.donationMin}`),
  ],
);
