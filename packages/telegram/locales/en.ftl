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
n-trial-invite =
    🎁 <b>Your free trial of { $title } has begun.</b>

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

## Bot: general

b-there = there
b-welcome =
    👋 <b>Hi { $name }!</b>

    I sell access to private Telegram channels, paid in crypto.

    • Found a channel post with plans? Tap a plan there and I'll take it from here.
    • /subscriptions — your subscriptions, renewals and the way back in
    • /newchannel — sell access to your own channel
    • /mychannels — manage the channels you sell
    • /language — the language I write to you in
    • /help — how it all works
b-help =
    <b>How TelePay works</b>

    <b>Subscribers</b>
    1. Tap a plan on a channel's post (or a link you were given).
    2. Pay the invoice in the crypto you like.
    3. As soon as the payment is confirmed I send you a link into the private channel.
    Renew any time from /subscriptions: the new time is added to what you have left.

    <b>Channel owners</b>
    /newchannel walks you through adding your public and private channel, your plans and payout wallet.
    /mychannels shows subscribers and revenue, lets you change plans and texts, export payments and pause sales.
    /broadcast writes to your subscribers (active, expired or everyone who paid): text or a photo, with a preview before it goes.

    /language changes the language I write to you in. /cancel stops whatever you are in the middle of.
b-unknown-input = I didn't catch that. Send /help to see what I can do.
b-stale-button = This offer changed since that message was sent. Send /help to start over, or open the channel's post again.
b-offer-changed = ℹ️ This offer changed. Here is what is available now:
b-offer-changed-toast = This offer changed
b-stale-button-toast = That button is out of date
b-something-went-wrong = 😕 Something went wrong on my side. Please try again in a minute.
b-something-went-wrong-toast = Something went wrong — please try again
b-link-not-recognised = That link doesn't lead anywhere I know. Open the channel's post again, or send /help.
b-cancelled = Cancelled. Nothing was changed.
b-nothing-to-cancel = There is nothing to cancel.
b-yes = Yes
b-no = No
b-confirm = ✅ Confirm
b-cancel = ✖️ Cancel
b-retry = 🔁 Try again
b-start-again = Start again
b-language-prompt = 🌐 Which language should I write to you in?
b-language-saved = ✅ Done: from now on I write to you in English.
b-language-saved-toast = English it is

## Bot: command menu

b-cmd-start = Start
b-cmd-subscriptions = Your subscriptions, renewals and the way back in
b-cmd-newchannel = Sell access to your channel
b-cmd-mychannels = Manage the channels you sell
b-cmd-language = Choose your language
b-cmd-help = How TelePay works
b-cmd-cancel = Stop what you are doing

## Bot: subscribers

b-tier-line = • <b>{ $label }</b> — { $price } for { $days }
b-channel-not-found = I can't find that channel any more. The link may be out of date.
b-channel-unavailable = <b>{ $title }</b> isn't taking new subscriptions right now. Please check back later.
b-menu-head = <b>{ $title }</b>
b-menu-head-renewal = 🔁 Renew <b>{ $title }</b>
b-menu-choose = Choose a plan:
b-menu-renewal-note = Renewing adds the new time to what you have left.
b-tier-button = { $label } · { $price } / { $days }
b-buy-button = Continue — { $price }
b-other-plans = See all plans
b-see-plans = See plans
b-preparing-invoice = Preparing your invoice…
b-invoice =
    🧾 <b>Your order</b>
    Channel: <b>{ $title }</b>
    Plan: { $plan }
    Duration: { $duration }
    Amount: <b>{ $amount }</b>

    Tap <b>Pay</b> to pay in the crypto you like. Your access starts as soon as the payment is confirmed; I'll message you with the link.
b-invoice-donation =
    💝 <b>Donation to { $title }</b>
    Amount: <b>{ $amount }</b>

    Tap <b>Pay</b> to pay in the crypto you like. Thank you!
b-invoice-description = { $title } — { $plan } ({ $days })
b-invoice-description-donation = Donation to { $title }
b-pay-button = 💳 Pay { $amount }
b-check-status = 🔄 Check status
b-status-refreshed = Status updated
b-invoice-unavailable = ⚠️ I couldn't reach the payment provider just now. Nothing was charged — please try again.
b-order-not-found = I can't find that order. Orders can only be viewed by the person who placed them.
b-status-waiting = ⏳ Waiting for payment
b-status-confirming = 🔎 Payment seen — waiting for network confirmations
b-status-confirmed = 🔎 Payment confirmed on the network — finishing up
b-status-sending = 🔎 Payment confirmed — finishing up
b-status-partially-paid = ⚠️ Partially paid — the amount received is less than the price
b-status-finished = ✅ Paid
b-status-failed = ❌ Payment failed
b-status-refunded = ↩️ Refunded
b-status-expired = ⌛ Invoice expired — nothing was charged
b-status-needs-review = 🕵️ Payment received, being reviewed by hand
b-status-unknown = ❔ { $status }
b-order-what = <b>{ $title }</b> — { $plan }
b-order-what-days = <b>{ $title }</b> — { $plan } ({ $days })
b-order-what-donation = Donation to <b>{ $title }</b>
b-after-donation-paid = Thank you for your support! 💝
b-after-subscription-paid = Your access link is in a separate message. /subscriptions shows your expiry.
b-after-partial = Send the rest from the invoice page, or contact the channel owner.
b-after-failed = You can start a new order at any time.
b-after-waiting = Already paid? Confirmation can take a few minutes; tap Check status.
b-after-pending = No need to do anything: I'll message you when it is done.
b-order-paid-at = Paid: { $date }
b-order-status =
    🧾 <b>Order status</b>
    { $what }
    Amount: { $amount }
    Status: <b>{ $status }</b>{ $paid }
    Reference: <code>{ $reference }</code>

    { $after }
b-my-subscriptions-button = 📋 My subscriptions
b-order-again = 🔁 Order again
b-no-subscriptions = You have no subscriptions yet. Tap a plan on a channel's post to get one.
b-sub-active = ✅ <b>{ $title }</b> — active until { $date }
b-sub-expired = ⌛ <b>{ $title }</b> — expired { $date }
b-sub-ended = ⌛ <b>{ $title }</b> — ended { $date }
b-subscriptions =
    📋 <b>Your subscriptions</b>

    { $lines }

    Renewing adds the new time to your current expiry. Left a channel? Tap Join to get back in.
b-renew-button = 🔁 Renew { $title }
b-join-button = 🚪 Join { $title }
b-way-back-in = 🚪 Here is your way back into <b>{ $title }</b>. Tap the button and send a join request — it is approved automatically for your account.
b-join-declined = Your request to join <b>{ $title }</b> was declined because you have no active subscription. Pick a plan to get access.

## Bot: donations

b-donate-head = 💝 <b>Donate to { $title }</b>
b-donate-body =
    Amount: <code>{ $amount }</code> { $currency }

    Type the amount on the keypad, then tap Confirm.
    From { $min } to { $max }, at most 2 decimals.
b-keypad-clear = Clear
b-keypad-too-many-decimals = At most 2 decimals
b-keypad-above-max = The maximum is { $max }
b-keypad-below-min = The minimum is { $min }
b-keypad-has-point = The amount already has a decimal point
b-keypad-empty = Type an amount first
b-keypad-stale = This keypad is no longer active
b-keypad-inactive = This keypad is no longer active. Open the donation link again to start over.
b-keypad-replaced = This keypad was replaced by a newer one below.
b-keypad-timed-out-toast = This keypad timed out
b-keypad-timed-out = ⌛ This donation keypad timed out. Nothing was charged — start again whenever you like.
b-donation-cancelled = Donation cancelled. Nothing was charged.

## Bot: owners, /newchannel

b-right-invite = Invite users via link
b-right-ban = Ban users
b-right-post = Post messages
b-onboard-intro =
    🚀 <b>Let's set up your paid channel.</b>
    You need two channels: a <b>public</b> one where I post your plans, and a <b>private</b> one I sell access to.
    Add me to both as an administrator with the rights to <b>post messages</b>, <b>invite users via link</b> and <b>ban users</b>.

    Send /cancel at any time to stop.
b-onboard-open =
    <b>Step 1 of 7 — public channel</b>
    Forward me any post from your public channel, or send its @username or id.
    (I need to be an admin there: @{ $bot }.)
b-onboard-closed =
    <b>Step 2 of 7 — private channel</b>
    Now the private channel people pay for (not { $open }): forward me a post from it, or send its id.
b-onboard-tiers =
    <b>Step 3 of 7 — plans</b>
    Send your plans, one per line, as <code>price:days:label</code> (prices in { $currency }), for example:
    <code>9.99:30:Monthly
    24.99:90:Quarterly
    89:365:Yearly</code>
b-onboard-wallet =
    <b>Step 4 of 7 — payout wallet</b>
    Send the wallet address NOWPayments should pay out to.
b-onboard-currency =
    <b>Step 5 of 7 — payout currency</b>
    Send the currency ticker of that wallet, optionally followed by the network, like <code>usdttrc20</code> or <code>usdt tron</code>.
b-onboard-donation =
    <b>Step 6 of 7 — donations</b>
    Send the text for the donation post in your private channel, or <code>skip</code> for a plain one.
b-onboard-notifications =
    <b>Step 7 of 7 — notifications</b>
    Should I message you about every payment?
b-text-too-long = The text must be at most { $max } characters.
b-payout = <code>{ $wallet }</code> in { $currency }
b-payout-network = <code>{ $wallet }</code> in { $currency } ({ $network })
b-default = (default)
b-none = (none)
b-on = on
b-off = off
b-onboard-summary =
    📋 <b>Please check everything</b>
    Public channel: <b>{ $open }</b>
    Private channel: <b>{ $closed }</b>

    <b>Plans</b>
    { $plans }

    Payout: { $payout }
    Donation text: { $donation }
    Payment notifications: { $notifications }
    Language of the channel posts: { $language }

    Confirm to save and publish your plans post. The buttons below change the posts' language.
b-channel-verified = ✅ <b>{ $title }</b> verified as your { $role ->
        [open] public
       *[closed] private
    } channel.
b-identify-help = Please forward me a post from the channel, or send its @username (like <code>@mychannel</code>) or its numeric id (like <code>-1001234567890</code>).
b-not-a-channel = That is not a channel. Please forward a post from a <b>channel</b>, or send a channel's @username or id.
b-cannot-see-channel = I can't see that channel. Add me to it as an administrator first, then try again.
b-bot-not-admin-open = ⚠️ I'm not an administrator of <b>{ $title }</b>. Add me as an admin with the right to post messages, then send it again.
b-bot-not-admin-closed = ⚠️ I'm not an administrator of <b>{ $title }</b>. Add me as an admin with the rights to post messages, invite users via link and ban users, then send it again.
b-bot-missing-rights = ⚠️ I'm an admin of <b>{ $title }</b> but I'm missing these rights: <b>{ $rights }</b>. Please grant them and send it again.
b-owner-not-admin = ⛔ You are not an administrator of <b>{ $title }</b>, so you can't register it.
b-taken = ⛔ <b>{ $title }</b> is already registered by someone else and can't be added again.
b-already-yours = <b>{ $title }</b> is already one of your channels. Manage it with /mychannels.
b-same-channel = The private channel must be a different channel from the public one.
b-invalid = ⚠️ { $reason }
b-onboard-expired = That setup was left unfinished for too long and has expired. Start again with /newchannel.
b-fix-and-confirm = Fix this in Telegram, then tap Confirm again.
b-checking-rights = Checking your channels…
b-onboard-done =
    🎉 <b>Done!</b> { $closed } is now for sale. I'm posting your plans to <b>{ $open }</b> and the donation post to your private channel.

    Manage everything with /mychannels.
b-tiers-none = Send at least one plan.
b-tiers-too-many = At most { $max } plans.
b-tier-bad-price = Line { $line } (“{ $text }”): the price must be a positive amount with at most 2 decimals, like 9.99.
b-tier-bad-days = Line { $line } (“{ $text }”): the duration must be a whole number of days from 1 to { $max }.
b-tier-long-label = Line { $line } (“{ $text }”): the label is longer than { $max } characters.
b-wallet-invalid = That does not look like a wallet address (16–128 letters and digits, no spaces).
b-currency-invalid = Send the ticker, optionally followed by the network, like “usdttrc20” or “usdt tron”.

## Bot: owners, /mychannels

b-channel-status-active = 🟢 selling
b-channel-status-paused = ⏸ paused
b-channel-status-bot-removed = 🔴 bot removed
b-channel-status-bot-lacks-rights = 🟠 bot lacks rights
b-no-channels = You have no channels yet. Add one with /newchannel.
b-channel-list =
    📺 <b>Your channels</b> ({ $count })
    Choose one to manage it.
b-revenue-item = { $amount } ({ $orders } paid)
b-revenue-none = nothing yet
b-plans-none = none
b-channel-panel =
    📺 <b>{ $closed }</b>
    Public channel: { $open }
    Status: { $status }

    👥 Active subscribers: <b>{ $subscribers }</b>
    💰 Revenue so far: <b>{ $revenue }</b>

    <b>Plans</b>
    { $plans }

    Description: { $description }
    Donation text: { $donation }
    Payout: { $payout }
    Payment notifications: { $notifications }
    Language of the channel posts: { $language }
b-edit-tiers = ✏️ Plans
b-edit-description = ✏️ Description
b-edit-donation = ✏️ Donation text
b-notifications-on = 🔔 Notifications: on
b-notifications-off = 🔕 Notifications: off
b-republish = 📣 Republish posts
b-export = 📄 Export payments
b-pause = ⏸ Pause sales
b-resume = ▶️ Resume sales
b-all-channels = « All channels
b-notifications-turned-on = Notifications turned on
b-notifications-turned-off = Notifications turned off
b-paused = Sales paused
b-resumed = Sales resumed
b-republish-requested = Your posts will be republished in a moment.
b-refused = Not allowed right now
b-exporting = Preparing your export…
b-export-caption = 📄 Payments of <b>{ $title }</b>: { $rows ->
        [one] { $rows } order
       *[other] { $rows } orders
    }.
b-owner-no-longer-admin = ⛔ Telegram says you are no longer an administrator of <b>{ $title }</b>, so I can't make changes for you.
b-edit-tiers-prompt = Send the new plans for <b>{ $title }</b>, one per line as <code>price:days:label</code>. They replace the current ones; people who already paid keep what they bought.
b-edit-description-prompt = Send the new description for <b>{ $title }</b>, or <code>-</code> to remove it.
b-edit-donation-prompt = Send the new donation text for <b>{ $title }</b>, or <code>-</code> for the default.
b-edit-current =
    Current:
    <code>{ $current }</code>
b-edit-keep = /cancel to keep things as they are.
b-edit-saved = ✅ Saved. Your channel posts will be updated in a moment.
b-post-language-saved = Channel posts are now in { $language }

## Bot: owners, bot membership

b-owner-bot-removed = 🔴 I was removed from <b>{ $title }</b>, so sales of your channel are stopped. Add me back as an administrator to resume.
b-owner-bot-lacks-rights = 🟠 I lost rights in <b>{ $title }</b>: { $rights }. Sales are stopped until you grant them again.
b-owner-bot-restored = 🟢 My rights in <b>{ $title }</b> are back. Your channel is selling again.

## Bot: payment reviews (owner)

b-review-granted = ✅ <b>Granted.</b> Payment <code>{ $id }</code> now counts as paid; the customer gets their access as for any paid order.
b-review-note-prompt = ✍️ Send a short note for the record on payment <code>{ $id }</code> (why you dismissed it, e.g. “refunded the payer”), or /skip to dismiss it without one.
b-review-dismissed = ✖️ <b>Dismissed</b> payment <code>{ $id }</code>. Nothing was granted.
b-review-dismissed-note = ✖️ <b>Dismissed</b> payment <code>{ $id }</code>: { $note }. Nothing was granted.
b-review-already-resolved = This payment was already settled
b-review-not-yours = Only the channel's owner can decide this
b-review-cannot-grant = Access can no longer be granted for this payment
b-review-note-too-long = That note is too long: keep it under { $max } characters, or /skip.
b-post-language-button = 🌐 Language of the posts
b-post-language-prompt = 🌐 In which language should I write the posts and plan buttons of <b>{ $title }</b>? Both posts are published again in it.

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

## Bot: the owner's balance in /mychannels (operator settlement)

mc-balance-title = 💸 <b>Your earnings</b> (payments reach the operator, who pays you out)
mc-balance-none = 💸 <b>Your earnings</b>: nothing yet.
mc-balance-due = { $currency }: <b>{ $due }</b> due to you · { $paid } paid out of { $earned } earned
mc-balance-ahead = { $currency }: <b>{ $ahead }</b> was paid out ahead (a refund came after a payout) and comes off your next earnings · { $paid } paid out of { $earned } earned
mc-balance-last = Last payout: { $amount } on { $date }
mc-balance-never = No payout yet.
mc-balance-direct = 💸 Payments go straight to your payout wallet: nothing is held for you.

## Telegram Stars (bot: subscribers; notifier: tier posts). Design: docs/stars.md

stars-amount = { $stars } ⭐
stars-menu-button = ⭐ { $label } · { $stars } Stars
stars-offer-button = ⭐ Pay with Stars — { $stars }
stars-pay-button = ⭐ Pay { $stars } Stars
stars-invoice-description = { $plan }: { $days } of access to { $title }.
stars-invoice =
    ⭐ <b>{ $title }</b> — { $plan }
    { $price } for { $days }.

    { $renewal }
stars-renews-note = It renews by itself every 30 days; you can stop the renewal any time in /subscriptions.
stars-one-off-note = One payment, no renewal.
stars-not-sold = This plan cannot be bought with Stars right now.
stars-checkout-unknown-order = This invoice is not valid any more. Please open the channel's plans again.
stars-checkout-not-yours = This invoice was made for someone else. Please open the channel's plans yourself.
stars-checkout-price-changed = The price of this plan has changed. Please open the channel's plans again.
stars-checkout-unavailable = This plan is not on sale any more. Please open the channel's plans again.
stars-checkout-already-paid = This invoice is already paid. Check /subscriptions.
stars-payment-review = ⭐ We received your Stars payment, but it does not match the order. The channel's owner will check it; you will hear from us.
stars-renewal-on = 🔁 { $title }: renews with Stars on { $date }.
stars-renewal-off = ⏹ { $title }: renewal is off, access ends on { $date }.
stars-stop-button = ⏹ Stop renewal — { $title }
stars-resume-button = 🔁 Resume renewal — { $title }
stars-renewal-stopped = Renewal stopped
stars-renewal-resumed = Renewal resumed
stars-tiers-need-price = This channel sells for Telegram Stars: end every plan's line with its Stars price, like 9.99:30:Monthly ⭐250.
stars-renewal-failed = Telegram did not accept the change. Please try again later.
n-tier-post-stars-line = • { $label }: { $stars } Stars for { $days }
n-tier-post-both-line = • { $label }: { $price } or { $stars } Stars for { $days }
n-tier-post-stars-button = ⭐ { $label } — { $stars } Stars
n-tier-post-stars-footer = Pay with Telegram Stars; access is granted automatically.
n-tier-post-both-footer = Pay with crypto or Telegram Stars; access is granted automatically.
n-tier-post-rails =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    { $footer }

## Promo codes and free trials in the bot (issue 15; catalog/promo.ts). Subscribers first, then owners.
pr-have-code-button = 🏷 Have a code?
pr-trial-button = 🎁 Start { $days }-day free trial
pr-code-prompt = 🏷 Send me your promo code for <b>{ $title }</b> as a message. /cancel to stop.
pr-code-notice = 🏷 Code <b>{ $code }</b> will be applied: pick a plan to see your price.
pr-tier-button = 🏷 { $plan } with the code
pr-discount-line = 🏷 Code <b>{ $code }</b>: <s>{ $before }</s> → <b>{ $after }</b>
pr-refused-format = ⚠️ That doesn't look like a promo code: codes are 3 to 32 letters, digits, _ or -. Nothing was changed.
pr-refused-unknown = ⚠️ There is no code <b>{ $code }</b> for this channel. Check the spelling and try again.
pr-refused-disabled = ⚠️ The code <b>{ $code }</b> is no longer valid.
pr-refused-expired = ⚠️ The code <b>{ $code }</b> has expired.
pr-refused-tier = ⚠️ The code <b>{ $code }</b> doesn't apply to this plan. Try another plan.
pr-refused-used-up = ⚠️ The code <b>{ $code }</b> has been used up.
pr-refused-below-minimum = ⚠️ With the code <b>{ $code }</b> this plan would cost { $price }, below the payment processor's minimum of { $minimum }, so the code can't be used for it.
pr-refused-donation = ⚠️ Promo codes apply to subscriptions only.
pr-trial-started = 🎁 Your free trial of <b>{ $title }</b> has started: { $period }, until <b>{ $until }</b>. Your invite link is on its way.
pr-trial-used = You have already used the free trial of <b>{ $title }</b> — it is once per person. Pick a plan to stay.
pr-trial-subscribed = You already have access to <b>{ $title }</b>: see /subscriptions.
pr-trial-no-trial = <b>{ $title }</b> doesn't offer a free trial right now.
pr-trial-channel-inactive = <b>{ $title }</b> isn't taking new subscribers right now.
pr-promos-button = 🏷 Promo codes
pr-add-button = ➕ New code
pr-disable-button = 🚫 Disable { $code }
pr-back-button = ⬅️ Back
pr-list-head = 🏷 <b>Promo codes of { $title }</b>
pr-list-none = No codes yet. Tap <b>New code</b> to create one.
pr-list-more = …and { $count } more (older or disabled): the 📊 Dashboard lists them all.
pr-list-line =
    <code>{ $code }</code> — { $details }
    { $url }
pr-percent-off = −{ $percent }%
pr-amount-off = −{ $amount }
pr-uses = used { $uses }×
pr-uses-of = used { $uses } of { $max }
pr-held = { $held } reserved by unpaid orders
pr-expires = until { $date }
pr-tiers = plans { $tiers }
pr-disabled = disabled
pr-ask-code = 🏷 New promo code (1/5). Send the code: 3 to 32 letters, digits, _ or -, like <code>SPRING26</code>. /cancel to stop.
pr-ask-discount = (2/5) The discount: a percent like <code>20%</code>, or an amount off in { $currency } like <code>5</code>.
pr-ask-max-uses = (3/5) How many times may it be used? A number, or <code>-</code> for no limit.
pr-ask-expiry = (4/5) Valid for how many days? A number of days, a date like <code>2026-12-31</code>, or <code>-</code> for no expiry.
pr-ask-tiers =
    (5/5) Which plans? Their numbers separated by commas, or <code>-</code> for all plans:
    { $tiers }
pr-bad-code = ⚠️ A code is 3 to 32 letters, digits, _ or -. Please send it again.
pr-bad-taken = ⚠️ This channel already has that code. Please send another one.
pr-bad-discount = ⚠️ Send a percent like <code>20%</code> or an amount like <code>5</code>.
pr-bad-percent-off = ⚠️ The percent must be a whole number from 1 to 99.
pr-bad-amount-off = ⚠️ The amount must be positive, with at most 2 decimals.
pr-bad-max-uses = ⚠️ Send a whole number from 1 to 1000000, or <code>-</code>.
pr-bad-expires-at = ⚠️ Send a number of days from 1 to 3650, a future date like <code>2026-12-31</code>, or <code>-</code>.
pr-bad-tier-positions = ⚠️ Send plan numbers from the list, separated by commas, or <code>-</code>.
pr-created =
    ✅ Code <code>{ $code }</code> created. Share this link — it opens your plans with the code applied:
    { $url }
pr-disabled-toast = Code { $code } disabled

## Owner's Refund button (bot; notifier: the button on the owner's payment notice). docs/stars.md

n-owner-refund-button = ↩️ Refund
refund-confirm-stars =
    ↩️ Refund { $amount } to { $customer } (order <code>{ $reference }</code>)?

    Telegram returns the Stars to the subscriber, and the access this payment bought is taken back. This cannot be undone.
refund-confirm-recorded =
    ↩️ Record a refund of { $amount } to { $customer } (order <code>{ $reference }</code>)?

    TelePay cannot send crypto back: return the money to the subscriber yourself. Confirming takes back the access this payment bought and tells the subscriber it was refunded. This cannot be undone.
refund-confirm-button-stars = ↩️ Yes, refund the Stars
refund-confirm-button-recorded = ↩️ Yes, record the refund
refund-keep-button = Keep the payment
refund-kept = Nothing was refunded.
refund-done-stars = ↩️ Refunded: Telegram returned { $amount } for order <code>{ $reference }</code>, and the access is taken back.
refund-done-recorded = ↩️ Refund recorded for order <code>{ $reference }</code>, and the access is taken back. Remember to send { $amount } back to the subscriber yourself.
refund-not-yours = Only the channel's owner can refund this payment.
refund-already = This payment has already been refunded.
refund-not-refundable = This payment cannot be refunded: it did not pay its order.
refund-failed = Telegram did not accept the refund, so nothing changed. Please try again later.

## Owner's free trial setting in /mychannels (catalog/promo.ts)
pr-trial-settings-button = 🎁 Free trial: { $current }
pr-trial-off = off
pr-ask-trial-days = 🎁 Free trial of <b>{ $title }</b> — now: { $current }. Send how many free days a new subscriber may take, once ever (0 to { $max }; 0 turns the trial off). /cancel to stop.
pr-bad-trial-days = ⚠️ Send a whole number of days from 0 to { $max }.
pr-trial-days-saved = ✅ Free trial: { $current }.

## Owner broadcasts (bot /broadcast and the progress message the notifier edits)
bc-panel-button = 📣 Broadcast
bc-command = Write to your subscribers
bc-pick-channel = 📣 Which channel's subscribers do you want to write to?
bc-no-channels = You have no channels yet. Add one with /newchannel, then you can write to its subscribers here.
bc-compose =
    📣 <b>Broadcast — { $title }</b>

    Send me the message: text (up to { $max } characters) or one photo with a caption (up to { $maxCaption }). Subscribers get it from me, under the channel's name, exactly as you write it.

    /cancel stops.
bc-too-long = That is { $length } characters; this kind of message may have at most { $max }. Shorten it and send it again.
bc-unsupported = I can send text, or one photo with a caption. Send one of those, or /cancel.
bc-pick-audience = Who in <b>{ $title }</b> should get it?
bc-audience-active = Active subscribers ({ $count })
bc-audience-expired = Expired subscribers ({ $count })
bc-audience-all = Everyone who paid ({ $count })
bc-audience-name-active = active subscribers
bc-audience-name-expired = expired subscribers
bc-audience-name-all = everyone who paid
bc-confirm =
    👆 That is exactly what they will see.

    <b>Send it to { $count ->
        [one] { $count } person
       *[other] { $count } people
    } ({ $audience } of { $title })?</b>
bc-send-button = ✅ Send
bc-change-audience-button = 👥 Change audience
bc-rewrite-button = ✏️ Change message
bc-cancel-button = ✖️ Cancel
bc-daily-limit = ⏳ <b>{ $title }</b> has already sent { $limit ->
        [one] { $limit } broadcast
       *[other] { $limit } broadcasts
    } in the last 24 hours, the most allowed. Try again later.
bc-no-recipients = Nobody is in that audience right now. Pick another one.
bc-expired = That broadcast was left unfinished for too long and has expired. Start again with /broadcast.
bc-draft-cancelled = Broadcast cancelled. Nothing was sent.
bc-no-draft-toast = Nothing to send: start again with /broadcast
bc-not-yours-toast = That is not your broadcast
bc-stopped-toast = Broadcast stopped
bc-already-over-toast = That broadcast is already over
bc-stop-button = ✖️ Stop the broadcast
bc-progress-starting = ⏳ <b>Starting the broadcast to { $title }…</b>
bc-progress-running = 📤 <b>Broadcasting to { $title }…</b>
bc-progress-done = ✅ <b>Broadcast to { $title } finished.</b>
bc-progress-cancelled = 🛑 <b>Broadcast to { $title } stopped.</b> Nobody else will get it.
bc-progress =
    { $head }

    Delivered: { $sent } of { $total }
    Blocked the bot or left Telegram: { $blocked }
    Failed: { $failed }

## Direct checkout (SETTLEMENT=direct): the coin choice, then one message with the QR code whose status line is edited. docs/settlement.md

b-checkout-order =
    🧾 <b>Your order</b>
    Channel: <b>{ $title }</b>
    Plan: { $plan }
    Duration: { $duration }
    Amount: <b>{ $amount }</b>

    Choose below the coin you will pay with. Your access starts as soon as the payment is confirmed; I'll message you with the link.
b-checkout-order-donation =
    💝 <b>Donation to { $title }</b>
    Amount: <b>{ $amount }</b>

    Choose below the coin you will pay with. Thank you!
checkout-coin-unavailable = ⚠️ { $coin } can't be used for this payment right now (NOWPayments refused it, often because the amount is below that coin's minimum). Nothing was charged — please choose another coin.
checkout-head = 🧾 <b>{ $title }</b> · { $price }
checkout-send =
    Send exactly <code>{ $amount }</code> { $coin } to this address:
    <code>{ $address }</code>
checkout-memo = Memo / tag (required): <code>{ $memo }</code>
checkout-expires = Pay before { $expires }, in one transfer of the exact amount.
checkout-status-waiting = ⏳ Waiting for your payment.
checkout-status-confirming = 🔄 Payment seen — waiting for the network to confirm it.
checkout-status-partially-paid = ⚠️ Only part of the amount arrived. Send the rest to the same address before the payment expires, or contact the channel's owner.
checkout-status-finished = ✅ Payment received. Thank you!
checkout-status-expired = ⌛ This payment expired before the money arrived. Start a new order from the channel's menu if you still want it.
checkout-status-failed = ❌ The payment failed. Start a new order from the channel's menu, or contact the channel's owner.
checkout-status-refunded = ↩️ This payment was refunded.
checkout-status-needs-review = 🔎 The payment arrived and is being checked by the channel's owner. I'll message you when they decide.
checkout-wallet-refused = ⚠️ NOWPayments cannot pay out to <code>{ $wallet }</code> in { $currency }: { $reason }
    Payments here go straight to your wallet, so please send a wallet address for that coin.
checkout-wallet-unchecked = ⚠️ I couldn't check the wallet with NOWPayments just now. Nothing was saved — please send the wallet address again in a moment.
