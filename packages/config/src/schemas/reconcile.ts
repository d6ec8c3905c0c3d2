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

/** The coins a payer may choose in a direct-mode checkout when DIRECT_PAY_CURRENCIES is unset. */
export const DEFAULT_DIRECT_PAY_CURRENCIES = "btc,eth,ltc,usdttrc20";
/** At most this many coin buttons in one checkout (Telegram keyboards stay readable). */
const MAX_DIRECT_PAY_CURRENCIES = 12;

/** DIRECT_PAY_CURRENCIES: NOWPayments tickers, comma separated, lower-cased; every bad entry is named. */
const payCurrencyList = () =>
  z
    .string()
    .default(DEFAULT_DIRECT_PAY_CURRENCIES)
    .transform((value, ctx) => {
      const entries = value
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== "");
      const bad = entries.filter((e) => !/^[a-z0-9]{2,20}$/.test(e));
      if (bad.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `not a NOWPayments ticker: ${bad.map((e) => JSON.stringify(e)).join(", ")}`,
        });
      const repeated = entries.filter((e, i) => entries.indexOf(e) !== i);
      if (repeated.length > 0)
        ctx.addIssue({ code: "custom", message: `listed twice: ${[...new Set(repeated)].join(", ")}` });
      if (entries.length === 0) ctx.addIssue({ code: "custom", message: "must list at least one coin" });
      if (entries.length > MAX_DIRECT_PAY_CURRENCIES)
        ctx.addIssue({ code: "custom", message: `lists more than ${MAX_DIRECT_PAY_CURRENCIES} coins` });
      return entries;
    });

export const settlementEnv = {
  /**
   * `operator`: the operator's NOWPayments account collects and TelePay keeps a ledger of what is due.
   * `direct`: each payment is made with the owner's wallet as payout_address and settles straight to it.
   */
  SETTLEMENT: z.enum(SETTLEMENT_MODES, { error: "must be operator or direct" }).default("operator"),
  /** SETTLEMENT=direct: the coins a payer may choose in the bot's checkout. */
  DIRECT_PAY_CURRENCIES: payCurrencyList(),
};
