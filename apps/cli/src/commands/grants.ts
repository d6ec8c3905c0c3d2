import { listStuckGrants, requeueGrants, type StuckGrant } from "@telepay/commerce";
import { orders } from "@telepay/db";
import { eq } from "drizzle-orm";
import { CliError } from "../args.ts";
import type { Command } from "../command.ts";
import { postNotifierJob } from "../notifier-jobs.ts";
import { table } from "../output.ts";

const COLUMNS = [
  "orderId",
  "orderReference",
  "userId",
  "channelId",
  "paidAt",
  "state",
  "attempts",
  "nextAttemptAt",
  "lastError",
];

const stuck: Command = {
  path: ["grants", "stuck"],
  summary: "List paid subscription orders whose payer has not got access yet (no grant, or not delivered).",
  usage: "grants stuck [--json]",
  details: [
    "  state: none (paid, no grant recorded), owed (days not added yet), pending (waiting for a retry),",
    "         delivering (a worker holds it), failed / invite_failed (given up: see lastError; the owner",
    "         may have to give the bot its rights back), then `telepay grants redrive`.",
  ].join("\n"),
  options: {},
  maxPositionals: 0,
  async run(ctx) {
    const { db } = await ctx.database();
    const rows = await listStuckGrants(db);
    ctx.print(
      rows,
      rows.length === 0
        ? "Every paid order has its access."
        : `${rows.length} paid order(s) without delivered access:\n${table(rows.map(human), COLUMNS)}`,
    );
  },
};

const redrive: Command = {
  path: ["grants", "redrive"],
  summary: "Resume stuck grants now (all, or one order): failed ones are tried again, missing ones created.",
  usage: "grants redrive [<order reference>] [--json]",
  details: [
    "Makes the grants due in the database, then asks the running notifier (POST /jobs/redrive, signed;",
    "on the embedded default the running `pnpm start`) to deliver them at once, and reports what came of",
    "each. If the notifier cannot be reached the grants stay due and its periodic re-drive delivers them.",
  ].join("\n"),
  options: {},
  maxPositionals: 1,
  async run(ctx, _values, positionals) {
    const { db } = await ctx.database();
    let orderIds: number[] | undefined;
    const reference = positionals[0];
    if (reference !== undefined) {
      const [order] = await db.select().from(orders).where(eq(orders.reference, reference));
      if (!order) throw new CliError(`no order with reference '${reference}'`);
      if (order.kind !== "subscription" || order.status !== "finished") {
        throw new CliError(
          `order '${reference}' is a ${order.kind} in status ${order.status}: it owes no access`,
        );
      }
      orderIds = [order.id];
    }
    const due = await requeueGrants(db, orderIds ? { orderIds } : {});
    if (due.length === 0) {
      ctx.print(
        { requeued: 0, grants: [] },
        reference ? `Order ${reference} already has its access.` : "Nothing is stuck.",
      );
      return;
    }
    try {
      await postNotifierJob(ctx, "redrive", { orderIds: due });
    } catch (error) {
      // The grants are due in the database: the notifier's periodic re-drive delivers them.
      throw new CliError(
        `${due.length} grant(s) are due again, but they were not delivered now: ${(error as Error).message}`,
      );
    }
    const after = await listStuckGrants(db, { orderIds: due });
    const delivered = due.length - after.length;
    ctx.print(
      { requeued: due.length, delivered, stillStuck: after },
      after.length === 0
        ? `Delivered access for ${delivered} order(s).`
        : `Delivered ${delivered} of ${due.length}; still stuck:\n${table(after.map(human), COLUMNS)}`,
    );
    if (after.some((g) => g.state === "failed" || g.state === "invite_failed")) {
      throw new CliError(`${after.length} grant(s) failed again (see lastError above)`);
    }
  },
};

function human(g: StuckGrant): Record<string, unknown> {
  return { ...g, state: g.state ?? "none" };
}

export const grantsCommands: readonly Command[] = [stuck, redrive];
