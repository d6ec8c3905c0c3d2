import { z } from "zod";
import { integer, secret } from "../fields.ts";
import type { EnvRule } from "../rules.ts";

/**
 * Reconciliation (docs/decisions/reconciliation.md): the dashboard login that NOWPayments' payment
 * list needs (POST /auth → JWT; both or neither, each may come from Secret Manager as X_SECRET), and
 * when orders are asked about. Without the login only payments whose id we already know (an earlier
 * IPN arrived) can be reconciled; an invoice whose every IPN was lost cannot be found.
 */
export const reconcileEnv = {
  NOWPAYMENTS_EMAIL: z.email({ error: "must be an e-mail address" }).optional(),
  NOWPAYMENTS_PASSWORD: secret().optional(),
  /** How often the built-in reconciliation runs (0 = never; Cloud Run runs the telepay-reconcile job). */
  RECONCILE_INTERVAL_SECONDS: integer(60, 0, 86_400),
  /** An order is first asked about this long after it was made. */
  RECONCILE_MIN_AGE_SECONDS: integer(180, 0, 86_400),
  /** Orders older than this are no longer asked about (their invoice has expired). */
  RECONCILE_MAX_AGE_HOURS: integer(168, 1, 2_160),
};

/** NOWPAYMENTS_EMAIL and NOWPAYMENTS_PASSWORD come together or not at all. */
export const requireLoginPair: EnvRule = (env, ctx) => {
  const email = env.NOWPAYMENTS_EMAIL !== undefined;
  const password = env.NOWPAYMENTS_PASSWORD !== undefined;
  if (email !== password) {
    ctx.addIssue({
      code: "custom",
      path: [email ? "NOWPAYMENTS_PASSWORD" : "NOWPAYMENTS_EMAIL"],
      message:
        "is required with NOWPAYMENTS_EMAIL/NOWPAYMENTS_PASSWORD (the dashboard login for the payment list)",
    });
  }
};

/** The reconciler's settings from a validated env (reconcileEnv's fields). */
export function reconcileSettingsOf(env: {
  RECONCILE_MIN_AGE_SECONDS: number;
  RECONCILE_MAX_AGE_HOURS: number;
}): { minAgeMs: number; maxAgeMs: number } {
  return {
    minAgeMs: env.RECONCILE_MIN_AGE_SECONDS * 1000,
    maxAgeMs: env.RECONCILE_MAX_AGE_HOURS * 3_600_000,
  };
}

/** The login for the NOWPayments client, or undefined when none is configured. */
export function nowPaymentsLoginOf(env: {
  NOWPAYMENTS_EMAIL?: string | undefined;
  NOWPAYMENTS_PASSWORD?: string | undefined;
}): { email: string; password: string } | undefined {
  return env.NOWPAYMENTS_EMAIL && env.NOWPAYMENTS_PASSWORD
    ? { email: env.NOWPAYMENTS_EMAIL, password: env.NOWPAYMENTS_PASSWORD }
    : undefined;
}

/** How owners are paid (docs/settlement.md). */
export const SETTLEMENT_MODES = ["operator", "direct"] as const;
export type SettlementMode = (typeof SETTLEMENT_MODES)[number];

export const settlementEnv = {
  /** `operator`: the operator's NOWPayments account collects and TelePay keeps a ledger of what is due. */
  SETTLEMENT: z.enum(SETTLEMENT_MODES, { error: "must be operator or direct" }).default("operator"),
};

/** `direct` (payout_address per payment, in-chat checkout) is not built: refuse it instead of pretending. */
export const refuseDirectSettlement: EnvRule = (env, ctx) => {
  if (env.SETTLEMENT === "direct") {
    ctx.addIssue({
      code: "custom",
      path: ["SETTLEMENT"],
      message:
        "direct (non-custodial payouts to each owner's wallet) is not built yet; use SETTLEMENT=operator (see docs/settlement.md)",
    });
  }
};
