import type { Db } from "@telepay/db";
import type { AddressVerdict } from "@telepay/payments";

/**
 * NOWPayments' wallet check (POST /payout/validate-address). Given to the core in SETTLEMENT=direct,
 * where every payment pays out to the owner's wallet: a wallet it refuses is never stored.
 */
export interface PayoutAddressCheck {
  validateAddress(input: {
    address: string;
    currency: string;
    extraId?: string | null;
  }): Promise<AddressVerdict>;
}

/** What every part of the core needs. Apps build one and share it (createCommerce). */
export interface CommerceDeps {
  db: Db;
  /** The clock (tests); default the system clock. */
  now?: () => Date;
  /**
   * Called after a transaction that wrote outbox events committed, so the relay publishes at once
   * instead of at its next tick (the outbox relay's `kick`). Never throws into the caller.
   */
  onEnqueued?: () => void;
  /** Days before expiry the sweep reminds (REMINDER_DAYS); sets next_check_at on grants. Default [3, 1]. */
  reminderDays?: readonly number[];
  /** SETTLEMENT=direct: new payout wallets are checked with NOWPayments before they are stored. */
  payoutAddresses?: PayoutAddressCheck;
}

/** CommerceDeps with defaults filled in. */
export interface Core {
  db: Db;
  now: () => Date;
  /** Kicks the relay (safe: errors are swallowed). */
  enqueued: () => void;
  payoutAddresses: PayoutAddressCheck | undefined;
}

export function coreOf(deps: CommerceDeps): Core {
  return {
    db: deps.db,
    now: deps.now ?? (() => new Date()),
    payoutAddresses: deps.payoutAddresses,
    enqueued: () => {
      try {
        deps.onEnqueued?.();
      } catch {
        // A missed kick only delays publishing until the relay's next tick.
      }
    },
  };
}

/** Who asked for a change: recorded in the audit log and carried by events. */
export type Actor = { kind: "owner"; telegramId: bigint } | { kind: "cli" } | { kind: "system" };
