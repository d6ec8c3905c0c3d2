# TelePay — English. Messages are Telegram HTML; { $placeholders } are filled (and escaped) by
# packages/telegram/src/catalog. Every key here exists in every locale with the same placeholders
# (tested). Keys starting with "n-" are the notifier's.

## Shared

days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
this-channel = this channel
plan-default = Subscription
join-button = Join { $title }

## Notifier: subscribers

n-plan-line = Plan: { $plan } — { $price }
n-how-join-request = Tap the button and send a join request: it is approved automatically for your account. The link expires in 24 hours.
n-how-member-limit = Tap the button to join. The link admits one person and expires in 24 hours.
n-access-invite =
    ✅ <b>Payment received — welcome to { $title }!</b>

    { $plan }
    Access until: <b>{ $until }</b>

    { $how }
n-manual-grant =
    🎁 <b>You were given access to { $title }.</b>

    Access until: <b>{ $until }</b>

    { $how }
n-access-renewed =
    🔁 <b>Your subscription to { $title } is renewed until { $until }.</b>

    { $plan }
    Thank you for staying with us!
n-access-extended = 🗓 Your access to <b>{ $title }</b> now runs until <b>{ $until }</b>.
n-access-revoked = ⛔ Your access to <b>{ $title }</b> was revoked by the channel's owner.
n-access-expired =
    ⌛ Your subscription to <b>{ $title }</b> has ended, so you were removed from the channel.

    You can come back any time.
n-renew-button = Renew
n-access-pending =
    ✅ <b>Payment received for { $title }</b> — your access runs until <b>{ $until }</b>.

    The bot cannot create your invite link right now; the channel's owner has been told. Use /subscriptions later to get your link.
n-expiry-reminder =
    ⏰ Your subscription to <b>{ $title }</b> ends in { $days }, on <b>{ $until }</b>.

    Renew now to keep your access; the time you buy is added to what is left.
n-grace-reminder =
    ⌛ Your subscription to <b>{ $title }</b> ended on <b>{ $expired }</b>. You keep your access until <b>{ $until }</b>, so there is still time.

    Renew before then and the days you buy count from your old end date.
n-plans-button = All plans
n-trial-reminder =
    ⏰ Your free trial of <b>{ $title }</b> ends in { $days }, on <b>{ $until }</b>.

    Liked it? Pick a plan to stay in the channel.
n-donation-thanks = 💛 <b>Thank you!</b> Your donation of { $amount } to <b>{ $title }</b> has arrived.
n-payment-confirming = ⏳ We see your payment for <b>{ $title }</b>. It is waiting for network confirmations; you will get access as soon as it is confirmed. No need to do anything.
n-partial-detail = We received { $received } of { $expected }; <b>{ $missing } is missing</b>.
n-partial-unknown = The amount received is less than the invoice.
n-payment-partial =
    ⚠️ Your payment for <b>{ $title }</b> is incomplete. { $detail }

    Send the missing amount to the same address before the invoice expires, or contact the channel's owner.
n-payment-failed = ❌ Your payment for <b>{ $title }</b> failed, so no access was granted. You can start a new order from the channel's menu.
n-payment-expired = ⌛ The invoice for <b>{ $title }</b> expired before a payment arrived. If you still want access, start a new order from the channel's menu.
n-payment-refunded = ↩️ Your payment for <b>{ $title }</b> was refunded.
n-reversal-removed = ↩️ Your payment for <b>{ $title }</b> was refunded, so the access it paid for has been withdrawn and you have been removed from the channel.
n-reversal-shortened = ↩️ Your payment for <b>{ $title }</b> was refunded, so the time it paid for was taken off your subscription. Your access now runs until <b>{ $until }</b>.
n-reversal-not-granted = ↩️ Your payment for <b>{ $title }</b> was refunded before your access was set up, so no access was granted.

## Notifier: channel posts (in the channel's language)

n-tier-post-line = • { $label }: { $price } for { $days }
n-tier-post =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    Pay with crypto; access is granted automatically.
n-tier-post-button = { $label } — { $price }
n-donation-post = 💛 Enjoying <b>{ $title }</b>? You can support it with a donation.
n-donate-button = 💛 Donate

## Notifier: owners (in the owner's language)

n-someone = Someone
n-paid-with-price = { $paid } (price { $price })
n-owner-payment-head = 💰 <b>New subscription payment — { $title }</b>
n-owner-donation-head = 💛 <b>New donation — { $title }</b>
n-owner-customer = Customer: { $customer }
n-owner-tier = Plan: { $tier }
n-owner-paid = Paid: { $paid }
n-owner-until = Access until: { $until }
n-owner-payout = Payout: { $payout }
n-owner-order = Order: <code>{ $reference }</code>
n-owner-reversal-head = ↩️ <b>Refund — { $title }</b>
n-owner-reversal-refunded = Refunded: { $amount }
n-owner-reversal-removed = The time this order paid for was withdrawn. No paid time is left, so the subscriber is being removed from the channel.
n-owner-reversal-shortened = The time this order paid for was withdrawn. Their access now runs until <b>{ $until }</b>.
n-owner-reversal-not-granted = Access had not been granted yet, and it never will be for this order.
n-owner-reversal-nothing = No unused time from this order was left to withdraw.
n-broadcast-running = 📤 <b>Broadcasting to { $title }…</b>
n-broadcast-done = ✅ <b>Broadcast to { $title } finished.</b>
n-broadcast-failed-why = { " " }(blocked the bot or left Telegram)
n-broadcast-progress =
    { $head }

    Delivered: { $sent } of { $total }
    Not delivered: { $failed }{ $why }
n-owner-cannot-invite = ⚠️ I could not create an invite link in <b>{ $title }</b>: I am missing administrator rights there. Please make me an admin with the rights to invite users, ban users and post messages.
n-owner-cannot-publish = ⚠️ I could not publish the post in <b>{ $title }</b>: I am missing administrator rights there. Please make me an admin with the rights to invite users, ban users and post messages.
n-owner-removal-failed = ⚠️ I could not remove user <code>{ $user }</code> from <b>{ $title }</b>: { $reason }. I will keep trying.

## Notifier: payment reviews (owner)

n-review-head = 🔎 <b>A payment needs your decision — { $title }</b>
n-review-order = Order: { $order } · <code>{ $reference }</code>
n-review-asked = Asked: { $amount }
n-review-arrived = Arrived: { $amount }
n-review-payment = Payment: <code>{ $id }</code> ({ $status })
n-review-can-grant = <b>Grant anyway</b> gives access as for a paid order. <b>Dismiss</b> records why not (for example, that you refunded the payer).
n-review-cannot-grant = Access cannot be granted for this payment. Once you have dealt with it (for example, refunded the payer), dismiss it with a note.
n-review-grant-button = ✅ Grant anyway
n-review-dismiss-button = ✖️ Dismiss with a note
n-review-reason-underpaid = The invoice was paid for less than the order's price.
n-review-reason-paid-short = Less arrived than the payment asked for.
n-review-reason-partially-paid = Only part of the amount arrived.
n-review-reason-overpaid = More arrived than the payment asked for. Access was granted; the payer may be owed the difference.
n-review-reason-currency-mismatch = The invoice was priced in another currency than the order.
n-review-reason-re-deposit = A further deposit arrived at an earlier payment's address.
n-review-reason-duplicate-payment = This order was already paid: this is a second payment for it.
n-review-reason-invoice-mismatch = The payment is for another invoice than this order's.
n-review-reason-pay-changed = The coin or the amount asked changed after the payment started.
n-review-reason-missing-amount = The payment report did not say how much arrived.
n-review-reason-unknown-status = NOWPayments reported a payment status TelePay does not know.
n-review-reason-other = The payment did not match its order.

## Owner dashboard (Mini App): apps/bot-gateway/src/dashboard. { $x } placeholders are filled in the browser.
dash-button = 📊 Dashboard
dash-title = TelePay dashboard
dash-loading = Loading…
dash-choose-channel = Your channels
dash-no-channels = You have no channels yet. Use /newchannel in the bot.
dash-refused-missing = Open the dashboard from the bot (/mychannels): Telegram did not pass your sign-in.
dash-refused-stale = This dashboard session is too old. Close it and open it again from /mychannels.
dash-refused-forged = Telegram's signature did not match. Open the dashboard again from /mychannels.
dash-refused-not-owner = This is not one of your channels.
dash-refused-rights = Telegram says you are no longer an admin of this channel, or the bot lost its admin rights. Check /mychannels.
dash-invalid-input = Not saved: { $reason }
dash-failed = Something went wrong. Try again in a moment.
dash-status = Status: { $status }
dash-revenue-monthly = Revenue per month
dash-revenue-daily = Revenue per day (last 30 days)
dash-rail-crypto = Crypto (NOWPayments)
dash-rail-stars = Telegram Stars
dash-no-revenue = No paid orders in this period.
dash-by-tier = By plan
dash-donations = Donations
dash-tier-retired = { $label } (retired plan)
dash-orders = Paid: { $n }
dash-subscribers = Subscribers
dash-active-now = Active now
dash-mrr = Monthly recurring revenue
dash-mrr-none = —
dash-new-vs-churned = New and churned per month
dash-new-label = New
dash-churned-label = Churned
dash-funnel = Conversion (last 30 days)
dash-funnel-opened = Offers opened
dash-funnel-invoices = Invoices made
dash-funnel-paid = Paid
dash-reviews = Payments needing review
dash-reviews-none = Nothing to review.
dash-reviews-help = Grant gives access as if the order were paid in full. Dismiss records your note (for example, that you refunded the buyer) and changes nothing else.
dash-review-grant = Grant anyway
dash-review-dismiss = Dismiss
dash-review-note = Note (optional)
dash-review-granted = Granted: the buyer gets access.
dash-review-dismissed = Dismissed.
dash-review-conflict = Already settled or changed meanwhile: { $reason }
dash-tiers = Plans
dash-tier-label = Name
dash-tier-price = Price
dash-tier-days = Days
dash-add-tier = Add a plan
dash-remove-tier = Remove
dash-save-tiers = Save plans
dash-saved-tiers = Saved. The plans post in your public channel is being updated.
dash-as-of = Figures as of { $time } (UTC)
dash-trials = Free trials (last 30 days)
dash-trials-started = Started
dash-trials-converted = Then paid
dash-promos = Promo codes
dash-promos-none = No promo codes yet. Create one with /mychannels or telepay promo add.
dash-promo-uses = used { $uses }×
dash-promo-uses-of = used { $uses } of { $max }
dash-promo-expires = until { $date }
dash-promo-disabled = disabled
