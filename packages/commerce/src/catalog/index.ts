/** The catalog half of the core: channels, tiers, orders and users (docs/architecture.md). */
export { actorColumns, audit } from "./audit.ts";
export {
  type Channel,
  type ChannelPatch,
  type Channels,
  checkPayout,
  createChannels,
  MAX_CHANNEL_TEXT,
  MAX_GRACE_DAYS,
  MAX_TRIAL_DAYS,
  type PostKind,
  type RegisterChannelInput,
} from "./channels.ts";
export {
  createOrders,
  type Order,
  type OrderItem,
  type OrderPrice,
  type Orders,
  priceOrder,
  STARS_CURRENCY,
} from "./orders.ts";
export {
  claimPromo,
  createPromos,
  discountedPrice,
  MAX_PROMO_PERCENT,
  normalizePromoCode,
  PROCESSOR_MIN_ORDER_AMOUNT,
  PROMO_CODE_RE,
  PROMO_HOLD_MS,
  type PromoCode,
  type PromoInput,
  type PromoRefusal,
  type PromoSummary,
  type Promos,
  promoJson,
} from "./promos.ts";
export {
  canonicalDecimal,
  isStarsPrice,
  MAX_STARS_PRICE,
  MAX_TIER_DAYS,
  MAX_TIER_LABEL,
  MAX_TIERS,
  parseTiers,
  RAILS,
  type Rails,
  type RawTier,
  requireRails,
  sellsCrypto,
  sellsStars,
  type TierInput,
  type TierProblem,
  type TiersResult,
  validateTiers,
} from "./tiers.ts";
export { checkLanguage, createUsers, type TelegramProfile, type Users } from "./users.ts";
