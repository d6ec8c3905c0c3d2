import { randomBytes } from "node:crypto";
import { badRequest } from "./api-error.ts";
import type { MethodHandler } from "./methods.ts";
import type { Update } from "./types.ts";
import type { UpdateQueue } from "./updates.ts";
import { nowSeconds, type World } from "./world.ts";

/** Telegram's only subscription period for Stars invoices (30 days). */
export const STARS_SUBSCRIPTION_PERIOD = 2_592_000;

/** An invoice the bot made (createInvoiceLink, or sendInvoice into a chat). */
export interface StarsInvoiceRecord {
  /** The link (createInvoiceLink) or `chat:<id>:<message id>` (sendInvoice). */
  link: string;
  title: string;
  description: string;
  payload: string;
  currency: string;
  amount: number;
  subscriptionPeriod: number | undefined;
  chatId: number | undefined;
}

/** One Stars transaction (getStarTransactions): a charge from a user, or a refund to them. */
export interface StarTransactionRecord {
  id: string;
  amount: number;
  date: number;
  userId: number;
  payload: string;
  subscriptionPeriod: number | undefined;
  direction: "in" | "refund";
}

/** A Stars subscription: the first charge names it. */
export interface StarSubscriptionRecord {
  chargeId: string;
  userId: number;
  invoice: StarsInvoiceRecord;
  /** Renewal switched off by the bot (editUserStarSubscription). */
  canceled: boolean;
  expiresAt: number;
}

/** What tests do as the paying user (see BotApiEmulator). */
export interface StarsControls {
  starsInvoices(): StarsInvoiceRecord[];
  /** The user opens an invoice and confirms: a pre_checkout_query the bot must answer. */
  preCheckout(input: { from: number; invoice: string; totalAmount?: number }): Update;
  /** The bot's answer to a pre-checkout query, once given. */
  preCheckoutAnswer(queryId: string): { ok: boolean; errorMessage?: string } | undefined;
  /**
   * Telegram charges the user: a successful_payment message. `totalAmount` and `payload` may be
   * forged by a test; `deliver: false` records the charge but loses its update (reconciliation).
   */
  payStars(input: {
    from: number;
    invoice: string;
    totalAmount?: number;
    payload?: string;
    deliver?: boolean;
  }): { update: Update | undefined; chargeId: string };
  /** The subscription named by `chargeId` renews: a recurring successful_payment (throws if cancelled). */
  renewStars(input: { chargeId: string; deliver?: boolean }): {
    update: Update | undefined;
    chargeId: string;
  };
  starTransactions(): StarTransactionRecord[];
  starSubscription(chargeId: string): StarSubscriptionRecord | undefined;
}

const findInvoice = (invoices: StarsInvoiceRecord[], ref: string) => {
  const found = invoices.find((i) => i.link === ref || i.payload === ref);
  if (!found) throw new Error(`stars: no invoice ${ref}`);
  return found;
};

/** Bot API methods and test controls for Telegram Stars payments. */
export function createStars(deps: { world: World; updates: UpdateQueue }): {
  methods: Record<string, MethodHandler>;
  controls: StarsControls;
} {
  const { world, updates } = deps;
  const invoices: StarsInvoiceRecord[] = [];
  const transactions: StarTransactionRecord[] = [];
  const subscriptions = new Map<string, StarSubscriptionRecord>();
  const queries = new Map<string, { answered?: { ok: boolean; errorMessage?: string } }>();
  const refunded = new Set<string>();

  const chargeId = () => `stxCHG${randomBytes(12).toString("base64url")}`;

  /** The invoice parameters Telegram checks, for both invoice methods. */
  function readInvoice(params: Record<string, unknown>, link: boolean) {
    const title = String(params.title ?? "");
    const description = String(params.description ?? "");
    const payload = String(params.payload ?? "");
    if (title.length < 1 || title.length > 32) throw badRequest("INVOICE_TITLE_INVALID");
    if (description.length < 1 || description.length > 255) throw badRequest("INVOICE_DESCRIPTION_INVALID");
    if (Buffer.byteLength(payload) < 1 || Buffer.byteLength(payload) > 128)
      throw badRequest("INVOICE_PAYLOAD_INVALID");
    const currency = String(params.currency ?? "");
    if (currency !== "XTR") throw badRequest("the emulator only takes Stars (XTR) invoices");
    if (params.provider_token !== undefined && params.provider_token !== "")
      throw badRequest("PROVIDER_TOKEN_INVALID: Stars invoices take an empty provider_token");
    const prices = params.prices;
    if (!Array.isArray(prices) || prices.length !== 1)
      throw badRequest("Stars invoices must have exactly one price");
    const amount = (prices[0] as { amount?: unknown }).amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 1)
      throw badRequest("CURRENCY_TOTAL_AMOUNT_INVALID");
    const period = params.subscription_period;
    if (period !== undefined) {
      if (!link) throw badRequest("subscription_period is only supported by createInvoiceLink");
      if (period !== STARS_SUBSCRIPTION_PERIOD) throw badRequest("SUBSCRIPTION_PERIOD_INVALID");
      if (amount > 10_000) throw badRequest("SUBSCRIPTION_EXPORT_MISSING: at most 10000 Stars");
    }
    return {
      title,
      description,
      payload,
      currency,
      amount,
      subscriptionPeriod: period as number | undefined,
    };
  }

  function charge(
    userId: number,
    invoice: StarsInvoiceRecord,
    opts: { totalAmount?: number; payload?: string; recurring?: "first" | "renewal"; deliver?: boolean },
  ) {
    const user = world.ensureUser(userId);
    const id = chargeId();
    const amount = opts.totalAmount ?? invoice.amount;
    const payload = opts.payload ?? invoice.payload;
    const date = nowSeconds();
    transactions.push({
      id,
      amount,
      date,
      userId,
      payload,
      subscriptionPeriod: invoice.subscriptionPeriod,
      direction: "in",
    });
    const payment: Record<string, unknown> = {
      currency: "XTR",
      total_amount: amount,
      invoice_payload: payload,
      telegram_payment_charge_id: id,
      provider_payment_charge_id: "",
    };
    if (invoice.subscriptionPeriod !== undefined) {
      payment.is_recurring = true;
      if (opts.recurring !== "renewal") payment.is_first_recurring = true;
      payment.subscription_expiration_date = date + invoice.subscriptionPeriod;
    }
    if (opts.deliver === false) return { update: undefined, chargeId: id, expires: date };
    const chat = world.ensurePrivateChat(user.id);
    const stored = world.storeMessage(chat.id, {
      from_id: user.id,
      text: "",
      plainText: "",
      parse_mode: undefined,
      reply_markup: undefined,
    });
    const message = world.messageObject(stored, { successful_payment: payment });
    message.from = user;
    delete message.text;
    return { update: updates.push("message", message), chargeId: id, expires: date };
  }

  const methods: Record<string, MethodHandler> = {
    createInvoiceLink: ({ params }) => {
      const invoice = readInvoice(params, true);
      const link = `https://t.me/$${randomBytes(9).toString("base64url")}`;
      invoices.push({ ...invoice, link, chatId: undefined });
      return link;
    },

    sendInvoice: ({ params }) => {
      const chat = world.resolveChat(params.chat_id);
      const invoice = readInvoice(params, false);
      const stored = world.storeMessage(chat.id, {
        from_id: world.bot.id,
        text: invoice.title,
        plainText: `${invoice.title}\n${invoice.description}`,
        parse_mode: undefined,
        reply_markup: params.reply_markup,
      });
      invoices.push({ ...invoice, link: `chat:${chat.id}:${stored.message_id}`, chatId: chat.id });
      return world.messageObject(stored, {
        invoice: {
          title: invoice.title,
          description: invoice.description,
          start_parameter: "",
          currency: invoice.currency,
          total_amount: invoice.amount,
        },
      });
    },

    answerPreCheckoutQuery: ({ params }) => {
      const id = String(params.pre_checkout_query_id ?? "");
      const query = queries.get(id);
      if (!query || query.answered)
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      const ok = params.ok === true || params.ok === "true";
      if (!ok && (typeof params.error_message !== "string" || params.error_message === ""))
        throw badRequest("error_message is required when ok is false");
      query.answered = ok ? { ok } : { ok, errorMessage: String(params.error_message) };
      return true;
    },

    refundStarPayment: ({ params }) => {
      const id = String(params.telegram_payment_charge_id ?? "");
      const userId = Number(params.user_id);
      const tx = transactions.find((t) => t.id === id && t.direction === "in");
      if (!tx || tx.userId !== userId) throw badRequest("CHARGE_NOT_FOUND");
      if (refunded.has(id)) throw badRequest("CHARGE_ALREADY_REFUNDED");
      refunded.add(id);
      transactions.push({ ...tx, date: nowSeconds(), direction: "refund" });
      return true;
    },

    editUserStarSubscription: ({ params }) => {
      const sub = subscriptions.get(String(params.telegram_payment_charge_id ?? ""));
      if (!sub || sub.userId !== Number(params.user_id)) throw badRequest("CHARGE_ID_INVALID");
      const cancel = params.is_canceled === true || params.is_canceled === "true";
      if (cancel === sub.canceled) throw badRequest("SUBSCRIPTION_NOT_MODIFIED");
      sub.canceled = cancel;
      return true;
    },

    getStarTransactions: ({ params }) => {
      const offset = params.offset === undefined ? 0 : Number(params.offset);
      const limit = params.limit === undefined ? 100 : Number(params.limit);
      if (!Number.isInteger(offset) || offset < 0) throw badRequest("invalid offset");
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest("invalid limit");
      // Newest first, like Telegram.
      const page = [...transactions].reverse().slice(offset, offset + limit);
      return {
        transactions: page.map((t) => {
          const partner = {
            type: "user",
            transaction_type: "invoice_payment",
            user: world.ensureUser(t.userId),
            invoice_payload: t.payload,
            ...(t.subscriptionPeriod !== undefined ? { subscription_period: t.subscriptionPeriod } : {}),
          };
          return {
            id: t.id,
            amount: t.amount,
            date: t.date,
            ...(t.direction === "in" ? { source: partner } : { receiver: partner }),
          };
        }),
      };
    },
  };

  const controls: StarsControls = {
    starsInvoices: () => [...invoices],

    preCheckout(input) {
      const invoice = findInvoice(invoices, input.invoice);
      const user = world.ensureUser(input.from);
      const id = `${input.from}${randomBytes(6).readUIntBE(0, 6)}`;
      queries.set(id, {});
      return updates.push("pre_checkout_query", {
        id,
        from: user,
        currency: invoice.currency,
        total_amount: input.totalAmount ?? invoice.amount,
        invoice_payload: invoice.payload,
      });
    },

    preCheckoutAnswer: (id) => queries.get(id)?.answered,

    payStars(input) {
      const invoice = findInvoice(invoices, input.invoice);
      const result = charge(input.from, invoice, { ...input, recurring: "first" });
      if (invoice.subscriptionPeriod !== undefined)
        subscriptions.set(result.chargeId, {
          chargeId: result.chargeId,
          userId: input.from,
          invoice,
          canceled: false,
          expiresAt: result.expires + invoice.subscriptionPeriod,
        });
      return { update: result.update, chargeId: result.chargeId };
    },

    renewStars(input) {
      const sub = subscriptions.get(input.chargeId);
      if (!sub) throw new Error(`stars: no subscription ${input.chargeId}`);
      if (sub.canceled) throw new Error(`stars: subscription ${input.chargeId} was cancelled: no renewal`);
      const result = charge(sub.userId, sub.invoice, {
        recurring: "renewal",
        ...(input.deliver !== undefined ? { deliver: input.deliver } : {}),
      });
      sub.expiresAt += STARS_SUBSCRIPTION_PERIOD;
      return { update: result.update, chargeId: result.chargeId };
    },

    starTransactions: () => [...transactions],
    starSubscription: (id) => subscriptions.get(id),
  };

  return { methods, controls };
}
