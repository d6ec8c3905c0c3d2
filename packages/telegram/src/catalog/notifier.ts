/**
 * Every text the notifier sends, in the recipient's locale (catalogs: packages/telegram/locales).
 * Functions take raw data (titles and names exactly as typed) and escape it; callers never build
 * message text themselves.
 */
import { shortenWallet, subtractDecimal } from "../format.ts";
import { type Html, html, raw } from "../html.ts";
import type { Locale } from "../i18n.ts";
import { type BroadcastProgress, broadcastTexts } from "./broadcast.ts";
import { type MessageButton, message, type OutgoingMessage } from "./message.ts";
import { translator } from "./translator.ts";

export interface AccessDetails {
  channelTitle: string;
  tierLabel: string;
  /** Price of the order, decimal string. */
  amount: string;
  currency: string;
  expiresAt: Date;
}

export interface OwnerPaymentNotice {
  kind: "subscription" | "donation";
  channelTitle: string;
  customerName: string;
  customerUsername: string | null;
  customerId: string;
  tierLabel: string | null;
  /** The order's price. */
  amount: string;
  currency: string;
  /** What the customer actually paid, in the pay currency (null when unknown). */
  actuallyPaid: string | null;
  payCurrency: string | null;
  expiresAt: Date | null;
  payoutWallet: string;
  payoutCurrency: string;
  payoutNetwork: string | null;
  orderReference: string;
  /** Callback data of the owner's Refund button (refundCallbackData); none = no button. */
  refundData?: string;
}

export interface PaymentUpdate {
  status: "confirming" | "partially_paid" | "failed" | "expired" | "refunded";
  channelTitle: string;
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
}

export interface OwnerReviewRequest {
  channelTitle: string;
  reason: string;
  customerName: string;
  customerUsername: string | null;
  customerId: string;
  tierLabel: string | null;
  /** The order's price. */
  amount: string;
  currency: string;
  /** What the payment asked for and what arrived, in the pay currency (null when unknown). */
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
  paymentId: string;
  paymentStatus: string;
  orderReference: string;
  /** Whether "grant anyway" is possible (else only dismiss is offered). */
  canGrant: boolean;
  /** Callback data of the two buttons (packages/telegram callback-data: reviewCallbackData). */
  grantData: string;
  dismissData: string;
}

/**
 * What a refund did to the access its order bought (commerce reversals, docs/refunds.md):
 * `removed` — no time left, the subscriber is taken out; `shortened` — access continues until
 * `expiresAt`; `not_granted` — refunded before access was set up; `nothing` — no unused time was left
 * (or a donation).
 */
export interface ReversalNotice {
  outcome: "removed" | "shortened" | "not_granted" | "nothing";
  channelTitle: string;
  expiresAt: Date | null;
}

export interface OwnerReversalNotice extends ReversalNotice {
  /** A donation bought no access: no line about it. */
  kind: "subscription" | "donation";
  customerName: string;
  customerUsername: string | null;
  customerId: string;
  amount: string;
  currency: string;
  orderReference: string;
}

/** Review reasons with their own explanation in the catalogs (n-review-reason-<reason>). */
const REVIEW_REASONS = new Set([
  "underpaid",
  "paid_short",
  "partially_paid",
  "overpaid",
  "currency_mismatch",
  "re_deposit",
  "duplicate_payment",
  "invoice_mismatch",
  "pay_changed",
  "missing_amount",
  "unknown_status",
]);

/** What the bot could not do for lack of admin rights (owner notice). */
export type BotAction = "invite" | "publish";

/** The notifier's texts in `locale`. */
/** The longest channel title a broadcast's header shows (room for a 900-character caption). */
const BROADCAST_TITLE_MAX = 100;

/** `title` in at most `max` UTF-16 units (what Telegram counts), cut between characters, with "…". */
function shortTitle(title: string, max: number): string {
  if (title.length <= max) return title;
  let out = "";
  for (const ch of title) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export function notifierMessages(locale: Locale) {
  const m = translator(locale);
  const name = (title: string) => title || m.plain("this-channel");
  const joinButton = (title: string, url: string) => [
    [{ text: m.plain("join-button", { title: truncate(name(title), 40) }), url }],
  ];
  const plan = (d: AccessDetails) =>
    m.html("n-plan-line", {
      plan: d.tierLabel || m.plain("plan-default"),
      price: m.money(d.amount, d.currency),
    });
  const howToJoin = (mode: "join_request" | "member_limit") =>
    m.html(mode === "join_request" ? "n-how-join-request" : "n-how-member-limit");

  const reviewReasonText = (reason: string) =>
    m.plain(
      REVIEW_REASONS.has(reason) ? `n-review-reason-${reason.replaceAll("_", "-")}` : "n-review-reason-other",
    );

  return {
    locale,
    /** What a review reason means, for the owner (the CLI and logs use the reason codes). */
    reviewReasonText,

    /** The owner's DM about a payment that needs a person: the facts, and grant anyway / dismiss buttons. */
    ownerReviewRequest(d: OwnerReviewRequest): OutgoingMessage {
      const customer = html`${d.customerName || m.plain("n-someone")}${d.customerUsername ? html` (@${d.customerUsername})` : null} <code>${d.customerId}</code>`;
      const cur = d.payCurrency ?? "";
      const lines: Html[] = [
        m.html("n-review-head", { title: name(d.channelTitle) }),
        html``,
        html`${reviewReasonText(d.reason)}`,
        html``,
        m.html("n-owner-customer", { customer }),
        m.html("n-review-order", {
          order: html`${d.tierLabel ? html`${d.tierLabel}, ` : null}${m.money(d.amount, d.currency)}`,
          reference: d.orderReference,
        }),
      ];
      if (d.payAmount && cur) lines.push(m.html("n-review-asked", { amount: m.money(d.payAmount, cur) }));
      if (d.actuallyPaid && cur)
        lines.push(m.html("n-review-arrived", { amount: m.money(d.actuallyPaid, cur) }));
      lines.push(m.html("n-review-payment", { id: d.paymentId, status: d.paymentStatus }), html``);
      lines.push(m.html(d.canGrant ? "n-review-can-grant" : "n-review-cannot-grant"));
      const buttons: MessageButton[] = [
        ...(d.canGrant ? [{ text: m.plain("n-review-grant-button"), callback_data: d.grantData }] : []),
        { text: m.plain("n-review-dismiss-button"), callback_data: d.dismissData },
      ];
      return message(join(lines), [buttons]);
    },

    /** DM with the join link after a paid subscription. */
    accessInvite(
      d: AccessDetails & { inviteLink: string; mode: "join_request" | "member_limit" },
    ): OutgoingMessage {
      return message(
        m.html("n-access-invite", {
          title: name(d.channelTitle),
          plan: plan(d),
          until: m.date(d.expiresAt),
          how: howToJoin(d.mode),
        }),
        joinButton(d.channelTitle, d.inviteLink),
      );
    },

    /** A manual grant by the owner or an operator, or a free trial (no price to show). */
    manualGrantInvite(d: {
      channelTitle: string;
      expiresAt: Date;
      inviteLink: string;
      mode: "join_request" | "member_limit";
      /** The subscription is a free trial (subscriptions.trial): the DM says so. */
      trial?: boolean;
    }): OutgoingMessage {
      return message(
        m.html(d.trial ? "n-trial-invite" : "n-manual-grant", {
          title: name(d.channelTitle),
          until: m.date(d.expiresAt),
          how: howToJoin(d.mode),
        }),
        joinButton(d.channelTitle, d.inviteLink),
      );
    },

    /** The user is already in the closed channel: no new link, just the new expiry. */
    accessRenewed(d: AccessDetails): OutgoingMessage {
      return message(
        m.html("n-access-renewed", {
          title: name(d.channelTitle),
          until: m.date(d.expiresAt),
          plan: plan(d),
        }),
      );
    },

    /** A manual change of an existing subscription's end (either direction). */
    accessExtended(d: { channelTitle: string; expiresAt: Date }): OutgoingMessage {
      return message(
        m.html("n-access-extended", { title: name(d.channelTitle), until: m.date(d.expiresAt) }),
      );
    },

    /** The owner or an operator revoked the subscription; the user has been removed. */
    accessRevoked(d: { channelTitle: string }): OutgoingMessage {
      return message(m.html("n-access-revoked", { title: name(d.channelTitle) }));
    },

    /** The sweep removed the user at expiry. */
    accessExpired(d: { channelTitle: string; renewUrl: string }): OutgoingMessage {
      return message(m.html("n-access-expired", { title: name(d.channelTitle) }), [
        [{ text: m.plain("n-renew-button"), url: d.renewUrl }],
      ]);
    },

    /** Paid, but the bot could not create an invite link (missing admin rights): the owner is told too. */
    accessPendingOwnerAction(d: { channelTitle: string; expiresAt: Date }): OutgoingMessage {
      return message(m.html("n-access-pending", { title: name(d.channelTitle), until: m.date(d.expiresAt) }));
    },

    /** Reminder before expiry, with a renew button. */
    expiryReminder(d: {
      channelTitle: string;
      expiresAt: Date;
      daysLeft: number;
      renewUrl: string;
    }): OutgoingMessage {
      return message(
        m.html("n-expiry-reminder", {
          title: name(d.channelTitle),
          days: m.days(d.daysLeft),
          until: m.date(d.expiresAt),
        }),
        [[{ text: m.plain("n-renew-button"), url: d.renewUrl }]],
      );
    },

    /**
     * The one reminder inside a channel's grace period: expired, still in the channel until
     * `removeAt`, with a button for the same tier and one for every plan.
     */
    graceReminder(d: {
      channelTitle: string;
      expiredAt: Date;
      removeAt: Date;
      renewUrl: string;
      plansUrl: string;
    }): OutgoingMessage {
      return message(
        m.html("n-grace-reminder", {
          title: name(d.channelTitle),
          expired: m.date(d.expiredAt),
          until: m.date(d.removeAt),
        }),
        [
          [{ text: m.plain("n-renew-button"), url: d.renewUrl }],
          [{ text: m.plain("n-plans-button"), url: d.plansUrl }],
        ],
      );
    },

    /** A free trial's expiry reminder: it offers the channel's paid plans. */
    trialReminder(d: {
      channelTitle: string;
      expiresAt: Date;
      daysLeft: number;
      plansUrl: string;
    }): OutgoingMessage {
      return message(
        m.html("n-trial-reminder", {
          title: name(d.channelTitle),
          days: m.days(d.daysLeft),
          until: m.date(d.expiresAt),
        }),
        [[{ text: m.plain("n-plans-button"), url: d.plansUrl }]],
      );
    },

    /** Thanks after a donation. */
    donationThanks(d: { channelTitle: string; amount: string; currency: string }): OutgoingMessage {
      return message(
        m.html("n-donation-thanks", { title: name(d.channelTitle), amount: m.money(d.amount, d.currency) }),
      );
    },

    /** The owner's notice for every paid order. */
    ownerPaymentNotice(d: OwnerPaymentNotice): OutgoingMessage {
      const customer = html`${d.customerName || m.plain("n-someone")}${d.customerUsername ? html` (@${d.customerUsername})` : null} <code>${d.customerId}</code>`;
      const paid =
        d.actuallyPaid && d.payCurrency
          ? m.html("n-paid-with-price", {
              paid: m.money(d.actuallyPaid, d.payCurrency),
              price: m.money(d.amount, d.currency),
            })
          : html`${m.money(d.amount, d.currency)}`;
      const payout = html`${shortenWallet(d.payoutWallet)} · ${d.payoutCurrency.toUpperCase()}${d.payoutNetwork ? html` (${d.payoutNetwork})` : null}`;
      const lines: Html[] = [
        m.html(d.kind === "donation" ? "n-owner-donation-head" : "n-owner-payment-head", {
          title: name(d.channelTitle),
        }),
        html``,
        m.html("n-owner-customer", { customer }),
      ];
      if (d.kind === "subscription") lines.push(m.html("n-owner-tier", { tier: d.tierLabel || "—" }));
      lines.push(m.html("n-owner-paid", { paid }));
      if (d.expiresAt) lines.push(m.html("n-owner-until", { until: m.date(d.expiresAt) }));
      // Stars stay in the bot's Telegram balance: no crypto payout line for them.
      if (d.currency !== "XTR") lines.push(m.html("n-owner-payout", { payout }));
      lines.push(m.html("n-owner-order", { reference: d.orderReference }));
      return message(
        join(lines),
        d.refundData
          ? [[{ text: m.plain("n-owner-refund-button"), callback_data: d.refundData }]]
          : undefined,
      );
    },

    /** What the user hears about a payment that is not (yet) complete. */
    paymentUpdate(d: PaymentUpdate): OutgoingMessage {
      const title = name(d.channelTitle);
      switch (d.status) {
        case "confirming":
          return message(m.html("n-payment-confirming", { title }));
        case "partially_paid": {
          const cur = d.payCurrency ?? "";
          const detail =
            d.payAmount && d.actuallyPaid && cur
              ? m.html("n-partial-detail", {
                  received: m.money(d.actuallyPaid, cur),
                  expected: m.money(d.payAmount, cur),
                  missing: m.money(subtractDecimal(d.payAmount, d.actuallyPaid), cur),
                })
              : m.html("n-partial-unknown");
          return message(m.html("n-payment-partial", { title, detail }));
        }
        case "failed":
          return message(m.html("n-payment-failed", { title }));
        case "expired":
          return message(m.html("n-payment-expired", { title }));
        case "refunded":
          return message(m.html("n-payment-refunded", { title }));
      }
    },

    /** The payer's notice that a refund took back what their order bought. */
    reversalPayer(d: ReversalNotice): OutgoingMessage {
      const title = name(d.channelTitle);
      switch (d.outcome) {
        case "removed":
          return message(m.html("n-reversal-removed", { title }));
        case "shortened":
          return message(m.html("n-reversal-shortened", { title, until: m.date(d.expiresAt!) }));
        case "not_granted":
          return message(m.html("n-reversal-not-granted", { title }));
        case "nothing":
          return message(m.html("n-payment-refunded", { title }));
      }
    },

    /** The owner's notice of the same refund: who, which order, what it did to their access. */
    ownerReversal(d: OwnerReversalNotice): OutgoingMessage {
      const customer = html`${d.customerName || m.plain("n-someone")}${d.customerUsername ? html` (@${d.customerUsername})` : null} <code>${d.customerId}</code>`;
      const effect =
        d.outcome === "removed"
          ? m.html("n-owner-reversal-removed")
          : d.outcome === "shortened"
            ? m.html("n-owner-reversal-shortened", { until: m.date(d.expiresAt!) })
            : d.outcome === "not_granted"
              ? m.html("n-owner-reversal-not-granted")
              : m.html("n-owner-reversal-nothing");
      return message(
        join([
          m.html("n-owner-reversal-head", { title: name(d.channelTitle) }),
          html``,
          m.html("n-owner-customer", { customer }),
          m.html("n-owner-reversal-refunded", { amount: m.money(d.amount, d.currency) }),
          m.html("n-owner-order", { reference: d.orderReference }),
          ...(d.kind === "subscription" ? [html``, effect] : []),
        ]),
      );
    },

    /** The tier post in the open channel (in the channel's language): one URL button per active tier. */
    tierPost(d: {
      channelTitle: string;
      description: string;
      tiers: Array<{
        label: string;
        price: string;
        currency: string;
        durationDays: number;
        url: string;
        /** The tier's Stars price and the link that buys it with Stars (channels selling for Stars). */
        starsPrice?: number | null;
        starsUrl?: string;
      }>;
      /** crypto (default), stars or both: which price lines and buttons each tier gets. */
      rails?: "crypto" | "stars" | "both";
    }): OutgoingMessage {
      const rails = d.rails ?? "crypto";
      const crypto = rails !== "stars";
      const stars = (t: (typeof d.tiers)[number]) =>
        rails !== "crypto" && t.starsPrice != null && t.starsUrl !== undefined;
      const lines = d.tiers.map((t) => {
        const args = {
          label: t.label || m.days(t.durationDays),
          price: m.money(t.price, t.currency),
          days: m.days(t.durationDays),
          stars: m.count(t.starsPrice ?? 0),
        };
        if (!stars(t)) return m.html("n-tier-post-line", args);
        return m.html(crypto ? "n-tier-post-both-line" : "n-tier-post-stars-line", args);
      });
      const head = {
        title: name(d.channelTitle),
        description: d.description ? html`\n${d.description}\n` : raw(""),
        tiers: join(lines),
      };
      const body =
        rails === "crypto"
          ? m.html("n-tier-post", head)
          : m.html("n-tier-post-rails", {
              ...head,
              footer: m.html(rails === "stars" ? "n-tier-post-stars-footer" : "n-tier-post-both-footer"),
            });
      return message(
        body,
        d.tiers.map((t) => {
          const label = t.label || m.days(t.durationDays);
          const row: MessageButton[] = [];
          if (crypto)
            row.push({
              text: m.plain("n-tier-post-button", { label, price: m.money(t.price, t.currency) }),
              url: t.url,
            });
          if (stars(t))
            row.push({
              text: m.plain("n-tier-post-stars-button", { label, stars: m.count(t.starsPrice!) }),
              url: t.starsUrl!,
            });
          return row;
        }),
      );
    },

    /** The donation post in the closed channel (in the channel's language). */
    donationPost(d: { channelTitle: string; donationMessage: string; url: string }): OutgoingMessage {
      return message(
        d.donationMessage
          ? html`${d.donationMessage}`
          : m.html("n-donation-post", { title: name(d.channelTitle) }),
        [[{ text: m.plain("n-donate-button"), url: d.url }]],
      );
    },

    /** The owner's broadcast as subscribers see it. The owner's text is sent escaped, as typed. */
    broadcast(d: { channelTitle: string; text: string }): OutgoingMessage {
      // The header gives the caption room: 900 (MAX_BROADCAST_CAPTION) + a 128-character title would
      // pass Telegram's 1024 under a photo, and every delivery of it would fail.
      const header = shortTitle(d.channelTitle, BROADCAST_TITLE_MAX);
      return message(html`📣 <b>${name(header)}</b>

${d.text}`);
    },

    /** The owner's progress message, edited in place while a broadcast runs (catalog/broadcast.ts). */
    broadcastProgress(d: BroadcastProgress): OutgoingMessage {
      return broadcastTexts(m.locale).progress(d);
    },

    /** The owner's notice that the bot lost rights it needs in a channel. */
    ownerBotLacksRights(d: { channelTitle: string; action: BotAction }): OutgoingMessage {
      return message(
        m.html(d.action === "invite" ? "n-owner-cannot-invite" : "n-owner-cannot-publish", {
          title: name(d.channelTitle),
        }),
      );
    },

    /** The owner's notice that removing an expired or revoked subscriber keeps failing (reason: Telegram's words). */
    ownerRemovalFailed(d: { channelTitle: string; customerId: string; reason: string }): OutgoingMessage {
      return message(
        m.html("n-owner-removal-failed", {
          user: d.customerId,
          title: name(d.channelTitle),
          reason: d.reason,
        }),
      );
    },
  };
}

/** The notifier's texts for one locale. */
export type NotifierMessages = ReturnType<typeof notifierMessages>;

function join(lines: Html[]): Html {
  return html`${lines.map((l, i) => (i === 0 ? l : html`\n${l}`))}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
