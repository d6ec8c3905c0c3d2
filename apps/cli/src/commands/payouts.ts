import { type Balance, CommerceError, createSettlement, PAYOUT_AMOUNT } from "@telepay/commerce";
import { channels } from "@telepay/db";
import { csvField } from "@telepay/security/csv";
import { inArray } from "drizzle-orm";
import { CliError, required, rowId, UsageError } from "../args.ts";
import { type Command, opt } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { table } from "../output.ts";

const CSV_COLUMNS = [
  "channelId",
  "ownerTelegramId",
  "currency",
  "earned",
  "paid",
  "due",
  "payments",
  "lastPayoutAmount",
  "lastPayoutAt",
  "payoutWallet",
  "payoutCurrency",
  "payoutNetwork",
] as const;

const due: Command = {
  path: ["payouts", "due"],
  summary:
    "What the operator owes each channel's owner for payments it collected (SETTLEMENT=operator): earned, paid out, due.",
  usage: "payouts due [--channel <id>] [--csv | --json]",
  details: [
    "  earned  paid orders' payments, as NOWPayments credited them (outcome amount, after fees), per currency",
    "  paid    payouts recorded with telepay payouts mark-paid",
    "  due     earned − paid (negative when a refund came after a payout)",
    "  --csv   RFC 4180 CSV with the owner's payout wallet; --json one object per channel and currency",
    "With SETTLEMENT=direct each payment settles straight to the owner's wallet and is never owed here;",
    "only payments collected while in operator mode are listed.",
    "Rules (fees, partial, overpaid, refunded payments): docs/settlement.md",
  ].join("\n"),
  options: { channel: { type: "string" }, csv: { type: "boolean", default: false } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelArg = opt(values, "channel");
    const channelId = channelArg === undefined ? undefined : rowId(channelArg, "channel");
    if (values.csv === true && ctx.json) throw new UsageError("give either --csv or --json, not both");
    const { SETTLEMENT } = await ctx.env();
    const { db } = await ctx.database();
    if (channelId !== undefined) await requireChannel(db, channelId);
    // Direct payments are excluded by the ledger itself (settlement.ts COUNTS); say so, so nobody
    // reads an empty or small list as money owed being forgotten.
    const directNote =
      SETTLEMENT === "direct"
        ? "SETTLEMENT=direct: payments settle straight to each owner's wallet; the operator owes nothing for them. Listed: only what was collected in operator mode."
        : undefined;
    if (directNote && (ctx.json || values.csv === true)) ctx.stderr.write(`${directNote}\n`);
    const balances = await createSettlement({ db }).balances(channelId === undefined ? {} : { channelId });
    const wallets = new Map(
      balances.length === 0
        ? []
        : (
            await db
              .select()
              .from(channels)
              .where(
                inArray(
                  channels.id,
                  balances.map((b) => b.channelId),
                ),
              )
          ).map((c) => [c.id, c]),
    );
    const data = balances.map((b: Balance) => {
      const c = wallets.get(b.channelId);
      return {
        channelId: b.channelId,
        ownerTelegramId: b.ownerTelegramId,
        currency: b.currency,
        earned: b.earned,
        paid: b.paid,
        due: b.due,
        payments: b.payments,
        lastPayout: b.lastPayout,
        payoutWallet: c?.payoutWallet ?? null,
        payoutCurrency: c?.payoutCurrency ?? null,
        payoutNetwork: c?.payoutNetwork ?? null,
      };
    });
    if (values.csv === true) {
      const lines = [CSV_COLUMNS.join(",")];
      for (const d of data) {
        const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
          ...d,
          lastPayoutAmount: d.lastPayout?.amount ?? "",
          lastPayoutAt: d.lastPayout?.at.toISOString() ?? "",
        };
        lines.push(CSV_COLUMNS.map((col) => csvField(row[col] ?? "")).join(","));
      }
      ctx.stdout.write(`${lines.join("\r\n")}\r\n`);
      return;
    }
    ctx.print(
      data,
      (directNote ? `${directNote}\n` : "") +
        (data.length === 0
          ? directNote
            ? "Nothing owed."
            : "Nothing earned yet: no paid orders."
          : table(
              data.map((d) => ({
                ...d,
                channel: d.channelId,
                owner: d.ownerTelegramId,
                lastPayout: d.lastPayout
                  ? `${d.lastPayout.amount} at ${d.lastPayout.at.toISOString()}`
                  : null,
                wallet: d.payoutWallet,
              })),
              ["channel", "owner", "currency", "earned", "paid", "due", "payments", "lastPayout", "wallet"],
            )),
    );
  },
};

const markPaid: Command = {
  path: ["payouts", "mark-paid"],
  summary: "Record that you paid a channel's owner (audited); it is subtracted from what is due.",
  usage:
    "payouts mark-paid --channel <id> --amount <decimal> [--currency <ticker>] [--note <text>] [--force] [--json]",
  details: [
    "  --amount    in the ledger's currency (see payouts due), e.g. 125.5; at most 8 decimals",
    "  --currency  which balance, when the channel has more than one (default: its only one)",
    "  --note      e.g. the transaction hash of the transfer",
    "  --force     record it even though it is more than is due (an advance, a correction)",
    "Send the money first (TelePay moves none), then record it here. Two operators recording at once are",
    "checked one after the other against the balance.",
  ].join("\n"),
  options: {
    channel: { type: "string" },
    amount: { type: "string" },
    currency: { type: "string" },
    note: { type: "string" },
    force: { type: "boolean", default: false },
  },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
    const amount = required(opt(values, "amount"), "amount");
    if (!PAYOUT_AMOUNT.test(amount) || /^0(\.0*)?$/.test(amount)) {
      throw new UsageError(
        `--amount must be a positive decimal like 125.5 (at most 8 decimals), got '${opt(values, "amount")}'`,
      );
    }
    const currency = opt(values, "currency");
    if (currency !== undefined && !/^[A-Za-z0-9]{2,20}$/.test(currency.trim())) {
      throw new UsageError(`--currency must be a ticker like usdttrc20, got '${currency}'`);
    }
    const { db } = await ctx.database();
    const note = opt(values, "note");
    let recorded: Awaited<ReturnType<ReturnType<typeof createSettlement>["markPaid"]>>;
    try {
      recorded = await createSettlement({ db }).markPaid({
        channelId,
        amount,
        ...(currency !== undefined ? { currency } : {}),
        note: note ?? null,
        force: values.force === true,
        actor: { kind: "cli" },
      });
    } catch (err) {
      if (err instanceof CommerceError) {
        if (err.code === "INVALID" && err.details.field === "note")
          throw new UsageError(`--note: ${err.message}`);
        if (err.code === "NOT_FOUND") throw new CliError(`${err.message} (see telepay channel list)`);
        throw new CliError(err.message);
      }
      throw err;
    }
    ctx.print(
      recorded,
      `Recorded payout ${recorded.payoutId}: ${recorded.amount} ${recorded.currency} to channel ${channelId}'s owner; due ${recorded.dueBefore} → ${recorded.dueAfter}${recorded.forced ? " (forced: more than was due)" : ""}.`,
    );
  },
};

export const payoutsCommands: readonly Command[] = [due, markPaid];
