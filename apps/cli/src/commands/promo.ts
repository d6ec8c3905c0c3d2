import { CommerceError, createPromos, MAX_PROMO_PERCENT, promoJson } from "@telepay/commerce";
import { CliError, isoInstant, required, rowId, UsageError } from "../args.ts";
import { type Command, opt, optList } from "../command.ts";
import { table } from "../output.ts";

const CLI = { kind: "cli" } as const;

/** The core's refusal as a one-line reason: bad input exits 2, the rest 1. */
function cliError(err: unknown): unknown {
  if (!(err instanceof CommerceError)) return err;
  if (err.code === "INVALID") return new UsageError(err.message);
  return new CliError(err.message);
}

/** A whole number within [min, max] or a usage error naming the option. */
function whole(value: string, name: string, min: number, max: number): number {
  const v = value.trim();
  if (!/^-?\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  return Number(v);
}

const add: Command = {
  path: ["promo", "add"],
  summary: "Create a promo code for a channel: a percent or an amount off, optionally limited.",
  usage:
    "promo add --channel <id> --code <CODE> (--percent <n> | --off <decimal>) [--max-uses <n>] [--expires <ISO time>] [--tier <position>…] [--json]",
  details: [
    "  --code      3-32 letters, digits, _ or - (stored upper-case; subscribers may type any case)",
    `  --percent   whole percent off, 1-${MAX_PROMO_PERCENT}`,
    "  --off       fixed amount off, in the channel's price currency, e.g. 2.50",
    "  --max-uses  how many orders may use it (an unpaid order holds a use for an hour)",
    "  --expires   when it stops working, ISO 8601 with a zone",
    "  --tier      repeat to limit the code to some tiers (positions as in channel show)",
    "A discounted price below the payment processor's minimum is refused when a subscriber applies the code.",
  ].join("\n"),
  options: {
    channel: { type: "string" },
    code: { type: "string" },
    percent: { type: "string" },
    off: { type: "string" },
    "max-uses": { type: "string" },
    expires: { type: "string" },
    tier: { type: "string", multiple: true },
  },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
    const code = required(opt(values, "code"), "code");
    const percent = opt(values, "percent");
    const off = opt(values, "off");
    if ((percent === undefined) === (off === undefined))
      throw new UsageError("give either --percent <n> or --off <decimal>");
    const maxUses = opt(values, "max-uses");
    const expires = opt(values, "expires");
    const input = {
      channelId,
      code,
      ...(percent !== undefined ? { percentOff: whole(percent, "percent", 1, MAX_PROMO_PERCENT) } : {}),
      ...(off !== undefined ? { amountOff: off } : {}),
      maxUses: maxUses === undefined ? null : whole(maxUses, "max-uses", 1, 1_000_000),
      expiresAt: expires === undefined ? null : isoInstant(expires, "expires"),
      tierPositions: optList(values, "tier").map((t) => whole(t, "tier", 1, 10)),
    };
    const { db } = await ctx.database();
    const created = await createPromos({ db })
      .add(CLI, input)
      .catch((err: unknown) => {
        throw cliError(err);
      });
    const what = created.percentOff !== null ? `${created.percentOff}% off` : `${created.amountOff} off`;
    ctx.print(promoJson(created), `Created code ${created.code} for channel ${channelId}: ${what}.`);
  },
};

const list: Command = {
  path: ["promo", "list"],
  summary: "List a channel's promo codes with how often each was used (paid) and is held (unpaid orders).",
  usage: "promo list --channel <id> [--json]",
  options: { channel: { type: "string" } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
    const { db } = await ctx.database();
    const rows = await createPromos({ db })
      .list(CLI, channelId)
      .catch((err: unknown) => {
        throw cliError(err);
      });
    const data = rows.map(promoJson);
    const human = data.map((p) => ({
      ...p,
      discount: p.percentOff !== null ? `${p.percentOff}%` : `-${p.amountOff}`,
      maxUses: p.maxUses ?? "∞",
      tiers: p.tierPositions?.join(",") ?? "all",
    }));
    ctx.print(
      data,
      data.length === 0
        ? `Channel ${channelId} has no promo codes.`
        : table(human, ["code", "discount", "uses", "held", "maxUses", "expiresAt", "tiers", "active"]),
    );
  },
};

const disable: Command = {
  path: ["promo", "disable"],
  summary: "Disable a promo code (orders already opened with it keep their price).",
  usage: "promo disable --channel <id> --code <CODE> [--json]",
  options: { channel: { type: "string" }, code: { type: "string" } },
  maxPositionals: 0,
  async run(ctx, values) {
    const channelId = rowId(required(opt(values, "channel"), "channel"), "channel");
    const code = required(opt(values, "code"), "code");
    const { db } = await ctx.database();
    const row = await createPromos({ db })
      .disable(CLI, channelId, code)
      .catch((err: unknown) => {
        throw cliError(err);
      });
    ctx.print(promoJson(row), `Disabled code ${row.code} of channel ${channelId}.`);
  },
};

export const promoCommands: readonly Command[] = [add, list, disable];
