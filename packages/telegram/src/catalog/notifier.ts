/**
 * Every text the notifier sends, in English. Functions take raw data (titles and names exactly as
 * typed) and escape it through the `html` template; callers never build message text themselves.
 */
import { formatDate, formatDays, formatMoney, shortenWallet, subtractDecimal } from "../format.ts";
import { type Html, html } from "../html.ts";
import { type MessageButton, message, type OutgoingMessage } from "./message.ts";

export interface AccessDetails {
  channelTitle: string;
  tierLabel: string;
  /** Price of the order, decimal string. */
  amount: string;
  currency: string;
  expiresAt: Date;
}

const tierLine = (d: AccessDetails) =>
  html`Plan: ${d.tierLabel || "Subscription"} — ${formatMoney(d.amount, d.currency)}`;

/** DM with the join link after a paid subscription (or a manual grant). */
export function accessInvite(
  d: AccessDetails & { inviteLink: string; mode: "join_request" | "member_limit" },
): OutgoingMessage {
  const how =
    d.mode === "join_request"
      ? "Tap the button and send a join request: it is approved automatically for your account. The link expires in 24 hours."
      : "Tap the button to join. The link admits one person and expires in 24 hours.";
  return message(
    html`✅ <b>Payment received — welcome to ${d.channelTitle}!</b>

${tierLine(d)}
Access until: <b>${formatDate(d.expiresAt)}</b>

${how}`,
    [[{ text: `Join ${truncate(d.channelTitle, 40)}`, url: d.inviteLink }]],
  );
}

/** A manual grant by the owner or an operator (no price to show). */
export function manualGrantInvite(d: {
  channelTitle: string;
  expiresAt: Date;
  inviteLink: string;
  mode: "join_request" | "member_limit";
}): OutgoingMessage {
  return message(
    html`🎁 <b>You were given access to ${d.channelTitle}.</b>

Access until: <b>${formatDate(d.expiresAt)}</b>

${d.mode === "join_request" ? "Tap the button and send a join request; it is approved automatically. The link expires in 24 hours." : "Tap the button to join. The link admits one person and expires in 24 hours."}`,
    [[{ text: `Join ${truncate(d.channelTitle, 40)}`, url: d.inviteLink }]],
  );
}

/** The user is already in the closed channel: no new link, just the new expiry. */
export function accessRenewed(d: AccessDetails): OutgoingMessage {
  return message(html`🔁 <b>Your subscription to ${d.channelTitle} is renewed until ${formatDate(d.expiresAt)}.</b>

${tierLine(d)}
Thank you for staying with us!`);
}

/**
 * A manual change of an existing subscription's end. Worded for either direction: an operator may
 * also move the end earlier (`extend --until … --allow-earlier`).
 */
export function accessExtended(d: { channelTitle: string; expiresAt: Date }): OutgoingMessage {
  return message(
    html`🗓 Your access to <b>${d.channelTitle}</b> now runs until <b>${formatDate(d.expiresAt)}</b>.`,
  );
}

/** The owner or an operator revoked the subscription; the user has been removed. */
export function accessRevoked(d: { channelTitle: string }): OutgoingMessage {
  return message(html`⛔ Your access to <b>${d.channelTitle}</b> was revoked by the channel's owner.`);
}

/** The sweep removed the user at expiry. */
export function accessExpired(d: { channelTitle: string; renewUrl: string }): OutgoingMessage {
  return message(
    html`⌛ Your subscription to <b>${d.channelTitle}</b> has ended, so you were removed from the channel.

You can come back any time.`,
    [[{ text: "Renew", url: d.renewUrl }]],
  );
}

/** Paid, but the bot could not create an invite link (missing admin rights): the owner is told too. */
export function accessPendingOwnerAction(d: { channelTitle: string; expiresAt: Date }): OutgoingMessage {
  return message(html`✅ <b>Payment received for ${d.channelTitle}</b> — your access runs until <b>${formatDate(d.expiresAt)}</b>.

The bot cannot create your invite link right now; the channel's owner has been told. Use /subscriptions later to get your link.`);
}

/** Reminder before expiry, with a renew button. */
export function expiryReminder(d: {
  channelTitle: string;
  expiresAt: Date;
  daysLeft: number;
  renewUrl: string;
}): OutgoingMessage {
  return message(
    html`⏰ Your subscription to <b>${d.channelTitle}</b> ends in ${formatDays(d.daysLeft)}, on <b>${formatDate(d.expiresAt)}</b>.

Renew now to keep your access; the time you buy is added to what is left.`,
    [[{ text: "Renew", url: d.renewUrl }]],
  );
}

/** Thanks after a donation. */
export function donationThanks(d: {
  channelTitle: string;
  amount: string;
  currency: string;
}): OutgoingMessage {
  return message(
    html`💛 <b>Thank you!</b> Your donation of ${formatMoney(d.amount, d.currency)} to <b>${d.channelTitle}</b> has arrived.`,
  );
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
}

/** The owner's notice for every paid order. */
export function ownerPaymentNotice(d: OwnerPaymentNotice): OutgoingMessage {
  const customer = html`${d.customerName || "Someone"}${d.customerUsername ? html` (@${d.customerUsername})` : null} <code>${d.customerId}</code>`;
  const paid =
    d.actuallyPaid && d.payCurrency
      ? html`${formatMoney(d.actuallyPaid, d.payCurrency)} (price ${formatMoney(d.amount, d.currency)})`
      : html`${formatMoney(d.amount, d.currency)}`;
  const payout = html`${shortenWallet(d.payoutWallet)} · ${d.payoutCurrency.toUpperCase()}${d.payoutNetwork ? html` (${d.payoutNetwork})` : null}`;
  const lines: Html[] = [
    d.kind === "donation"
      ? html`💛 <b>New donation — ${d.channelTitle}</b>`
      : html`💰 <b>New subscription payment — ${d.channelTitle}</b>`,
    html``,
    html`Customer: ${customer}`,
  ];
  if (d.kind === "subscription") lines.push(html`Tier: ${d.tierLabel || "—"}`);
  lines.push(html`Paid: ${paid}`);
  if (d.expiresAt) lines.push(html`Access until: ${formatDate(d.expiresAt)}`);
  lines.push(html`Payout: ${payout}`, html`Order: <code>${d.orderReference}</code>`);
  return message(join(lines));
}

export interface PaymentUpdate {
  status: "confirming" | "partially_paid" | "failed" | "expired" | "refunded";
  channelTitle: string;
  payAmount: string | null;
  actuallyPaid: string | null;
  payCurrency: string | null;
}

/** What the user hears about a payment that is not (yet) complete. */
export function paymentUpdate(d: PaymentUpdate): OutgoingMessage {
  const where = html`<b>${d.channelTitle}</b>`;
  switch (d.status) {
    case "confirming":
      return message(
        html`⏳ We see your payment for ${where}. It is waiting for network confirmations; you will get access as soon as it is confirmed. No need to do anything.`,
      );
    case "partially_paid": {
      const cur = d.payCurrency ?? "";
      const detail =
        d.payAmount && d.actuallyPaid && cur
          ? html`We received ${formatMoney(d.actuallyPaid, cur)} of ${formatMoney(d.payAmount, cur)}; <b>${formatMoney(subtractDecimal(d.payAmount, d.actuallyPaid), cur)} is missing</b>.`
          : html`The amount received is less than the invoice.`;
      return message(html`⚠️ Your payment for ${where} is incomplete. ${detail}

Send the missing amount to the same address before the invoice expires, or contact the channel's owner.`);
    }
    case "failed":
      return message(
        html`❌ Your payment for ${where} failed, so no access was granted. You can start a new order from the channel's menu.`,
      );
    case "expired":
      return message(
        html`⌛ The invoice for ${where} expired before a payment arrived. If you still want access, start a new order from the channel's menu.`,
      );
    case "refunded":
      return message(html`↩️ Your payment for ${where} was refunded.`);
  }
}

/** The tier post in the open channel: one URL button per active tier. */
export function tierPost(d: {
  channelTitle: string;
  description: string;
  tiers: Array<{ label: string; price: string; currency: string; durationDays: number; url: string }>;
}): OutgoingMessage {
  const lines = d.tiers.map(
    (t) =>
      html`• ${t.label || formatDays(t.durationDays)}: ${formatMoney(t.price, t.currency)} for ${formatDays(t.durationDays)}`,
  );
  return message(
    html`🔒 <b>${d.channelTitle}</b>
${d.description ? html`\n${d.description}\n` : null}
${join(lines)}

Pay with crypto; access is granted automatically.`,
    d.tiers.map((t) => [
      { text: `${t.label || formatDays(t.durationDays)} — ${formatMoney(t.price, t.currency)}`, url: t.url },
    ]),
  );
}

/** The donation post in the closed channel. */
export function donationPost(d: {
  channelTitle: string;
  donationMessage: string;
  url: string;
}): OutgoingMessage {
  return message(
    d.donationMessage
      ? html`${d.donationMessage}`
      : html`💛 Enjoying <b>${d.channelTitle}</b>? You can support it with a donation.`,
    [[{ text: "💛 Donate", url: d.url }]],
  );
}

/** The owner's broadcast as subscribers see it. The owner's text is sent escaped, as typed. */
export function broadcast(d: { channelTitle: string; text: string }): OutgoingMessage {
  return message(html`📣 <b>${d.channelTitle}</b>

${d.text}`);
}

/** The owner's progress message, edited in place while a broadcast runs. */
export function broadcastProgress(d: {
  channelTitle: string;
  total: number;
  sent: number;
  failed: number;
  done: boolean;
}): OutgoingMessage {
  const head = d.done
    ? html`✅ <b>Broadcast to ${d.channelTitle} finished.</b>`
    : html`📤 <b>Broadcasting to ${d.channelTitle}…</b>`;
  return message(html`${head}

Delivered: ${d.sent} of ${d.total}
Not delivered: ${d.failed}${d.failed > 0 ? " (blocked the bot or left Telegram)" : ""}`);
}

/** The owner's notice that the bot lost rights it needs in a channel. */
export function ownerBotLacksRights(d: { channelTitle: string; action: string }): OutgoingMessage {
  return message(
    html`⚠️ I could not ${d.action} in <b>${d.channelTitle}</b>: I am missing administrator rights there. Please make me an admin with the rights to invite users, ban users and post messages.`,
  );
}

/** The owner's notice that removing an expired or revoked subscriber keeps failing. */
export function ownerRemovalFailed(d: {
  channelTitle: string;
  customerId: string;
  reason: string;
}): OutgoingMessage {
  return message(
    html`⚠️ I could not remove user <code>${d.customerId}</code> from <b>${d.channelTitle}</b>: ${d.reason}. I will keep trying.`,
  );
}

/** What a review reason means, for the owner (the CLI and logs use the reason codes). */
export function reviewReasonText(reason: string): string {
  switch (reason) {
    case "underpaid":
      return "The invoice was paid for less than the order's price.";
    case "paid_short":
      return "Less arrived than the payment asked for.";
    case "partially_paid":
      return "Only part of the amount arrived.";
    case "overpaid":
      return "More arrived than the payment asked for. Access was granted; the payer may be owed the difference.";
    case "currency_mismatch":
      return "The invoice was priced in another currency than the order.";
    case "re_deposit":
      return "A further deposit arrived at an earlier payment's address.";
    case "duplicate_payment":
      return "This order was already paid: this is a second payment for it.";
    case "invoice_mismatch":
      return "The payment is for another invoice than this order's.";
    case "pay_changed":
      return "The coin or the amount asked changed after the payment started.";
    case "missing_amount":
      return "The payment report did not say how much arrived.";
    case "unknown_status":
      return "NOWPayments reported a payment status TelePay does not know.";
    default:
      return "The payment did not match its order.";
  }
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

/** The owner's DM about a payment that needs a person: the facts, and grant anyway / dismiss buttons. */
export function ownerReviewRequest(d: OwnerReviewRequest): OutgoingMessage {
  const customer = html`${d.customerName || "Someone"}${d.customerUsername ? html` (@${d.customerUsername})` : null} <code>${d.customerId}</code>`;
  const cur = d.payCurrency ?? "";
  const lines: Html[] = [
    html`🔎 <b>A payment needs your decision — ${d.channelTitle}</b>`,
    html``,
    html`${reviewReasonText(d.reason)}`,
    html``,
    html`Customer: ${customer}`,
    html`Order: ${d.tierLabel ? html`${d.tierLabel}, ` : null}${formatMoney(d.amount, d.currency)} · <code>${d.orderReference}</code>`,
  ];
  if (d.payAmount && cur) lines.push(html`Asked: ${formatMoney(d.payAmount, cur)}`);
  if (d.actuallyPaid && cur) lines.push(html`Arrived: ${formatMoney(d.actuallyPaid, cur)}`);
  lines.push(html`Payment: <code>${d.paymentId}</code> (${d.paymentStatus})`, html``);
  lines.push(
    d.canGrant
      ? html`<b>Grant anyway</b> gives access as for a paid order. <b>Dismiss</b> records why not (for example, that you refunded the payer).`
      : html`Access cannot be granted for this payment. Once you have dealt with it (for example, refunded the payer), dismiss it with a note.`,
  );
  const buttons: MessageButton[] = [
    ...(d.canGrant ? [{ text: "✅ Grant anyway", callback_data: d.grantData }] : []),
    { text: "✖️ Dismiss with a note", callback_data: d.dismissData },
  ];
  return message(join(lines), [buttons]);
}

function join(lines: Html[]): Html {
  return html`${lines.map((l, i) => (i === 0 ? l : html`\n${l}`))}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
