/**
 * The owner dashboard's texts (a Mini App: apps/bot-gateway/src/dashboard), from the catalogs'
 * `dash-*` entries in the owner's locale. The browser script fills `{name}` placeholders itself, so
 * each Fluent `{ $name }` is rendered back to `{name}` here.
 */
import { type Locale, translate } from "../i18n.ts";

/** Every text the dashboard's page and script use, and the placeholders each one takes. */
const DASHBOARD_KEYS = {
  title: [],
  loading: [],
  chooseChannel: [],
  noChannels: [],
  refusedMissing: [],
  refusedStale: [],
  refusedForged: [],
  refusedNotOwner: [],
  refusedRights: [],
  invalidInput: ["reason"],
  failed: [],
  status: ["status"],
  revenueMonthly: [],
  revenueDaily: [],
  railCrypto: [],
  railStars: [],
  noRevenue: [],
  byTier: [],
  donations: [],
  tierRetired: ["label"],
  orders: ["n"],
  subscribers: [],
  activeNow: [],
  mrr: [],
  mrrNone: [],
  newVsChurned: [],
  newLabel: [],
  churnedLabel: [],
  funnel: [],
  funnelOpened: [],
  funnelInvoices: [],
  funnelPaid: [],
  reviews: [],
  reviewsNone: [],
  reviewsHelp: [],
  reviewGrant: [],
  reviewDismiss: [],
  reviewNote: [],
  reviewGranted: [],
  reviewDismissed: [],
  reviewConflict: ["reason"],
  tiers: [],
  tierLabel: [],
  tierPrice: [],
  tierDays: [],
  addTier: [],
  removeTier: [],
  saveTiers: [],
  savedTiers: [],
  asOf: ["time"],
  trials: [],
  trialsStarted: [],
  trialsConverted: [],
  promos: [],
  promosNone: [],
  promoUses: ["uses"],
  promoUsesOf: ["uses", "max"],
  promoExpires: ["date"],
  promoDisabled: [],
} as const satisfies Record<string, readonly string[]>;

export type DashboardTextKey = keyof typeof DASHBOARD_KEYS;
export type DashboardTexts = Record<DashboardTextKey, string>;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The dashboard's texts in `locale`, placeholders left as `{name}` for the browser to fill. */
export function dashboardTexts(locale: Locale): DashboardTexts {
  const texts = {} as DashboardTexts;
  for (const [key, names] of Object.entries(DASHBOARD_KEYS) as Array<[DashboardTextKey, readonly string[]]>) {
    texts[key] = translate(locale, `dash-${kebab(key)}`, Object.fromEntries(names.map((n) => [n, `{${n}}`])));
  }
  return texts;
}

/** The /mychannels button that opens the dashboard (plain text: Telegram does not parse buttons). */
export function dashboardButton(locale: Locale = "en"): string {
  return translate(locale, "dash-button");
}
