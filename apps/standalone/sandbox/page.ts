import type { CheckoutView } from "./checkout.ts";
import { escapeHtml } from "./render.ts";
import { CHANNELS, PEOPLE, ROLES } from "./view.ts";

const HEAD = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/sandbox.css">
</head>`;

/**
 * The sandbox page: one pane per person (their chat with the bot and a box to write in) and one
 * per channel. The panes are filled and kept current by /assets/sandbox.js from /api/state.
 */
export function sandboxPage(botUsername: string): string {
  const person = (role: (typeof ROLES)[number]) => {
    const p = PEOPLE[role];
    return `<section class="pane person" data-pane="${role}" aria-label="${escapeHtml(`${p.first_name}'s chat with the bot`)}">
  <header><span class="who">${escapeHtml(p.first_name)}</span> <span class="role">${escapeHtml(p.label)} · chat with @${escapeHtml(botUsername)}</span></header>
  <ol class="messages" aria-live="polite"></ol>
  <div class="toast" role="status" hidden></div>
  <form class="compose" data-role="${role}">
    <input name="text" autocomplete="off" maxlength="4096" placeholder="Message as ${escapeHtml(p.first_name)} (try /start, /mychannels, /subscriptions)" aria-label="Message as ${escapeHtml(p.first_name)}">
    <button type="submit">Send</button>
  </form>
</section>`;
  };
  const channel = (role: keyof typeof CHANNELS) => {
    const ch = CHANNELS[role];
    return `<section class="pane channel" data-pane="${role}" aria-label="${escapeHtml(ch.title)}">
  <header><span class="who">${escapeHtml(ch.title)}</span> <span class="role">${escapeHtml(ch.label)}${ch.username ? ` · @${escapeHtml(ch.username)}` : ""}</span>
    <label class="as">tap as <select data-as-for="${role}">${ROLES.map((r) => `<option value="${r}"${r === "subscriber" ? " selected" : ""}>${escapeHtml(PEOPLE[r].first_name)}</option>`).join("")}</select></label>
  </header>
  ${role === "closed" ? '<div class="members"></div>' : ""}
  <ol class="messages"></ol>
  <div class="toast" role="status" hidden></div>
</section>`;
  };
  return `${HEAD("TelePay sandbox")}
<body>
<header class="top">
  <h1>TelePay sandbox</h1>
  <p>Telegram and NOWPayments are emulated on this machine. You play two people: <b>${escapeHtml(PEOPLE.owner.first_name)}</b> sells access to <b>${escapeHtml(CHANNELS.closed.title)}</b> from her public channel <b>${escapeHtml(CHANNELS.open.title)}</b>; <b>${escapeHtml(PEOPLE.subscriber.first_name)}</b> wants in. As ${escapeHtml(PEOPLE.subscriber.first_name)}, tap a plan in ${escapeHtml(CHANNELS.open.title)}, pay the invoice, and join.</p>
</header>
<main class="grid">
${ROLES.map(person).join("\n")}
${channel("open")}
${channel("closed")}
</main>
<script src="/assets/sandbox.js"></script>
</body>
</html>`;
}

const money = (amount: string, currency: string) =>
  `${escapeHtml(amount)} ${escapeHtml(currency.toUpperCase())}`;

/** NOWPayments' hosted invoice page, emulated: what is being paid, a Pay button, and the IPNs sent. */
export function checkoutPage(view: CheckoutView, notice?: string): string {
  const { invoice, payment } = view;
  const status = payment?.payment_status ?? "waiting";
  const paid = status !== "waiting";
  const ipns = view.ipns.length
    ? `<h2>IPNs sent to TelePay</h2><ol class="ipns">${view.ipns
        .map(
          (i) =>
            `<li><b>${escapeHtml(i.status)}</b> → ${i.answered === 0 ? escapeHtml(i.error ?? "no answer") : `HTTP ${i.answered}`}</li>`,
        )
        .join("")}</ol>`
    : "";
  return `${HEAD(`Invoice ${invoice.id} — NOWPayments (emulated)`)}
<body class="checkout">
<main class="invoice" data-status="${escapeHtml(status)}">
  <p class="brand">NOWPayments · emulated checkout</p>
  <h1>${money(invoice.price_amount, invoice.price_currency)}</h1>
  <dl>
    <dt>Invoice</dt><dd>${escapeHtml(invoice.id)}</dd>
    <dt>For</dt><dd>${escapeHtml(invoice.order_description ?? "—")}</dd>
    <dt>Pay in</dt><dd>${escapeHtml((invoice.pay_currency ?? "any coin").toUpperCase())}</dd>
    <dt>Status</dt><dd class="status">${escapeHtml(status)}</dd>
  </dl>
  ${notice ? `<p class="notice" role="alert">${escapeHtml(notice)}</p>` : ""}
  ${
    paid
      ? `<p class="paid">✅ Paid. NOWPayments told TelePay with signed IPNs; go back to the sandbox tab to see what happened.</p>`
      : `<form method="post" action="/payment/pay"><input type="hidden" name="iid" value="${escapeHtml(invoice.id)}"><button type="submit">Pay ${money(invoice.price_amount, invoice.price_currency)}</button></form>
  <p class="hint">No money moves: the payment is confirmed a moment after you press Pay.</p>`
  }
  ${ipns}
</main>
</body>
</html>`;
}

/** A page for a request the sandbox refuses (no key, unknown invoice). */
export function messagePage(title: string, text: string): string {
  return `${HEAD(title)}
<body class="checkout"><main class="invoice"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body>
</html>`;
}
