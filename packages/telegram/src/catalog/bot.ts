/**
 * Every text the bot gateway sends, in one locale (catalogs: packages/telegram/locales, keys
 * "b-…"). Message texts are HTML (parse_mode "HTML"): titles, labels, names and messages typed by
 * users or owners are always escaped (docs/legacy-mistakes.md#lm-14). Button labels, toasts and
 * command descriptions are plain text (Telegram does not parse them).
 */
import { shortenWallet } from "../format.ts";
import { type Html, html, raw } from "../html.ts";
import { LOCALE_NAMES, type Locale } from "../i18n.ts";
import { translator } from "./translator.ts";

export interface TierView {
  label: string;
  /** Decimal string. */
  price: string;
  currency: string;
  days: number;
}

export interface ChannelView {
  title: string;
  description: string;
}

/** A reason the owner's tier lines, wallet or currency were refused (onboarding-state parsers). */
export type InputProblem =
  | { kind: "tiers_none" }
  | { kind: "tiers_too_many"; max: number }
  | { kind: "tier_price"; line: number; text: string }
  | { kind: "tier_days"; line: number; text: string; max: number }
  | { kind: "tier_label"; line: number; text: string; max: number }
  | { kind: "wallet" }
  | { kind: "currency" }
  | { kind: "text_too_long"; max: number };

/**
 * Order statuses with their own line in the catalogs (b-status-<status>); the bot-gateway test
 * "every order status has its own line" keeps it equal to @telepay/db's ORDER_STATUSES.
 */
export const ORDER_STATUS_LINES: ReadonlySet<string> = new Set([
  "created",
  "waiting",
  "confirming",
  "confirmed",
  "sending",
  "partially_paid",
  "finished",
  "failed",
  "refunded",
  "expired",
  "needs_review",
]);

const CHANNEL_STATUSES = new Set(["active", "paused", "bot_removed", "bot_lacks_rights"]);

const RIGHT_KEYS: Record<string, string> = {
  can_invite_users: "b-right-invite",
  can_restrict_members: "b-right-ban",
  can_post_messages: "b-right-post",
};

/** Cuts a button label to what Telegram shows comfortably. */
const cut = (s: string, max = 60) => (s.length > max ? s.slice(0, max) : s);
const join = (parts: Html[], sep: string): Html =>
  html`${parts.map((p, i) => html`${i > 0 ? sep : ""}${p}`)}`;

/** The bot gateway's texts in `locale` (built once per locale: every update asks for them). */
export function botTexts(locale: Locale): BotTexts {
  let texts = built.get(locale);
  if (!texts) {
    texts = build(locale);
    built.set(locale, texts);
  }
  return texts;
}

function build(locale: Locale) {
  const m = translator(locale);
  const s = (h: Html) => h.value;
  const titleOr = (title: string) => title || m.plain("this-channel");
  const tierName = (t: TierView) => t.label || m.days(t.days);
  const tierLine = (t: TierView) =>
    m.html("b-tier-line", { label: tierName(t), price: m.money(t.price, t.currency), days: m.days(t.days) });
  const tierLines = (tiers: TierView[]) =>
    tiers.length > 0
      ? join(
          tiers.map((t) => tierLine(t)),
          "\n",
        )
      : m.html("b-plans-none");
  const rightsList = (rights: readonly string[]) =>
    rights.map((r) => (RIGHT_KEYS[r] ? m.plain(RIGHT_KEYS[r]) : r)).join(", ");
  const payout = (wallet: string, currency: string, network: string | null) =>
    network
      ? m.html("b-payout-network", {
          wallet: shortenWallet(wallet),
          currency: currency.toUpperCase(),
          network,
        })
      : m.html("b-payout", { wallet: shortenWallet(wallet), currency: currency.toUpperCase() });
  const italicOr = (text: string, key: string) => (text ? html`<i>${text}</i>` : m.html(key));
  const onOff = (on: boolean) => m.plain(on ? "b-on" : "b-off");
  const channelHead = (d: ChannelView, head: Html) =>
    html`${head}${d.description ? html`\n\n${d.description}` : ""}`;

  const inputProblem = (p: InputProblem): string => {
    switch (p.kind) {
      case "tiers_none":
        return m.plain("b-tiers-none");
      case "tiers_too_many":
        return m.plain("b-tiers-too-many", { max: p.max });
      case "tier_price":
        return m.plain("b-tier-bad-price", { line: p.line, text: p.text });
      case "tier_days":
        return m.plain("b-tier-bad-days", { line: p.line, text: p.text, max: p.max });
      case "tier_label":
        return m.plain("b-tier-long-label", { line: p.line, text: p.text, max: p.max });
      case "wallet":
        return m.plain("b-wallet-invalid");
      case "currency":
        return m.plain("b-currency-invalid");
      case "text_too_long":
        return m.plain("b-text-too-long", { max: p.max });
    }
  };

  return {
    locale,
    /** The native name of a locale, as the /language buttons show it. */
    languageName: (l: Locale) => LOCALE_NAMES[l],

    // ── General ──────────────────────────────────────────────────────────────────────────
    welcome: (d: { firstName: string }) =>
      s(m.html("b-welcome", { name: d.firstName || m.plain("b-there") })),
    help: () => s(m.html("b-help")),
    unknownInput: () => s(m.html("b-unknown-input")),
    staleButton: () => s(m.html("b-stale-button")),
    offerChanged: () => s(m.html("b-offer-changed")),
    offerChangedToast: () => m.plain("b-offer-changed-toast"),
    staleButtonToast: () => m.plain("b-stale-button-toast"),
    somethingWentWrong: () => s(m.html("b-something-went-wrong")),
    somethingWentWrongToast: () => m.plain("b-something-went-wrong-toast"),
    linkNotRecognised: () => s(m.html("b-link-not-recognised")),
    cancelled: () => s(m.html("b-cancelled")),
    nothingToCancel: () => s(m.html("b-nothing-to-cancel")),
    yesButton: () => m.plain("b-yes"),
    noButton: () => m.plain("b-no"),
    confirmButton: () => m.plain("b-confirm"),
    cancelButton: () => m.plain("b-cancel"),
    retryButton: () => m.plain("b-retry"),
    startAgainButton: () => m.plain("b-start-again"),
    languagePrompt: () => s(m.html("b-language-prompt")),
    languageSaved: () => s(m.html("b-language-saved")),
    languageSavedToast: () => m.plain("b-language-saved-toast"),

    // ── Subscribers ──────────────────────────────────────────────────────────────────────
    channelNotFound: () => s(m.html("b-channel-not-found")),
    channelUnavailable: (d: ChannelView) => s(m.html("b-channel-unavailable", { title: titleOr(d.title) })),
    channelMenu(d: ChannelView & { tiers: TierView[]; renewal: boolean; notice?: string | undefined }) {
      const head = m.html(d.renewal ? "b-menu-head-renewal" : "b-menu-head", { title: titleOr(d.title) });
      const foot = m.html(d.renewal ? "b-menu-renewal-note" : "b-menu-choose");
      return s(
        html`${d.notice ? html`${raw(d.notice)}\n\n` : ""}${channelHead(d, head)}\n\n${tierLines(d.tiers)}\n\n${foot}`,
      );
    },
    tierButton: (t: TierView) =>
      m.plain("b-tier-button", {
        label: tierName(t),
        price: m.money(t.price, t.currency),
        days: m.days(t.days),
      }),
    tierOffer: (d: ChannelView & { tier: TierView }) =>
      s(html`${channelHead(d, m.html("b-menu-head", { title: titleOr(d.title) }))}\n\n${tierLine(d.tier)}`),
    buyButton: (t: TierView) => m.plain("b-buy-button", { price: m.money(t.price, t.currency) }),
    otherPlansButton: () => m.plain("b-other-plans"),
    seePlansButton: () => m.plain("b-see-plans"),
    preparingInvoice: () => m.plain("b-preparing-invoice"),
    invoice(d: {
      title: string;
      kind: "subscription" | "donation";
      label: string;
      amount: string;
      currency: string;
      days: number | null;
      /** SETTLEMENT=direct: the payer picks a coin below instead of tapping Pay. */
      direct?: boolean;
    }) {
      const amount = m.money(d.amount, d.currency);
      const key = d.direct ? "b-checkout-order" : "b-invoice";
      if (d.kind === "donation") return s(m.html(`${key}-donation`, { title: titleOr(d.title), amount }));
      return s(
        m.html(key, {
          title: titleOr(d.title),
          plan: d.label || m.plain("plan-default"),
          duration: d.days ? m.days(d.days) : "—",
          amount,
        }),
      );
    },
    /** The order description on the NOWPayments invoice page (plain text, the payer's language). */
    invoiceDescription(d: {
      kind: "subscription" | "donation";
      title: string;
      label: string;
      days: number | null;
    }) {
      return d.kind === "donation"
        ? m.plain("b-invoice-description-donation", { title: titleOr(d.title) })
        : m.plain("b-invoice-description", {
            title: titleOr(d.title),
            plan: d.label || m.plain("plan-default"),
            days: d.days ? m.days(d.days) : "—",
          });
    },
    payButton: (d: { amount: string; currency: string }) =>
      m.plain("b-pay-button", { amount: m.money(d.amount, d.currency) }),
    checkStatusButton: () => m.plain("b-check-status"),
    statusRefreshed: () => m.plain("b-status-refreshed"),
    invoiceUnavailable: () => s(m.html("b-invoice-unavailable")),
    orderNotFound: () => s(m.html("b-order-not-found")),
    orderStatus(d: {
      title: string;
      kind: "subscription" | "donation";
      label: string;
      amount: string;
      currency: string;
      days: number | null;
      status: string;
      reference: string;
      paidAt: Date | null;
    }) {
      const title = titleOr(d.title);
      const plan = d.label || m.plain("plan-default");
      const what =
        d.kind === "donation"
          ? m.html("b-order-what-donation", { title })
          : d.days
            ? m.html("b-order-what-days", { title, plan, days: m.days(d.days) })
            : m.html("b-order-what", { title, plan });
      const after =
        d.status === "finished"
          ? d.kind === "donation"
            ? "b-after-donation-paid"
            : "b-after-subscription-paid"
          : d.status === "partially_paid"
            ? "b-after-partial"
            : d.status === "failed" || d.status === "expired"
              ? "b-after-failed"
              : d.status === "waiting" || d.status === "created"
                ? "b-after-waiting"
                : "b-after-pending";
      const status = ORDER_STATUS_LINES.has(d.status)
        ? m.plain(`b-status-${d.status === "created" ? "waiting" : d.status.replaceAll("_", "-")}`)
        : m.plain("b-status-unknown", { status: d.status });
      return s(
        m.html("b-order-status", {
          what,
          amount: m.money(d.amount, d.currency),
          status,
          paid: d.paidAt ? html`\n${m.html("b-order-paid-at", { date: m.date(d.paidAt) })}` : "",
          reference: d.reference,
          after: m.html(after),
        }),
      );
    },
    mySubscriptionsButton: () => m.plain("b-my-subscriptions-button"),
    tryAgainButton: () => m.plain("b-order-again"),
    noSubscriptions: () => s(m.html("b-no-subscriptions")),
    subscriptionsList(d: {
      items: Array<{ title: string; active: boolean; expiresAt: Date; status: string }>;
    }) {
      const lines = d.items.map((x) =>
        m.html(x.active ? "b-sub-active" : x.status === "revoked" ? "b-sub-ended" : "b-sub-expired", {
          title: titleOr(x.title),
          date: m.date(x.expiresAt),
        }),
      );
      return s(m.html("b-subscriptions", { lines: join(lines, "\n") }));
    },
    renewButton: (d: { title: string }) => cut(m.plain("b-renew-button", { title: titleOr(d.title) })),
    joinButton: (d: { title: string }) => cut(m.plain("b-join-button", { title: titleOr(d.title) })),
    wayBackIn: (d: { title: string }) => s(m.html("b-way-back-in", { title: titleOr(d.title) })),
    joinRequestDeclined: (d: { title: string }) => s(m.html("b-join-declined", { title: titleOr(d.title) })),

    // ── Donations ────────────────────────────────────────────────────────────────────────
    donationKeypad(d: {
      title: string;
      message: string;
      amount: string;
      currency: string;
      min: string;
      max: string;
    }) {
      const head = m.html("b-donate-head", { title: titleOr(d.title) });
      const body = m.html("b-donate-body", {
        amount: d.amount === "" ? "—" : d.amount,
        currency: d.currency,
        min: m.money(d.min, d.currency),
        max: m.money(d.max, d.currency),
      });
      return s(html`${head}${d.message ? html`\n\n<i>${d.message}</i>` : ""}\n\n${body}`);
    },
    keypadClearButton: () => m.plain("b-keypad-clear"),
    keypadCancelButton: () => m.plain("b-cancel"),
    keypadConfirmButton: () => m.plain("b-confirm"),
    keypadTooManyDecimals: () => m.plain("b-keypad-too-many-decimals"),
    keypadAboveMax: (d: { max: string; currency: string }) =>
      m.plain("b-keypad-above-max", { max: m.money(d.max, d.currency) }),
    keypadBelowMin: (d: { min: string; currency: string }) =>
      m.plain("b-keypad-below-min", { min: m.money(d.min, d.currency) }),
    keypadAlreadyHasPoint: () => m.plain("b-keypad-has-point"),
    keypadEmpty: () => m.plain("b-keypad-empty"),
    keypadStale: () => m.plain("b-keypad-stale"),
    keypadInactive: () => s(m.html("b-keypad-inactive")),
    keypadReplaced: () => s(m.html("b-keypad-replaced")),
    keypadTimedOutToast: () => m.plain("b-keypad-timed-out-toast"),
    keypadTimedOut: () => s(m.html("b-keypad-timed-out")),
    donationCancelled: () => s(m.html("b-donation-cancelled")),

    // ── Owners: /newchannel ──────────────────────────────────────────────────────────────
    onboardIntro: () => s(m.html("b-onboard-intro")),
    onboardOpenPrompt: (d: { botUsername: string }) => s(m.html("b-onboard-open", { bot: d.botUsername })),
    onboardClosedPrompt: (d: { openTitle: string }) => s(m.html("b-onboard-closed", { open: d.openTitle })),
    onboardTiersPrompt: (d: { currency: string }) =>
      s(m.html("b-onboard-tiers", { currency: d.currency.toUpperCase() })),
    onboardWalletPrompt: () => s(m.html("b-onboard-wallet")),
    onboardCurrencyPrompt: () => s(m.html("b-onboard-currency")),
    onboardDonationPrompt: () => s(m.html("b-onboard-donation")),
    onboardNotificationsPrompt: () => s(m.html("b-onboard-notifications")),
    onboardSummary(d: {
      openTitle: string;
      closedTitle: string;
      tiers: TierView[];
      wallet: string;
      currency: string;
      network: string | null;
      donationMessage: string;
      notifications: boolean;
      language: Locale;
    }) {
      return s(
        m.html("b-onboard-summary", {
          open: d.openTitle,
          closed: d.closedTitle,
          plans: tierLines(d.tiers),
          payout: payout(d.wallet, d.currency, d.network),
          donation: italicOr(d.donationMessage, "b-default"),
          notifications: onOff(d.notifications),
          language: LOCALE_NAMES[d.language],
        }),
      );
    },
    onboardChannelVerified: (d: { title: string; role: "open" | "closed" }) =>
      s(m.html("b-channel-verified", { title: d.title, role: d.role })),
    onboardIdentifyHelp: () => s(m.html("b-identify-help")),
    onboardNotAChannel: () => s(m.html("b-not-a-channel")),
    onboardCannotSeeChannel: () => s(m.html("b-cannot-see-channel")),
    onboardBotNotAdmin: (d: { title: string; role: "open" | "closed" }) =>
      s(m.html(d.role === "open" ? "b-bot-not-admin-open" : "b-bot-not-admin-closed", { title: d.title })),
    onboardBotMissingRights: (d: { title: string; rights: readonly string[] }) =>
      s(m.html("b-bot-missing-rights", { title: d.title, rights: rightsList(d.rights) })),
    onboardOwnerNotAdmin: (d: { title: string }) => s(m.html("b-owner-not-admin", { title: d.title })),
    onboardTaken: (d: { title: string }) => s(m.html("b-taken", { title: d.title })),
    onboardAlreadyYours: (d: { title: string }) => s(m.html("b-already-yours", { title: d.title })),
    onboardSameChannel: () => s(m.html("b-same-channel")),
    /** A refused input, explained: "⚠️ Line 2 (…): …". */
    onboardInvalid: (p: InputProblem) => s(m.html("b-invalid", { reason: inputProblem(p) })),
    /** Why an input was refused, as plain text. */
    inputProblem: (p: InputProblem) => inputProblem(p),
    onboardExpired: () => s(m.html("b-onboard-expired")),
    onboardFixAndConfirm: () => s(m.html("b-fix-and-confirm")),
    checkingRights: () => m.plain("b-checking-rights"),
    onboardDone: (d: { openTitle: string; closedTitle: string }) =>
      s(m.html("b-onboard-done", { open: d.openTitle, closed: d.closedTitle })),

    // ── Owners: /mychannels ──────────────────────────────────────────────────────────────
    noChannels: () => s(m.html("b-no-channels")),
    channelList: (d: { count: number }) => s(m.html("b-channel-list", { count: d.count })),
    channelListButton(d: { title: string; status: string }) {
      const status = CHANNEL_STATUSES.has(d.status)
        ? m.plain(`b-channel-status-${d.status.replaceAll("_", "-")}`)
        : d.status;
      return cut(`${status.split(" ")[0]} ${titleOr(d.title)}`);
    },
    channelPanel(d: {
      openTitle: string;
      closedTitle: string;
      status: string;
      description: string;
      donationMessage: string;
      notifications: boolean;
      wallet: string;
      payoutCurrency: string;
      payoutNetwork: string | null;
      activeSubscribers: number;
      revenue: Array<{ amount: string; currency: string; orders: number }>;
      tiers: TierView[];
      language: Locale;
    }) {
      const revenue =
        d.revenue.length === 0
          ? m.html("b-revenue-none")
          : join(
              d.revenue.map((r) =>
                m.html("b-revenue-item", { amount: m.money(r.amount, r.currency), orders: r.orders }),
              ),
              ", ",
            );
      return s(
        m.html("b-channel-panel", {
          closed: d.closedTitle,
          open: d.openTitle,
          status: CHANNEL_STATUSES.has(d.status)
            ? m.plain(`b-channel-status-${d.status.replaceAll("_", "-")}`)
            : d.status,
          subscribers: d.activeSubscribers,
          revenue,
          plans: tierLines(d.tiers),
          description: italicOr(d.description, "b-none"),
          donation: italicOr(d.donationMessage, "b-default"),
          payout: payout(d.wallet, d.payoutCurrency, d.payoutNetwork),
          notifications: onOff(d.notifications),
          language: LOCALE_NAMES[d.language],
        }),
      );
    },
    editTiersButton: () => m.plain("b-edit-tiers"),
    editDescriptionButton: () => m.plain("b-edit-description"),
    editDonationButton: () => m.plain("b-edit-donation"),
    notificationsButton: (d: { on: boolean }) => m.plain(d.on ? "b-notifications-on" : "b-notifications-off"),
    republishButton: () => m.plain("b-republish"),
    exportButton: () => m.plain("b-export"),
    pauseButton: () => m.plain("b-pause"),
    resumeButton: () => m.plain("b-resume"),
    allChannelsButton: () => m.plain("b-all-channels"),
    notificationsToggled: (d: { on: boolean }) =>
      m.plain(d.on ? "b-notifications-turned-on" : "b-notifications-turned-off"),
    pausedToast: () => m.plain("b-paused"),
    resumedToast: () => m.plain("b-resumed"),
    republishRequested: () => m.plain("b-republish-requested"),
    refusedToast: () => m.plain("b-refused"),
    exportingToast: () => m.plain("b-exporting"),
    exportCaption: (d: { title: string; rows: number }) =>
      s(m.html("b-export-caption", { title: titleOr(d.title), rows: d.rows })),
    ownerNoLongerAdmin: (d: { title: string }) => s(m.html("b-owner-no-longer-admin", { title: d.title })),
    editPrompt(d: { field: "tiers" | "description" | "donation"; current: string; title: string }) {
      const what = m.html(
        d.field === "tiers"
          ? "b-edit-tiers-prompt"
          : d.field === "description"
            ? "b-edit-description-prompt"
            : "b-edit-donation-prompt",
        { title: d.title },
      );
      const current = d.current ? html`\n\n${m.html("b-edit-current", { current: d.current })}` : "";
      return s(html`${what}${current}\n\n${m.html("b-edit-keep")}`);
    },
    editSaved: () => s(m.html("b-edit-saved")),
    postLanguageButton: () => m.plain("b-post-language-button"),
    postLanguagePrompt: (d: { title: string }) =>
      s(m.html("b-post-language-prompt", { title: titleOr(d.title) })),
    postLanguageSaved: (d: { language: Locale }) =>
      m.plain("b-post-language-saved", { language: LOCALE_NAMES[d.language] }),

    // ── Owners: bot membership ───────────────────────────────────────────────────────────
    ownerBotRemoved: (d: { title: string }) => s(m.html("b-owner-bot-removed", { title: d.title })),
    ownerBotLacksRights: (d: { title: string; rights: readonly string[] }) =>
      s(m.html("b-owner-bot-lacks-rights", { title: d.title, rights: rightsList(d.rights) })),
    ownerBotRestored: (d: { title: string }) => s(m.html("b-owner-bot-restored", { title: d.title })),

    // ── Command menu (plain text) ────────────────────────────────────────────────────────
    commandStart: () => m.plain("b-cmd-start"),
    commandSubscriptions: () => m.plain("b-cmd-subscriptions"),
    commandNewChannel: () => m.plain("b-cmd-newchannel"),
    commandMyChannels: () => m.plain("b-cmd-mychannels"),
    commandLanguage: () => m.plain("b-cmd-language"),
    commandHelp: () => m.plain("b-cmd-help"),
    commandCancel: () => m.plain("b-cmd-cancel"),

    // ── Payment reviews (the owner's buttons on the notifier's review DM) ───────────────────
    reviewGranted: (d: { paymentId: string }) => s(m.html("b-review-granted", { id: d.paymentId })),
    reviewNotePrompt: (d: { paymentId: string }) => s(m.html("b-review-note-prompt", { id: d.paymentId })),
    reviewDismissed: (d: { paymentId: string; note: string | null }) =>
      s(
        d.note
          ? m.html("b-review-dismissed-note", { id: d.paymentId, note: d.note })
          : m.html("b-review-dismissed", { id: d.paymentId }),
      ),
    reviewAlreadyResolvedToast: () => m.plain("b-review-already-resolved"),
    reviewNotYoursToast: () => m.plain("b-review-not-yours"),
    reviewCannotGrantToast: () => m.plain("b-review-cannot-grant"),
    reviewNoteTooLong: (d: { max: number }) => s(m.html("b-review-note-too-long", { max: d.max })),
  };
}

/** The bot gateway's texts in one locale. */
export type BotTexts = ReturnType<typeof build>;
const built = new Map<Locale, BotTexts>();
