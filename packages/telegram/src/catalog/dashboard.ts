/**
 * Every text of the owner dashboard (the Mini App opened from /mychannels), in English. The page
 * receives them as JSON and sets them as text (never as HTML), so nothing here is markup.
 * `{name}` placeholders are filled in by the page.
 */
export const DASHBOARD_TEXTS = {
  title: "TelePay dashboard",
  loading: "Loading…",
  chooseChannel: "Your channels",
  noChannels: "You have no channels yet. Use /newchannel in the bot.",
  refusedMissing: "Open the dashboard from the bot (/mychannels): Telegram did not pass your sign-in.",
  refusedStale: "This dashboard session is too old. Close it and open it again from /mychannels.",
  refusedForged: "Telegram's signature did not match. Open the dashboard again from /mychannels.",
  refusedNotOwner: "This is not one of your channels.",
  refusedRights:
    "Telegram says you are no longer an admin of this channel, or the bot lost its admin rights. Check /mychannels.",
  invalidTiers: "These plans were not saved: {reason}",
  failed: "Something went wrong. Try again in a moment.",
  status: "Status: {status}",
  revenueMonthly: "Revenue per month",
  revenueDaily: "Revenue per day (last 30 days)",
  railCrypto: "Crypto (NOWPayments)",
  railStars: "Telegram Stars",
  noRevenue: "No paid orders in this period.",
  byTier: "By plan",
  donations: "Donations",
  tierRetired: "{label} (retired plan)",
  orders: "{n} paid",
  subscribers: "Subscribers",
  activeNow: "Active now",
  mrr: "Monthly recurring revenue",
  mrrNone: "—",
  newVsChurned: "New and churned per month",
  newLabel: "New",
  churnedLabel: "Churned",
  funnel: "Conversion (last 30 days)",
  funnelOpened: "Offers opened",
  funnelInvoices: "Invoices made",
  funnelPaid: "Paid",
  reviews: "Payments needing review",
  reviewsNone: "Nothing to review.",
  reviewsReadOnly:
    "Grant or dismiss them from the review message the bot sent you; the dashboard only lists them.",
  reviewReason: "{reason}",
  tiers: "Plans",
  tierLabel: "Name",
  tierPrice: "Price (USD)",
  tierDays: "Days",
  addTier: "Add a plan",
  removeTier: "Remove",
  saveTiers: "Save plans",
  savedTiers: "Saved. The plans post in your public channel is being updated.",
  asOf: "Figures as of {time} (UTC)",
} as const;

export type DashboardTextKey = keyof typeof DASHBOARD_TEXTS;

/** The /mychannels button that opens the dashboard (plain text: Telegram does not parse buttons). */
export function dashboardButton(): string {
  return "📊 Dashboard";
}
