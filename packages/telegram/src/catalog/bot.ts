/**
 * Every text the bot gateway sends, in English. Message texts are HTML (parse_mode "HTML") built
 * with the `html` template, so titles, labels, names and messages typed by users or owners are
 * always escaped (docs/legacy-mistakes.md#lm-14). Button labels are plain text (Telegram does not
 * parse them).
 */
import { formatDate, formatDays, formatMoney, shortenWallet } from "../format.ts";
import { type Html, html, raw } from "../html.ts";

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

const text = (h: Html): string => h.value;
const titleOr = (title: string) => title || "this channel";

// ── General ────────────────────────────────────────────────────────────────────────────────

export function welcome(d: { firstName: string }): string {
  return text(html`👋 <b>Hi ${d.firstName || "there"}!</b>

I sell access to private Telegram channels, paid in crypto.

• Found a channel post with plans? Tap a plan there and I'll take it from here.
• /subscriptions — your subscriptions, renewals and the way back in
• /newchannel — sell access to your own channel
• /mychannels — manage the channels you sell
• /help — how it all works`);
}

export function help(): string {
  return text(html`<b>How TelePay works</b>

<b>Subscribers</b>
1. Tap a plan on a channel's post (or a link you were given).
2. Pay the invoice in the crypto you like.
3. As soon as the payment is confirmed I send you a link into the private channel.
Renew any time from /subscriptions: the new time is added to what you have left.

<b>Channel owners</b>
/newchannel walks you through adding your public and private channel, your plans and payout wallet.
/mychannels shows subscribers and revenue, lets you change plans and texts, export payments and pause sales.

/cancel stops whatever you are in the middle of.`);
}

export function unknownInput(): string {
  return text(html`I didn't catch that. Send /help to see what I can do.`);
}

export function staleButton(): string {
  return text(
    html`This offer changed since that message was sent. Send /help to start over, or open the channel's post again.`,
  );
}

export function offerChanged(): string {
  return text(html`ℹ️ This offer changed. Here is what is available now:`);
}

export function offerChangedToast(): string {
  return "This offer changed";
}

export function staleButtonToast(): string {
  return "That button is out of date";
}

export function somethingWentWrong(): string {
  return text(html`😕 Something went wrong on my side. Please try again in a minute.`);
}

export function somethingWentWrongToast(): string {
  return "Something went wrong — please try again";
}

export function linkNotRecognised(): string {
  return text(html`That link doesn't lead anywhere I know. Open the channel's post again, or send /help.`);
}

export function cancelled(): string {
  return text(html`Cancelled. Nothing was changed.`);
}

export function nothingToCancel(): string {
  return text(html`There is nothing to cancel.`);
}

export function yesButton(): string {
  return "Yes";
}
export function noButton(): string {
  return "No";
}
export function confirmButton(): string {
  return "✅ Confirm";
}
export function cancelButton(): string {
  return "✖️ Cancel";
}
export function retryButton(): string {
  return "🔁 Try again";
}
export function startAgainButton(): string {
  return "Start again";
}

// ── Subscribers ────────────────────────────────────────────────────────────────────────────

const tierLine = (t: TierView) =>
  html`• <b>${t.label || formatDays(t.days)}</b> — ${formatMoney(t.price, t.currency)} for ${formatDays(t.days)}`;

export function channelNotFound(): string {
  return text(html`I can't find that channel any more. The link may be out of date.`);
}

export function channelUnavailable(d: ChannelView): string {
  return text(
    html`<b>${titleOr(d.title)}</b> isn't taking new subscriptions right now. Please check back later.`,
  );
}

export function channelMenu(
  d: ChannelView & { tiers: TierView[]; renewal: boolean; notice?: string | undefined },
): string {
  return text(html`${d.notice ? html`${raw(d.notice)}\n\n` : ""}${d.renewal ? "🔁 Renew " : ""}<b>${titleOr(d.title)}</b>
${d.description ? html`\n${d.description}\n` : ""}
${d.tiers.map((t, i) => html`${i > 0 ? "\n" : ""}${tierLine(t)}`)}

${d.renewal ? "Renewing adds the new time to what you have left." : "Choose a plan:"}`);
}

export function tierButton(t: TierView): string {
  return `${t.label || formatDays(t.days)} · ${formatMoney(t.price, t.currency)} / ${formatDays(t.days)}`;
}

export function tierOffer(d: ChannelView & { tier: TierView }): string {
  return text(html`<b>${titleOr(d.title)}</b>
${d.description ? html`\n${d.description}\n` : ""}
${tierLine(d.tier)}`);
}

export function buyButton(t: TierView): string {
  return `Continue — ${formatMoney(t.price, t.currency)}`;
}

export function otherPlansButton(): string {
  return "See all plans";
}

export function seePlansButton(): string {
  return "See plans";
}

export function preparingInvoice(): string {
  return "Preparing your invoice…";
}

export function invoice(d: {
  title: string;
  kind: "subscription" | "donation";
  label: string;
  amount: string;
  currency: string;
  days: number | null;
}): string {
  if (d.kind === "donation") {
    return text(html`💝 <b>Donation to ${titleOr(d.title)}</b>
Amount: <b>${formatMoney(d.amount, d.currency)}</b>

Tap <b>Pay</b> to pay in the crypto you like. Thank you!`);
  }
  return text(html`🧾 <b>Your order</b>
Channel: <b>${titleOr(d.title)}</b>
Plan: ${d.label || "Subscription"}
Duration: ${d.days ? formatDays(d.days) : "—"}
Amount: <b>${formatMoney(d.amount, d.currency)}</b>

Tap <b>Pay</b> to pay in the crypto you like. Your access starts as soon as the payment is confirmed; I'll message you with the link.`);
}

export function payButton(d: { amount: string; currency: string }): string {
  return `💳 Pay ${formatMoney(d.amount, d.currency)}`;
}

export function checkStatusButton(): string {
  return "🔄 Check status";
}

export function statusRefreshed(): string {
  return "Status updated";
}

export function invoiceUnavailable(): string {
  return text(
    html`⚠️ I couldn't reach the payment provider just now. Nothing was charged — please try again.`,
  );
}

export function orderNotFound(): string {
  return text(html`I can't find that order. Orders can only be viewed by the person who placed them.`);
}

const STATUS_LINES: Record<string, string> = {
  created: "⏳ Waiting for payment",
  waiting: "⏳ Waiting for payment",
  confirming: "🔎 Payment seen — waiting for network confirmations",
  confirmed: "🔎 Payment confirmed on the network — finishing up",
  sending: "🔎 Payment confirmed — finishing up",
  partially_paid: "⚠️ Partially paid — the amount received is less than the price",
  finished: "✅ Paid",
  failed: "❌ Payment failed",
  refunded: "↩️ Refunded",
  expired: "⌛ Invoice expired — nothing was charged",
  needs_review: "🕵️ Payment received, being reviewed by hand",
};

export function orderStatus(d: {
  title: string;
  kind: "subscription" | "donation";
  label: string;
  amount: string;
  currency: string;
  days: number | null;
  status: string;
  reference: string;
  paidAt: Date | null;
}): string {
  const what =
    d.kind === "donation"
      ? html`Donation to <b>${titleOr(d.title)}</b>`
      : html`<b>${titleOr(d.title)}</b> — ${d.label || "Subscription"}${d.days ? html` (${formatDays(d.days)})` : ""}`;
  const after =
    d.status === "finished"
      ? d.kind === "donation"
        ? "Thank you for your support! 💝"
        : "Your access link is in a separate message. /subscriptions shows your expiry."
      : d.status === "partially_paid"
        ? "Send the rest from the invoice page, or contact the channel owner."
        : d.status === "failed" || d.status === "expired"
          ? "You can start a new order at any time."
          : d.status === "waiting" || d.status === "created"
            ? "Already paid? Confirmation can take a few minutes; tap Check status."
            : "No need to do anything: I'll message you when it is done.";
  return text(html`🧾 <b>Order status</b>
${what}
Amount: ${formatMoney(d.amount, d.currency)}
Status: <b>${STATUS_LINES[d.status] ?? d.status}</b>${d.paidAt ? html`\nPaid: ${formatDate(d.paidAt)}` : ""}
Reference: <code>${d.reference}</code>

${after}`);
}

export function mySubscriptionsButton(): string {
  return "📋 My subscriptions";
}

export function tryAgainButton(): string {
  return "🔁 Order again";
}

export function noSubscriptions(): string {
  return text(html`You have no subscriptions yet. Tap a plan on a channel's post to get one.`);
}

export function subscriptionsList(d: {
  items: Array<{ title: string; active: boolean; expiresAt: Date; status: string }>;
}): string {
  const lines = d.items.map((s, i) => {
    const sep = i > 0 ? "\n" : "";
    return s.active
      ? html`${sep}✅ <b>${titleOr(s.title)}</b> — active until ${formatDate(s.expiresAt)}`
      : html`${sep}⌛ <b>${titleOr(s.title)}</b> — ${s.status === "revoked" ? "ended" : "expired"} ${formatDate(s.expiresAt)}`;
  });
  return text(html`📋 <b>Your subscriptions</b>

${lines}

Renewing adds the new time to your current expiry. Left a channel? Tap Join to get back in.`);
}

export function renewButton(d: { title: string }): string {
  return `🔁 Renew ${titleOr(d.title)}`.slice(0, 60);
}

export function joinButton(d: { title: string }): string {
  return `🚪 Join ${titleOr(d.title)}`.slice(0, 60);
}

export function wayBackIn(d: { title: string }): string {
  return text(
    html`🚪 Here is your way back into <b>${titleOr(d.title)}</b>. Tap the button and send a join request — it is approved automatically for your account.`,
  );
}

export function joinRequestDeclined(d: { title: string }): string {
  return text(
    html`Your request to join <b>${titleOr(d.title)}</b> was declined because you have no active subscription. Pick a plan to get access.`,
  );
}

// ── Donations ──────────────────────────────────────────────────────────────────────────────

export function donationKeypad(d: {
  title: string;
  message: string;
  amount: string;
  currency: string;
  min: string;
  max: string;
}): string {
  return text(html`💝 <b>Donate to ${titleOr(d.title)}</b>
${d.message ? html`\n<i>${d.message}</i>\n` : ""}
Amount: <code>${d.amount === "" ? "—" : d.amount}</code> ${d.currency}

Type the amount on the keypad, then tap Confirm.
From ${formatMoney(d.min, d.currency)} to ${formatMoney(d.max, d.currency)}, at most 2 decimals.`);
}

export function keypadClearButton(): string {
  return "Clear";
}
export function keypadCancelButton(): string {
  return "✖️ Cancel";
}
export function keypadConfirmButton(): string {
  return "✅ Confirm";
}
export function keypadTooManyDecimals(): string {
  return "At most 2 decimals";
}
export function keypadAboveMax(d: { max: string; currency: string }): string {
  return `The maximum is ${formatMoney(d.max, d.currency)}`;
}
export function keypadBelowMin(d: { min: string; currency: string }): string {
  return `The minimum is ${formatMoney(d.min, d.currency)}`;
}
export function keypadAlreadyHasPoint(): string {
  return "The amount already has a decimal point";
}
export function keypadEmpty(): string {
  return "Type an amount first";
}
export function keypadStale(): string {
  return "This keypad is no longer active";
}
export function keypadInactive(): string {
  return text(html`This keypad is no longer active. Open the donation link again to start over.`);
}
export function keypadReplaced(): string {
  return text(html`This keypad was replaced by a newer one below.`);
}
export function keypadTimedOutToast(): string {
  return "This keypad timed out";
}
export function keypadTimedOut(): string {
  return text(html`⌛ This donation keypad timed out. Nothing was charged — start again whenever you like.`);
}
export function donationCancelled(): string {
  return text(html`Donation cancelled. Nothing was charged.`);
}

// ── Owners: /newchannel ────────────────────────────────────────────────────────────────────

const RIGHT_NAMES: Record<string, string> = {
  can_invite_users: "Invite users via link",
  can_restrict_members: "Ban users",
  can_post_messages: "Post messages",
};
const rightsList = (rights: readonly string[]) => rights.map((r) => RIGHT_NAMES[r] ?? r).join(", ");

export function onboardIntro(): string {
  return text(html`🚀 <b>Let's set up your paid channel.</b>
You need two channels: a <b>public</b> one where I post your plans, and a <b>private</b> one I sell access to.
Add me to both as an administrator with the rights to <b>post messages</b>, <b>invite users via link</b> and <b>ban users</b>.

Send /cancel at any time to stop.`);
}

export function onboardOpenPrompt(d: { botUsername: string }): string {
  return text(html`<b>Step 1 of 7 — public channel</b>
Forward me any post from your public channel, or send its @username or id.
(I need to be an admin there: @${d.botUsername}.)`);
}

export function onboardClosedPrompt(d: { openTitle: string }): string {
  return text(html`<b>Step 2 of 7 — private channel</b>
Now the private channel people pay for (not ${d.openTitle}): forward me a post from it, or send its id.`);
}

export function onboardTiersPrompt(): string {
  return text(html`<b>Step 3 of 7 — plans</b>
Send your plans, one per line, as <code>price:days:label</code> (prices in USD), for example:
<code>9.99:30:Monthly
24.99:90:Quarterly
89:365:Yearly</code>`);
}

export function onboardWalletPrompt(): string {
  return text(html`<b>Step 4 of 7 — payout wallet</b>
Send the wallet address NOWPayments should pay out to.`);
}

export function onboardCurrencyPrompt(): string {
  return text(html`<b>Step 5 of 7 — payout currency</b>
Send the currency ticker of that wallet, optionally followed by the network, like <code>usdttrc20</code> or <code>usdt tron</code>.`);
}

export function onboardDonationPrompt(): string {
  return text(html`<b>Step 6 of 7 — donations</b>
Send the text for the donation post in your private channel, or <code>skip</code> for a plain one.`);
}

export function donationMessageRule(d: { max: number }): string {
  return `The text must be at most ${d.max} characters.`;
}

export function onboardNotificationsPrompt(): string {
  return text(html`<b>Step 7 of 7 — notifications</b>
Should I message you about every payment?`);
}

export function onboardSummary(d: {
  openTitle: string;
  closedTitle: string;
  tiers: TierView[];
  wallet: string;
  currency: string;
  network: string | null;
  donationMessage: string;
  notifications: boolean;
}): string {
  return text(html`📋 <b>Please check everything</b>
Public channel: <b>${d.openTitle}</b>
Private channel: <b>${d.closedTitle}</b>

<b>Plans</b>
${d.tiers.map((t, i) => html`${i > 0 ? "\n" : ""}${tierLine(t)}`)}

Payout: <code>${shortenWallet(d.wallet)}</code> in ${d.currency.toUpperCase()}${d.network ? html` (${d.network})` : ""}
Donation text: ${d.donationMessage ? html`<i>${d.donationMessage}</i>` : "(default)"}
Payment notifications: ${d.notifications ? "on" : "off"}

Confirm to save and publish your plans post.`);
}

export function onboardChannelVerified(d: { title: string; role: "open" | "closed" }): string {
  return text(
    html`✅ <b>${d.title}</b> verified as your ${d.role === "open" ? "public" : "private"} channel.`,
  );
}

export function onboardIdentifyHelp(): string {
  return text(
    html`Please forward me a post from the channel, or send its @username (like <code>@mychannel</code>) or its numeric id (like <code>-1001234567890</code>).`,
  );
}

export function onboardNotAChannel(): string {
  return text(
    html`That is not a channel. Please forward a post from a <b>channel</b>, or send a channel's @username or id.`,
  );
}

export function onboardCannotSeeChannel(): string {
  return text(html`I can't see that channel. Add me to it as an administrator first, then try again.`);
}

export function onboardBotNotAdmin(d: { title: string; role: "open" | "closed" }): string {
  return text(
    html`⚠️ I'm not an administrator of <b>${d.title}</b>. Add me as an admin with the rights to ${d.role === "open" ? "post messages" : "post messages, invite users via link and ban users"}, then send it again.`,
  );
}

export function onboardBotMissingRights(d: { title: string; rights: readonly string[] }): string {
  return text(
    html`⚠️ I'm an admin of <b>${d.title}</b> but I'm missing these rights: <b>${rightsList(d.rights)}</b>. Please grant them and send it again.`,
  );
}

export function onboardOwnerNotAdmin(d: { title: string }): string {
  return text(html`⛔ You are not an administrator of <b>${d.title}</b>, so you can't register it.`);
}

export function onboardTaken(d: { title: string }): string {
  return text(html`⛔ <b>${d.title}</b> is already registered by someone else and can't be added again.`);
}

export function onboardAlreadyYours(d: { title: string }): string {
  return text(html`<b>${d.title}</b> is already one of your channels. Manage it with /mychannels.`);
}

export function onboardSameChannel(): string {
  return text(html`The private channel must be a different channel from the public one.`);
}

export function onboardInvalid(d: { reason: string }): string {
  return text(html`⚠️ ${d.reason}`);
}

export function onboardExpired(): string {
  return text(
    html`That setup was left unfinished for too long and has expired. Start again with /newchannel.`,
  );
}

export function onboardFixAndConfirm(): string {
  return text(html`Fix this in Telegram, then tap Confirm again.`);
}

export function checkingRights(): string {
  return "Checking your channels…";
}

export function onboardDone(d: { openTitle: string; closedTitle: string }): string {
  return text(html`🎉 <b>Done!</b> ${d.closedTitle} is now for sale. I'm posting your plans to <b>${d.openTitle}</b> and the donation post to your private channel.

Manage everything with /mychannels.`);
}

// ── Owners: /mychannels ────────────────────────────────────────────────────────────────────

const STATUS_NAMES: Record<string, string> = {
  active: "🟢 selling",
  paused: "⏸ paused",
  bot_removed: "🔴 bot removed",
  bot_lacks_rights: "🟠 bot lacks rights",
};

export function noChannels(): string {
  return text(html`You have no channels yet. Add one with /newchannel.`);
}

export function channelList(d: { count: number }): string {
  return text(html`📺 <b>Your channels</b> (${d.count})
Choose one to manage it.`);
}

export function channelListButton(d: { title: string; status: string }): string {
  return `${(STATUS_NAMES[d.status] ?? d.status).split(" ")[0]} ${titleOr(d.title)}`.slice(0, 60);
}

export function channelPanel(d: {
  openTitle: string;
  closedTitle: string;
  status: string;
  statusReason: string | null;
  description: string;
  donationMessage: string;
  notifications: boolean;
  wallet: string;
  payoutCurrency: string;
  payoutNetwork: string | null;
  activeSubscribers: number;
  revenue: Array<{ amount: string; currency: string; orders: number }>;
  tiers: TierView[];
}): string {
  const revenue =
    d.revenue.length === 0
      ? "nothing yet"
      : d.revenue.map(
          (r, i) => html`${i > 0 ? ", " : ""}${formatMoney(r.amount, r.currency)} (${r.orders} paid)`,
        );
  return text(html`📺 <b>${d.closedTitle}</b>
Public channel: ${d.openTitle}
Status: ${STATUS_NAMES[d.status] ?? d.status}${d.statusReason ? html` — ${d.statusReason}` : ""}

👥 Active subscribers: <b>${d.activeSubscribers}</b>
💰 Revenue so far: <b>${revenue}</b>

<b>Plans</b>
${d.tiers.length > 0 ? d.tiers.map((t, i) => html`${i > 0 ? "\n" : ""}${tierLine(t)}`) : "none"}

Description: ${d.description ? html`<i>${d.description}</i>` : "(none)"}
Donation text: ${d.donationMessage ? html`<i>${d.donationMessage}</i>` : "(default)"}
Payout: <code>${shortenWallet(d.wallet)}</code> in ${d.payoutCurrency.toUpperCase()}${d.payoutNetwork ? html` (${d.payoutNetwork})` : ""}
Payment notifications: ${d.notifications ? "on" : "off"}`);
}

export function editTiersButton(): string {
  return "✏️ Plans";
}
export function editDescriptionButton(): string {
  return "✏️ Description";
}
export function editDonationButton(): string {
  return "✏️ Donation text";
}
export function notificationsButton(d: { on: boolean }): string {
  return d.on ? "🔔 Notifications: on" : "🔕 Notifications: off";
}
export function republishButton(): string {
  return "📣 Republish posts";
}
export function exportButton(): string {
  return "📄 Export payments";
}
export function pauseButton(): string {
  return "⏸ Pause sales";
}
export function resumeButton(): string {
  return "▶️ Resume sales";
}
export function allChannelsButton(): string {
  return "« All channels";
}
export function notificationsToggled(d: { on: boolean }): string {
  return d.on ? "Notifications turned on" : "Notifications turned off";
}
export function pausedToast(): string {
  return "Sales paused";
}
export function resumedToast(): string {
  return "Sales resumed";
}
export function republishRequested(): string {
  return "Your posts will be republished in a moment.";
}
export function refusedToast(): string {
  return "Not allowed right now";
}
export function exportingToast(): string {
  return "Preparing your export…";
}
export function exportCaption(d: { title: string; rows: number }): string {
  return text(
    html`📄 Payments of <b>${titleOr(d.title)}</b>: ${d.rows} ${d.rows === 1 ? "order" : "orders"}.`,
  );
}
export function ownerNoLongerAdmin(d: { title: string }): string {
  return text(
    html`⛔ Telegram says you are no longer an administrator of <b>${d.title}</b>, so I can't make changes for you.`,
  );
}
export function editPrompt(d: {
  field: "tiers" | "description" | "donation";
  current: string;
  title: string;
}): string {
  const what =
    d.field === "tiers"
      ? html`Send the new plans for <b>${d.title}</b>, one per line as <code>price:days:label</code>. They replace the current ones; people who already paid keep what they bought.`
      : d.field === "description"
        ? html`Send the new description for <b>${d.title}</b>, or <code>-</code> to remove it.`
        : html`Send the new donation text for <b>${d.title}</b>, or <code>-</code> for the default.`;
  return text(html`${what}${d.current ? html`\n\nCurrent:\n<code>${d.current}</code>` : ""}

/cancel to keep things as they are.`);
}
export function editSaved(): string {
  return text(html`✅ Saved. Your channel posts will be updated in a moment.`);
}

// ── Owners: bot membership ─────────────────────────────────────────────────────────────────

export function ownerBotRemoved(d: { title: string }): string {
  return text(
    html`🔴 I was removed from <b>${d.title}</b>, so sales of your channel are stopped. Add me back as an administrator to resume.`,
  );
}

export function ownerBotLacksRights(d: { title: string; rights: readonly string[] }): string {
  return text(
    html`🟠 I lost rights in <b>${d.title}</b>: ${rightsList(d.rights)}. Sales are stopped until you grant them again.`,
  );
}

export function ownerBotRestored(d: { title: string }): string {
  return text(html`🟢 My rights in <b>${d.title}</b> are back. Your channel is selling again.`);
}

// ── Command menu (plain text) ──────────────────────────────────────────────────────────────

export function commandStart(): string {
  return "Start";
}
export function commandSubscriptions(): string {
  return "Your subscriptions, renewals and the way back in";
}
export function commandNewChannel(): string {
  return "Sell access to your channel";
}
export function commandMyChannels(): string {
  return "Manage the channels you sell";
}
export function commandHelp(): string {
  return "How TelePay works";
}
export function commandCancel(): string {
  return "Stop what you are doing";
}

// ── Payment reviews (the owner's buttons on the notifier's review DM) ───────────────────────────

export function reviewGranted(d: { paymentId: string }): string {
  return text(
    html`✅ <b>Granted.</b> Payment <code>${d.paymentId}</code> now counts as paid; the customer gets their access as for any paid order.`,
  );
}

export function reviewNotePrompt(d: { paymentId: string }): string {
  return text(
    html`✍️ Send a short note for the record on payment <code>${d.paymentId}</code> (why you dismissed it, e.g. “refunded the payer”), or /skip to dismiss it without one.`,
  );
}

export function reviewDismissed(d: { paymentId: string; note: string | null }): string {
  return text(
    html`✖️ <b>Dismissed</b> payment <code>${d.paymentId}</code>${d.note ? html`: ${d.note}` : null}. Nothing was granted.`,
  );
}

export function reviewAlreadyResolvedToast(): string {
  return "This payment was already settled";
}

export function reviewNotYoursToast(): string {
  return "Only the channel's owner can decide this";
}

export function reviewCannotGrantToast(): string {
  return "Access can no longer be granted for this payment";
}

export function reviewNoteTooLong(d: { max: number }): string {
  return text(html`That note is too long: keep it under ${d.max} characters, or /skip.`);
}
