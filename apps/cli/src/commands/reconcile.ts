import {
  CommerceError,
  createReconciler,
  type ReconciledOrder,
  type ReconcileResult,
  reconcileStars,
  type StarsReconcileResult,
} from "@telepay/commerce";
import { nowPaymentsApiBase, nowPaymentsLoginOf, reconcileSettingsOf } from "@telepay/config";
import { createNowPaymentsClient } from "@telepay/payments";
import { CliError, UsageError } from "../args.ts";
import { createCliBotApi } from "../bot-api.ts";
import { type Command, opt } from "../command.ts";
import { table } from "../output.ts";

const COLUMNS = ["orderReference", "statusBefore", "statusAfter", "result", "payments", "error"];

/**
 * `telepay payments reconcile`: asks NOWPayments about orders whose IPNs may have been lost and
 * records each answer exactly as an IPN (the core's reconciler). The Cloud Run job telepay-reconcile
 * runs it on Cloud Scheduler's schedule; standalone and the notifier also run it on a timer.
 */
export const reconcileCommand: Command = {
  path: ["payments", "reconcile"],
  summary:
    "Ask NOWPayments about open orders (lost IPNs) and Telegram about Stars charges (lost updates); record what they say.",
  usage: "payments reconcile [--order <reference>] [--dry-run] [--json]",
  details: [
    "  --order    check this order at once (no minimum age, backoff or status filter)",
    "  --dry-run  ask NOWPayments, record nothing: show each order's remote payment statuses",
    "Without --order: every order with an invoice or payment but no final status that is older than",
    "RECONCILE_MIN_AGE_SECONDS (180) and younger than RECONCILE_MAX_AGE_HOURS (168), each at most",
    "once per its backoff (2 min doubling to 6 h). Needs NOWPAYMENTS_API_KEY; NOWPAYMENTS_EMAIL and",
    "NOWPAYMENTS_PASSWORD (the dashboard login for the JWT of the payment list) to find payments whose",
    "every IPN was lost. Access for orders it records as paid is delivered by the running notifier",
    "(its re-drive and the outbox relay pick them up). Exit 1 when an order could not be checked.",
    "With TELEGRAM_BOT_TOKEN: also reads the bot's Stars transactions (getStarTransactions, the newest",
    "1000) and records every charge whose successful_payment was lost, as the update would have.",
  ].join("\n"),
  options: { order: { type: "string" }, "dry-run": { type: "boolean", default: false } },
  maxPositionals: 0,
  async run(ctx, values) {
    const orderReference = opt(values, "order");
    if (orderReference !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(orderReference)) {
      throw new UsageError("--order must be an order reference ([A-Za-z0-9_-], at most 64 characters)");
    }
    const dryRun = values["dry-run"] === true;
    const env = await ctx.env();
    const stars = env.TELEGRAM_BOT_TOKEN !== undefined && orderReference === undefined;
    if (!env.NOWPAYMENTS_API_KEY && !stars) {
      throw new CliError("payments reconcile needs NOWPAYMENTS_API_KEY (or NOWPAYMENTS_API_KEY_SECRET)");
    }
    const { db } = await ctx.database();
    let result: ReconcileResult | undefined;
    if (env.NOWPAYMENTS_API_KEY) {
      const reconciler = createReconciler({
        db,
        source: createNowPaymentsClient({
          apiKey: env.NOWPAYMENTS_API_KEY,
          baseUrl: nowPaymentsApiBase(env),
          login: nowPaymentsLoginOf(env),
        }),
        policy: { underpaidTolerancePercent: env.PAYMENT_UNDERPAID_TOLERANCE_PERCENT },
        settings: reconcileSettingsOf(env),
      });
      try {
        result = await reconciler.run({ ...(orderReference ? { orderReference } : {}), dryRun });
      } catch (error) {
        if (error instanceof CommerceError) throw new CliError(error.message);
        throw error;
      }
    }
    const starsResult: StarsReconcileResult | undefined = stars
      ? await reconcileStars({ db }, createCliBotApi(env.TELEGRAM_BOT_TOKEN!, env.TELEGRAM_API_ROOT), {
          dryRun,
        })
      : undefined;
    const verb = dryRun ? "Would check" : "Checked";
    const lines: string[] = [];
    if (result)
      lines.push(
        result.checked === 0
          ? "No order is due for reconciliation."
          : `${verb} ${result.checked} order(s): ${result.recorded} changed, ${result.errors} failed, ${result.skipped} skipped.\n${table(result.orders.map(human), COLUMNS)}`,
      );
    if (starsResult)
      lines.push(
        `Stars: read ${starsResult.scanned} transaction(s), ${starsResult.missing.length} charge(s) missing${dryRun ? "" : " and recorded"}.` +
          (starsResult.missing.length > 0
            ? `\n${table(
                starsResult.missing.map((m) => ({ ...m, outcome: m.outcome ?? "-" })),
                ["chargeId", "userId", "orderReference", "amount", "renewal", "outcome"],
              )}`
            : "") +
          (starsResult.refunded.length > 0
            ? `\n${starsResult.refunded.length} refunded charge(s) still granting access${dryRun ? "" : ", reversed"}: ${starsResult.refunded.map((r) => r.orderReference).join(", ")}`
            : ""),
      );
    const empty = { dryRun, checked: 0, recorded: 0, errors: 0, skipped: 0, orders: [] };
    ctx.print({ ...(result ?? empty), ...(starsResult ? { stars: starsResult } : {}) }, lines.join("\n"));
    if (result && result.errors > 0)
      throw new CliError(`${result.errors} order(s) could not be checked (see error above)`);
  },
};

function human(o: ReconciledOrder): Record<string, unknown> {
  return {
    ...o,
    payments:
      o.payments
        .map((p) => `${p.paymentId}:${p.remoteStatus}${p.outcome ? `→${p.outcome}` : ""}`)
        .join(" ") || "-",
    error: o.error ?? null,
  };
}
