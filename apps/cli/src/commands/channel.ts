import {
  CommerceError,
  createChannels,
  isStarsPrice,
  MAX_STARS_PRICE,
  type PayoutAddressCheck,
  parseTiers,
  type TierProblem,
} from "@telepay/commerce";
import { nowPaymentsApiBase } from "@telepay/config";
import { channelPosts, channels, isLanguage, LANGUAGES, subscriptions, tiers } from "@telepay/db";
import { createNowPaymentsClient } from "@telepay/payments";
import { and, asc, eq, sql } from "drizzle-orm";
import { anyChatId, CliError, channelChatId, required, rowId, telegramUserId, UsageError } from "../args.ts";
import { type Command, opt, optList } from "../command.ts";
import { requireChannel } from "../lookups.ts";
import { finishWait, WAIT_HELP, WAIT_OPTIONS, waitForOutcome, waitOption } from "../outcome.ts";
import { table } from "../output.ts";

type ChannelRow = typeof channels.$inferSelect;
type TierRow = typeof tiers.$inferSelect;

/** The JSON shape of a channel (data-model names, camelCase; bigint ids become strings on output). */
function channelJson<E extends Record<string, unknown>>(c: ChannelRow, extra: E = {} as E) {
  return {
    id: c.id,
    ownerTelegramId: c.ownerTelegramId,
    openChatId: c.openChatId,
    closedChatId: c.closedChatId,
    openTitle: c.openTitle,
    closedTitle: c.closedTitle,
    payoutWallet: c.payoutWallet,
    payoutCurrency: c.payoutCurrency,
    payoutNetwork: c.payoutNetwork,
    payoutExtraId: c.payoutExtraId,
    notifyChatId: c.notifyChatId,
    notificationsEnabled: c.notificationsEnabled,
    language: c.language,
    trialDays: c.trialDays,
    graceDays: c.graceDays,
    status: c.status,
    rails: c.rails,
    createdAt: c.createdAt,
    ...extra,
  };
}

function tierJson(t: TierRow) {
  return {
    id: t.id,
    position: t.position,
    price: t.price,
    currency: t.currency,
    durationDays: t.durationDays,
    label: t.label,
    starsPrice: t.starsPrice,
    active: t.active,
  };
}

/** The core's tier problem as a one-line CLI reason. */
function tierMessage(p: TierProblem): string {
  if (p.kind === "count")
    return p.got === 0
      ? "at least one --tier <price>:<days>[:<label>] is required"
      : `at most ${p.max} tiers, got ${p.got}`;
  switch (p.kind) {
    case "format":
      return `--tier must look like <price>:<days>[:<label>], e.g. 9.99:30:Monthly, got '${p.line}'`;
    case "price":
      return `--tier price in '${p.line}' must be a decimal amount like 9.99 (at most 2 decimals)`;
    case "price_zero":
      return `--tier price in '${p.line}' must be greater than 0`;
    case "days":
      return `--tier days in '${p.line}' must be a whole number between 1 and 3650`;
    case "label":
      return `--tier label in '${p.line}' is too long (at most 64 characters)`;
    case "stars":
      return `--stars price for tier ${p.index + 1} must be a whole number of Stars between 1 and ${MAX_STARS_PRICE}`;
  }
}

/**
 * `--stars 100,250`: one whole Stars price per --tier, in order (ARCHITECTURE.md). Undefined when
 * not given; a count that does not match the tiers or a price that is not a whole number → usage error.
 */
function starsPrices(raw: string | undefined, tierCount: number): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length !== tierCount)
    throw new UsageError(`--stars needs one price per --tier (${tierCount}), got ${parts.length}: '${raw}'`);
  return parts.map((p, i) => {
    const n = /^\d{1,5}$/.test(p) ? Number(p) : Number.NaN;
    if (!isStarsPrice(n))
      throw new UsageError(
        `--stars price for tier ${i + 1} must be a whole number of Stars between 1 and ${MAX_STARS_PRICE}, got '${p}'`,
      );
    return n;
  });
}

/** The options named by the core's INVALID fields. */
const FIELD_HINTS: Record<string, string> = {
  payoutWallet: "--wallet must be a payout address (8-128 letters, digits, : . _ -)",
  payoutCurrency: "--currency must be a NOWPayments ticker like usdttrc20",
  payoutNetwork: "--network must be a network code like trx",
  payoutExtraId: "--extra-id must be the wallet's memo / destination tag (1-64 letters, digits, : . _ -)",
  priceCurrency: "--price-currency must be a currency code like USD",
  closedChatId: "--open and --closed must be different channels",
  language: `--lang must be one of ${LANGUAGES.join(", ")}`,
  trialDays: "--trial-days must be a whole number of days from 0 to 365",
  graceDays: "--grace-days must be a whole number of days from 0 to 90",
  rails: "--rails must be crypto, stars or both",
  starsPrice: "--rails stars|both needs --stars with one Stars price per --tier",
};

/** A whole number of days in [0, max], or a usage error naming the option. */
function dayCount(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^\d{1,4}$/.test(v) || Number(v) > max)
    throw new UsageError(`--${name} must be a whole number of days from 0 to ${max}, got '${value}'`);
  return Number(v);
}

/** A refusal of the core as the CLI's one-line reason (bad input exits 2, the rest 1). */
function cliError(err: unknown): unknown {
  if (!(err instanceof CommerceError)) return err;
  if (err.code === "INVALID") {
    const field = String(err.details.field ?? "");
    // NOWPayments' own verdict on the wallet (SETTLEMENT=direct): its reason says more than the hint.
    if (field === "payoutWallet" && err.details.reason === "unavailable") return new CliError(err.message);
    if (field === "payoutWallet" && err.details.reason === "refused") return new UsageError(err.message);
    if (field === "tiers") return new UsageError(tierMessage(err.details.problem as TierProblem));
    return new UsageError(FIELD_HINTS[field] ?? err.message);
  }
  if (err.code === "NOT_FOUND") return new CliError(`${err.message} (see telepay channel list)`);
  return new CliError(err.message);
}

function channelIdArg(value: string | undefined): number {
  if (value === undefined) throw new UsageError("missing channel id (see telepay channel list)");
  return rowId(value, "<id>");
}

const add: Command = {
  path: ["channel", "add"],
  summary:
    "Register a paid channel with its tiers and queue its posts (same rules, audit and event as the bot).",
  usage:
    "channel add --owner <tg id> --open <chat id> --closed <chat id> --tier <price>:<days>[:<label>]… --wallet <address> --currency <ticker> [--network <net>] [--extra-id <memo>] [--notify <chat id>] [--price-currency <code>] [--trial-days <n>] [--grace-days <n>] [--lang <code>] [--rails crypto|stars|both] [--stars <n>[,<n>…]]",
  details: [
    "  --owner           the owner's Telegram user id",
    "  --open, --closed  chat ids of the public channel (tier post) and the private one, like -1001234567890",
    "  --tier            repeat for each tier: price:days[:label], e.g. --tier 9.99:30:Monthly --tier 99:365:Yearly",
    "  --price-currency  currency of tier prices (default USD)",
    "  --wallet, --currency, --network  where NOWPayments pays out (currency is a NOWPayments ticker, e.g. usdttrc20)",
    "  --extra-id        the wallet's memo / destination tag, for coins that need one",
    "                    with SETTLEMENT=direct NOWPayments checks the wallet first; one it refuses is not stored",
    "  --notify          chat that gets payment notices (default: the owner's DM)",
    `  --lang            language of the channel's posts and tier buttons: ${LANGUAGES.join(", ")} (default en)`,
    "  --trial-days      free days a new subscriber may take once, ever (default 0 = no trial)",
    "  --grace-days      days after expiry before a subscriber is removed (default 0)",
    "  --rails           how subscribers pay: crypto (default), stars (Telegram Stars) or both",
    "  --stars           Stars prices, one per --tier in order, e.g. --stars 250,600 (whole Stars, 1-10000)",
  ].join("\n"),
  options: {
    owner: { type: "string" },
    open: { type: "string" },
    closed: { type: "string" },
    tier: { type: "string", multiple: true },
    wallet: { type: "string" },
    currency: { type: "string" },
    network: { type: "string" },
    "extra-id": { type: "string" },
    notify: { type: "string" },
    "price-currency": { type: "string" },
    lang: { type: "string" },
    "trial-days": { type: "string" },
    "grace-days": { type: "string" },
    rails: { type: "string" },
    stars: { type: "string" },
  },
  maxPositionals: 0,
  async run(ctx, values) {
    // Validate everything before touching the database: bad input changes nothing.
    const owner = telegramUserId(required(opt(values, "owner"), "owner"), "owner");
    const openChatId = channelChatId(required(opt(values, "open"), "open"), "open");
    const closedChatId = channelChatId(required(opt(values, "closed"), "closed"), "closed");
    if (openChatId === closedChatId) throw new UsageError("--open and --closed must be different channels");
    const parsed = parseTiers(optList(values, "tier"));
    if (!parsed.ok) throw new UsageError(tierMessage(parsed.problem));
    const stars = starsPrices(opt(values, "stars"), parsed.tiers.length);
    const tierList = parsed.tiers.map((t, i) => ({ ...t, starsPrice: stars?.[i] ?? null }));
    const notifyRaw = opt(values, "notify");
    const language = opt(values, "lang") ?? "en";
    if (!isLanguage(language)) throw new UsageError(`${FIELD_HINTS.language}, got '${language}'`);
    const trialDays = dayCount(opt(values, "trial-days"), "trial-days", 365);
    const graceDays = dayCount(opt(values, "grace-days"), "grace-days", 90);
    const env = await ctx.env();
    // SETTLEMENT=direct pays owners straight from each payment: NOWPayments checks the wallet first
    // (the core's verifyPayout, the same rule the bot's /newchannel uses).
    let payoutAddresses: PayoutAddressCheck | undefined;
    if (env.SETTLEMENT === "direct") {
      if (!env.NOWPAYMENTS_API_KEY)
        throw new CliError(
          "SETTLEMENT=direct checks the wallet with NOWPayments: set NOWPAYMENTS_API_KEY (or NOWPAYMENTS_API_KEY_SECRET)",
        );
      payoutAddresses = createNowPaymentsClient({
        apiKey: env.NOWPAYMENTS_API_KEY,
        baseUrl: nowPaymentsApiBase(env),
      });
    }
    const { db } = await ctx.database();
    const created = await createChannels({ db, ...(payoutAddresses ? { payoutAddresses } : {}) })
      .register(
        { kind: "cli" },
        {
          ownerTelegramId: owner,
          openChatId,
          closedChatId,
          tiers: tierList,
          rails: opt(values, "rails") ?? "crypto",
          priceCurrency: opt(values, "price-currency") ?? "USD",
          payoutWallet: required(opt(values, "wallet"), "wallet"),
          payoutCurrency: required(opt(values, "currency"), "currency"),
          payoutNetwork: opt(values, "network") ?? null,
          payoutExtraId: opt(values, "extra-id") ?? null,
          notifyChatId: notifyRaw === undefined ? null : anyChatId(notifyRaw, "notify"),
          language,
          ...(trialDays !== undefined ? { trialDays } : {}),
          ...(graceDays !== undefined ? { graceDays } : {}),
        },
      )
      .catch((err: unknown) => {
        throw cliError(err);
      });
    ctx.print(
      channelJson(created.channel, { tiers: created.tiers.map(tierJson) }),
      `Created channel ${created.channel.id} (open ${openChatId}, closed ${closedChatId}) with ${created.tiers.length} tier(s).\n` +
        `Its posts are queued for publishing; if the bot was not an admin of both channels yet, make it one, then: telepay channel publish ${created.channel.id}`,
    );
  },
};

const list: Command = {
  path: ["channel", "list"],
  summary: "List channels with their active tier and subscriber counts.",
  usage: "channel list [--json]",
  options: {},
  maxPositionals: 0,
  async run(ctx) {
    const { db } = await ctx.database();
    const rows = await db
      .select({
        channel: channels,
        // Aliased subqueries: drizzle renders columns unqualified inside sql``, which would bind
        // "id" to the inner table.
        tierCount: sql<number>`(select count(*)::int from tiers t where t.channel_id = ${channels}.id and t.active)`,
        activeSubscriptions: sql<number>`(select count(*)::int from subscriptions s where s.channel_id = ${channels}.id and s.status = 'active')`,
      })
      .from(channels)
      .orderBy(asc(channels.id));
    const data = rows.map((r) =>
      channelJson(r.channel, {
        tierCount: Number(r.tierCount),
        activeSubscriptions: Number(r.activeSubscriptions),
      }),
    );
    ctx.print(
      data,
      table(
        data.map((d) => ({
          ...d,
          subscribers: d.activeSubscriptions,
          tiers: d.tierCount,
          owner: d.ownerTelegramId,
        })),
        ["id", "owner", "openChatId", "closedChatId", "status", "tiers", "subscribers", "payoutCurrency"],
      ),
    );
  },
};

const show: Command = {
  path: ["channel", "show"],
  summary: "Show one channel: settings, tiers, posts and subscription counts.",
  usage: "channel show <id> [--json]",
  options: {},
  maxPositionals: 1,
  async run(ctx, _values, positionals) {
    const id = channelIdArg(positionals[0]);
    const { db } = await ctx.database();
    const channel = await requireChannel(db, id);
    const tierRows = await db
      .select()
      .from(tiers)
      .where(and(eq(tiers.channelId, id), eq(tiers.active, true)))
      .orderBy(asc(tiers.position));
    const posts = await db.select().from(channelPosts).where(eq(channelPosts.channelId, id));
    const counts = await db
      .select({ status: subscriptions.status, count: sql<number>`count(*)::int` })
      .from(subscriptions)
      .where(eq(subscriptions.channelId, id))
      .groupBy(subscriptions.status);
    const subscriptionCounts = Object.fromEntries(counts.map((c) => [c.status, Number(c.count)]));
    const data = channelJson(channel, {
      statusReason: channel.statusReason,
      inviteMode: channel.inviteMode,
      donation: {
        message: channel.donationMessage,
        min: channel.donationMin,
        max: channel.donationMax,
        currency: channel.donationCurrency,
      },
      tiers: tierRows.map(tierJson),
      posts: posts.map((p) => ({
        kind: p.kind,
        chatId: p.chatId,
        messageId: p.messageId,
        updatedAt: p.updatedAt,
      })),
      subscriptionCounts,
    });
    const human = [
      `Channel ${channel.id} (${channel.status}${channel.statusReason ? `: ${channel.statusReason}` : ""})`,
      `  owner          ${channel.ownerTelegramId}`,
      `  open / closed  ${channel.openChatId} / ${channel.closedChatId}`,
      `  payout         ${channel.payoutWallet} (${channel.payoutCurrency}${channel.payoutNetwork ? `, ${channel.payoutNetwork}` : ""}${channel.payoutExtraId ? `, memo ${channel.payoutExtraId}` : ""})`,
      `  notify         ${channel.notifyChatId ?? "owner"}${channel.notificationsEnabled ? "" : " (off)"}`,
      `  language       ${channel.language}`,
      `  rails          ${channel.rails}`,
      `  subscriptions  ${
        Object.entries(subscriptionCounts)
          .map(([s, n]) => `${s} ${n}`)
          .join(", ") || "none"
      }`,
      `  posts          ${posts.map((p) => `${p.kind} #${p.messageId}`).join(", ") || "not published"}`,
      "Tiers:",
      table(
        tierRows.map((t) => ({
          ...t,
          price: `${t.price} ${t.currency}`,
          days: t.durationDays,
          stars: t.starsPrice ?? "-",
        })),
        ["position", "price", "stars", "days", "label"],
      ),
    ].join("\n");
    ctx.print(data, human);
  },
};

const publish: Command = {
  path: ["channel", "publish"],
  summary:
    "Post or update the channel's tier and donation posts (through the notifier) and wait for Telegram's answer.",
  usage: "channel publish <id> [--only tiers|donation] [--no-wait | --timeout <seconds>] [--json]",
  details: [
    "  --only  publish just the tier post (open channel) or the donation post (closed channel)",
    WAIT_HELP,
    "Exits 1 with Telegram's reason when a post failed (e.g. chat not found: the bot is not in that channel).",
  ].join("\n"),
  options: { only: { type: "string" }, ...WAIT_OPTIONS },
  maxPositionals: 1,
  async run(ctx, values, positionals) {
    const id = channelIdArg(positionals[0]);
    const only = opt(values, "only");
    if (only !== undefined && only !== "tiers" && only !== "donation") {
      throw new UsageError(`--only must be tiers or donation, got '${only}'`);
    }
    const wait = waitOption(values);
    const kinds: ("tiers" | "donation")[] = only ? [only] : ["tiers", "donation"];
    const { db } = await ctx.database();
    const eventId = await createChannels({ db })
      .requestPublish(id, { kind: "cli" }, kinds)
      .catch((err: unknown) => {
        throw cliError(err);
      });
    const data = { channelId: id, kinds, eventId };
    if (wait === undefined) {
      ctx.print(
        { ...data, outcome: "queued" },
        `Queued publishing of channel ${id} (${kinds.join(" + ")}); not waiting (check: telepay events status ${eventId}).`,
      );
      return;
    }
    const waited = await waitForOutcome(ctx, eventId, wait);
    finishWait(ctx, `publishing channel ${id}`, waited, data, (status) => {
      const posts = kinds.map((k) => `${k} post ${String(status.details[k] ?? "done")}`).join(", ");
      return `Published channel ${id}: ${posts} (event ${eventId}).`;
    });
  },
};

export const channelCommands: readonly Command[] = [add, list, show, publish];
