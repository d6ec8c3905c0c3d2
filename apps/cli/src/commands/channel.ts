import { auditLog, channelPosts, channels, subscriptions, tiers } from "@telepay/db";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import {
  anyChatId,
  CliError,
  channelChatId,
  required,
  rowId,
  type TierSpec,
  telegramUserId,
  tierSpec,
  UsageError,
} from "../args.ts";
import { type Command, opt, optList } from "../command.ts";
import { loadEvents, requireChannel } from "../lookups.ts";
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
    notifyChatId: c.notifyChatId,
    notificationsEnabled: c.notificationsEnabled,
    status: c.status,
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
    active: t.active,
  };
}

const MAX_TIERS = 10;

function channelIdArg(value: string | undefined): number {
  if (value === undefined) throw new UsageError("missing channel id (see telepay channel list)");
  return rowId(value, "<id>");
}

const add: Command = {
  path: ["channel", "add"],
  summary: "Register a paid channel with its tiers (publish its posts afterwards with `channel publish`).",
  usage:
    "channel add --owner <tg id> --open <chat id> --closed <chat id> --tier <price>:<days>[:<label>]… --wallet <address> --currency <ticker> [--network <net>] [--notify <chat id>] [--price-currency <code>]",
  details: [
    "  --owner           the owner's Telegram user id",
    "  --open, --closed  chat ids of the public channel (tier post) and the private one, like -1001234567890",
    "  --tier            repeat for each tier: price:days[:label], e.g. --tier 9.99:30:Monthly --tier 99:365:Yearly",
    "  --price-currency  currency of tier prices (default USD)",
    "  --wallet, --currency, --network  where NOWPayments pays out (currency is a NOWPayments ticker, e.g. usdttrc20)",
    "  --notify          chat that gets payment notices (default: the owner's DM)",
  ].join("\n"),
  options: {
    owner: { type: "string" },
    open: { type: "string" },
    closed: { type: "string" },
    tier: { type: "string", multiple: true },
    wallet: { type: "string" },
    currency: { type: "string" },
    network: { type: "string" },
    notify: { type: "string" },
    "price-currency": { type: "string" },
  },
  maxPositionals: 0,
  async run(ctx, values) {
    // Validate everything before touching the database: bad input changes nothing.
    const owner = telegramUserId(required(opt(values, "owner"), "owner"), "owner");
    const openChatId = channelChatId(required(opt(values, "open"), "open"), "open");
    const closedChatId = channelChatId(required(opt(values, "closed"), "closed"), "closed");
    if (openChatId === closedChatId) throw new UsageError("--open and --closed must be different channels");
    const tierArgs = optList(values, "tier");
    if (tierArgs.length === 0)
      throw new UsageError("at least one --tier <price>:<days>[:<label>] is required");
    if (tierArgs.length > MAX_TIERS)
      throw new UsageError(`at most ${MAX_TIERS} tiers, got ${tierArgs.length}`);
    const tierSpecs: TierSpec[] = tierArgs.map(tierSpec);
    const wallet = required(opt(values, "wallet"), "wallet");
    if (!/^[\w:.-]{8,128}$/.test(wallet)) {
      throw new UsageError(
        `--wallet must be a payout address (8-128 letters, digits, : . _ -), got '${wallet}'`,
      );
    }
    const currency = required(opt(values, "currency"), "currency").toLowerCase();
    if (!/^[a-z0-9]{2,20}$/.test(currency)) {
      throw new UsageError(`--currency must be a NOWPayments ticker like usdttrc20, got '${currency}'`);
    }
    const network = opt(values, "network")?.trim().toLowerCase() || null;
    if (network !== null && !/^[a-z0-9_-]{2,32}$/.test(network)) {
      throw new UsageError(`--network must be a network code like trx, got '${network}'`);
    }
    const notifyRaw = opt(values, "notify");
    const notifyChatId = notifyRaw === undefined ? null : anyChatId(notifyRaw, "notify");
    const priceCurrency = (opt(values, "price-currency") ?? "USD").trim().toUpperCase();
    if (!/^[A-Z0-9]{2,20}$/.test(priceCurrency)) {
      throw new UsageError(`--price-currency must be a currency code like USD, got '${priceCurrency}'`);
    }

    const { db } = await ctx.database();
    const created = await db.transaction(async (tx) => {
      const clash = await tx
        .select({ id: channels.id, openChatId: channels.openChatId, closedChatId: channels.closedChatId })
        .from(channels)
        .where(
          or(
            inArray(channels.openChatId, [openChatId, closedChatId]),
            inArray(channels.closedChatId, [openChatId, closedChatId]),
          ),
        );
      if (clash.length > 0) {
        const used = [openChatId, closedChatId].find((chat) =>
          clash.some((c) => c.openChatId === chat || c.closedChatId === chat),
        );
        throw new CliError(`chat ${used} is already used by channel ${clash[0]!.id}`);
      }
      const [channel] = await tx
        .insert(channels)
        .values({
          ownerTelegramId: owner,
          openChatId,
          closedChatId,
          payoutWallet: wallet,
          payoutCurrency: currency,
          payoutNetwork: network,
          notifyChatId,
        })
        .returning();
      const tierRows = await tx
        .insert(tiers)
        .values(
          tierSpecs.map((t, i) => ({
            channelId: channel!.id,
            position: i + 1,
            price: t.price,
            currency: priceCurrency,
            durationDays: t.durationDays,
            label: t.label,
          })),
        )
        .returning();
      await tx.insert(auditLog).values({
        actor: "cli",
        action: "channel.add",
        channelId: channel!.id,
        details: { tiers: tierSpecs, payoutCurrency: currency, payoutNetwork: network },
      });
      return { channel: channel!, tiers: tierRows };
    });
    ctx.print(
      channelJson(created.channel, { tiers: created.tiers.map(tierJson) }),
      `Created channel ${created.channel.id} (open ${openChatId}, closed ${closedChatId}) with ${created.tiers.length} tier(s).\n` +
        `Make the bot an admin of both channels, then: telepay channel publish ${created.channel.id}`,
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
      `  payout         ${channel.payoutWallet} (${channel.payoutCurrency}${channel.payoutNetwork ? `, ${channel.payoutNetwork}` : ""})`,
      `  notify         ${channel.notifyChatId ?? "owner"}${channel.notificationsEnabled ? "" : " (off)"}`,
      `  subscriptions  ${
        Object.entries(subscriptionCounts)
          .map(([s, n]) => `${s} ${n}`)
          .join(", ") || "none"
      }`,
      `  posts          ${posts.map((p) => `${p.kind} #${p.messageId}`).join(", ") || "not published"}`,
      "Tiers:",
      table(
        tierRows.map((t) => ({ ...t, price: `${t.price} ${t.currency}`, days: t.durationDays })),
        ["position", "price", "days", "label"],
      ),
    ].join("\n");
    ctx.print(data, human);
  },
};

const publish: Command = {
  path: ["channel", "publish"],
  summary: "Ask the notifier to post or update the channel's tier and donation posts (through the outbox).",
  usage: "channel publish <id> [--only tiers|donation] [--json]",
  options: { only: { type: "string" } },
  maxPositionals: 1,
  async run(ctx, values, positionals) {
    const id = channelIdArg(positionals[0]);
    const only = opt(values, "only");
    if (only !== undefined && only !== "tiers" && only !== "donation") {
      throw new UsageError(`--only must be tiers or donation, got '${only}'`);
    }
    const kinds: ("tiers" | "donation")[] = only ? [only] : ["tiers", "donation"];
    const { db } = await ctx.database();
    const { enqueue, TOPICS } = await loadEvents();
    const eventId = await db.transaction(async (tx) => {
      await requireChannel(tx, id);
      const eventId = await enqueue(tx, TOPICS.channelPublishRequested, {
        channelId: id,
        kinds,
        requestedBy: "cli",
      });
      await tx
        .insert(auditLog)
        .values({ actor: "cli", action: "channel.publish", channelId: id, details: { kinds, eventId } });
      return eventId;
    });
    ctx.print(
      { channelId: id, kinds, eventId, status: "queued" },
      `Queued publishing of channel ${id} (${kinds.join(" + ")}); the notifier posts it (event ${eventId}).`,
    );
  },
};

export const channelCommands: readonly Command[] = [add, list, show, publish];
