import type { Reports } from "@telepay/commerce";
import type { Logger } from "@telepay/config";
import type { Db } from "@telepay/db";
import type { NowPaymentsClient } from "@telepay/payments";
import type { BotTexts } from "@telepay/telegram";
import type { Context, SessionFlavor } from "grammy";
import type { KeypadSession } from "./keypad.ts";
import type { BroadcastDraft, EditSession, OnboardingSession } from "./onboarding-state.ts";

/**
 * What the bot needs from the NOWPayments client: invoices (SETTLEMENT=operator), payments paid out
 * to the owner and wallet checks (SETTLEMENT=direct).
 */
export type InvoiceClient = Pick<NowPaymentsClient, "createInvoice" | "createPayment" | "validateAddress">;

/** How owners are paid (docs/settlement.md) and, in direct mode, the coins a payer may choose. */
export interface SettlementSettings {
  mode: "operator" | "direct";
  coins: readonly string[];
}

/** Donation rules used when a channel does not set its own (the legacy defaults). */
export interface DonationDefaults {
  min: string;
  max: string;
  currency: string;
  /** How long a keypad stays usable. */
  timeoutMs: number;
}

/** Resolved settings every feature reads (never per-user state). */
export interface BotSettings {
  botUsername: string;
  botId: number;
  /** `${publicBaseUrl}/webhooks/nowpayments` */
  ipnCallbackUrl: string;
  donation: DonationDefaults;
  /** How long an unfinished /newchannel or edit flow is kept. */
  conversationTimeoutMs: number;
  /** Repeated taps within this window reuse the same open order. */
  orderReuseMs: number;
  /** `${publicBaseUrl}/dashboard`: the owner dashboard Mini App (the /mychannels button); unset on plain http. */
  dashboardUrl: string | undefined;
  /** SETTLEMENT and DIRECT_PAY_CURRENCIES. */
  settlement: SettlementSettings;
  /** BROADCASTS_PER_CHANNEL_PER_DAY: the core refuses more broadcasts of one channel in 24 hours. */
  broadcastsPerDay: number;
  /** REMINDER_DAYS (the core's next_check_at for trials and grants). */
  reminderDays: readonly number[];
}

/** Shared services injected into every context (`ctx.services`). */
export interface BotServices {
  db: Db;
  payments: InvoiceClient;
  /** Dashboard figures; the bot records offer opens (the conversion funnel's first step) with it. */
  reports: Reports;
  settings: BotSettings;
  logger: Logger;
  now: () => Date;
  /** Asks the outbox relay to publish soon (events enqueued by owner actions); a no-op without one. */
  kickRelay: () => void;
}

/**
 * Everything per user lives here, persisted in `bot_sessions` (never in process memory or
 * globals: docs/legacy-mistakes.md#lm-6, docs/legacy-mistakes.md#lm-7).
 */
export interface SessionData {
  keypad?: KeypadSession;
  onboarding?: OnboardingSession;
  edit?: EditSession;
  /** An owner's /broadcast being composed (features/broadcast.ts). */
  broadcast?: BroadcastDraft;
  /** A review the owner chose to dismiss: their next text (or /skip) is the note. */
  reviewNote?: { paymentId: string; reason: string; chatId: number; messageId: number };
  /** "Have a code?" was tapped: the subscriber's next text is a promo code for this offer. */
  promoEntry?: { channelId: number; tierId: number | null; updatedAt: string };
  /** An owner's new promo code, answer by answer (features/owner-promos.ts). */
  promoDraft?: PromoDraft;
  /** The owner tapped "Free trial" on a channel's panel: their next text is its number of days. */
  trialEdit?: { channelId: number; updatedAt: string };
}

/** The answers so far of /mychannels → Promo codes → New code; the core validates them at the end. */
export interface PromoDraft {
  channelId: number;
  step: "code" | "discount" | "uses" | "expiry" | "tiers";
  code?: string;
  percentOff?: number;
  amountOff?: string;
  maxUses?: number | null;
  /** ISO time, or null for no expiry. */
  expiresAt?: string | null;
  updatedAt: string;
}

export type BotContext = Context &
  SessionFlavor<SessionData> & {
    services: BotServices;
    /**
     * The texts for whoever sent this update, in their language: their /language choice, else
     * Telegram's language_code, else English (set before any feature runs).
     */
    t: BotTexts;
  };
