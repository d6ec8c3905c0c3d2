import { botTexts, formatAmount, type Locale, translate } from "@telepay/telegram";
import { parseHtml } from "@telepay/testing";

/**
 * What the demo expects to see, in the language it runs in (DEMO_LANG): every pattern is built
 * from the catalogs themselves, so `pnpm demo` checks the bot's real texts in any of the four
 * languages and never keeps a second copy of them. The narration stays English.
 */
export interface DemoPhrases {
  locale: Locale;
  /** The /newchannel step prompts, 1 to 7. */
  step(n: number): RegExp;
  yes: RegExp;
  confirm: RegExp;
  /** The summary's line for a tier (label, price, duration). */
  tierLine(t: { label: string; price: string; days: number }): RegExp;
  onboardDone: RegExp;
  buy: RegExp;
  pay: RegExp;
  paymentSeen: RegExp;
  accessInvite: RegExp;
  join: RegExp;
  donate: RegExp;
  ownerPayment: RegExp;
  keypad: RegExp;
  /** The keypad screen showing `typed`. */
  keypadAmount(typed: string): RegExp;
  donationThanks(amount: string): RegExp;
  ownerDonation: RegExp;
  reminderOneDay: RegExp;
  renew: RegExp;
  accessExpired: RegExp;
  /** Telegram Stars: the invoice screen's Pay button, the renewal DM, /subscriptions, the owner's refund. */
  starsPay: RegExp;
  /** An amount of Stars as the bot writes it ("250 ⭐"). */
  starsAmount(stars: number): RegExp;
  starsRenews: RegExp;
  accessRenewed: RegExp;
  starsStop: RegExp;
  starsRenewalOff: RegExp;
  refundButton: RegExp;
  refundConfirmStars: RegExp;
  refundDoneStars: RegExp;
  reversalShortened: RegExp;
  reversalRemoved: RegExp;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A rendered catalog text as a user sees it (tags gone, entities decoded), its first line. */
const firstLine = (html: string) => parseHtml(html).split("\n")[0]!.trim();
const contains = (text: string) => new RegExp(escapeRegExp(text));
const startsWith = (text: string) => new RegExp(`^${escapeRegExp(text)}`);
/** The part of a text before an argument (rendered with a marker that cannot occur in it). */
const MARK = "\u0001";
const before = (text: string) => text.split(MARK)[0]!;

/** The demo's expectations in `locale`, for the channel `channelTitle`. */
export function demoPhrases(locale: Locale, channelTitle: string, openTitle: string): DemoPhrases {
  const t = botTexts(locale);
  const tr = (key: string, args?: Record<string, string | number>) => translate(locale, key, args);
  const usd = (amount: string) => formatAmount(locale, amount, "USD");
  const steps = [
    t.onboardOpenPrompt({ botUsername: "x" }),
    t.onboardClosedPrompt({ openTitle: "x" }),
    t.onboardTiersPrompt({ currency: "USD" }),
    t.onboardWalletPrompt(),
    t.onboardCurrencyPrompt(),
    t.onboardDonationPrompt(),
    t.onboardNotificationsPrompt(),
  ].map((text) => contains(firstLine(text)));
  return {
    locale,
    step: (n) => steps[n - 1]!,
    yes: startsWith(t.yesButton()),
    confirm: contains(t.confirmButton()),
    tierLine: (x) =>
      contains(
        firstLine(
          tr("b-tier-line", { label: x.label, price: usd(x.price), days: tr("days", { count: x.days }) }),
        ),
      ),
    onboardDone: contains(firstLine(t.onboardDone({ openTitle, closedTitle: channelTitle }))),
    buy: startsWith(t.buyButton({ label: "", price: "1", currency: "USD", days: 1 }).split(usd("1"))[0]!),
    pay: startsWith(t.payButton({ amount: "1", currency: "USD" }).split(usd("1"))[0]!),
    paymentSeen: contains(firstLine(tr("n-payment-confirming", { title: channelTitle })).slice(0, 24)),
    accessInvite: contains(
      firstLine(tr("n-access-invite", { title: channelTitle, plan: "", until: "", how: "" })),
    ),
    join: startsWith(tr("join-button", { title: channelTitle })),
    donate: contains(tr("n-donate-button")),
    ownerPayment: contains(firstLine(tr("n-owner-payment-head", { title: channelTitle }))),
    keypad: contains(
      firstLine(
        t.donationKeypad({
          title: channelTitle,
          message: "",
          amount: "",
          currency: "USD",
          min: "1",
          max: "2",
        }),
      ),
    ),
    keypadAmount: (typed) =>
      contains(
        parseHtml(tr("b-donate-body", { amount: typed, currency: "USD", min: "", max: "" }))
          .split("\n")[0]!
          .trim(),
      ),
    donationThanks: (amount) =>
      contains(parseHtml(tr("n-donation-thanks", { amount: usd(amount), title: channelTitle }))),
    ownerDonation: contains(firstLine(tr("n-owner-donation-head", { title: channelTitle }))),
    reminderOneDay: contains(tr("days", { count: 1 })),
    renew: contains(tr("n-renew-button")),
    accessExpired: contains(firstLine(tr("n-access-expired", { title: channelTitle }))),
    starsPay: startsWith(before(tr("stars-pay-button", { stars: MARK }))),
    starsAmount: (stars) => contains(formatAmount(locale, String(stars), "XTR")),
    starsRenews: contains(parseHtml(tr("stars-renews-note")).slice(0, 30)),
    accessRenewed: contains(
      before(firstLine(tr("n-access-renewed", { title: channelTitle, until: MARK, plan: "" }))),
    ),
    starsStop: startsWith(before(tr("stars-stop-button", { title: MARK }))),
    starsRenewalOff: contains(before(tr("stars-renewal-off", { title: channelTitle, date: MARK }))),
    refundButton: startsWith(tr("n-owner-refund-button")),
    refundConfirmStars: startsWith(tr("refund-confirm-button-stars")),
    refundDoneStars: contains(before(firstLine(tr("refund-done-stars", { amount: MARK, reference: "" })))),
    reversalShortened: contains(
      before(firstLine(tr("n-reversal-shortened", { title: channelTitle, until: MARK }))),
    ),
    reversalRemoved: contains(firstLine(tr("n-reversal-removed", { title: channelTitle })).slice(0, 40)),
  };
}
