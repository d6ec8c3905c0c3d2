import {
  createAccess,
  createBroadcasts,
  createChannels,
  createCheckouts,
  createOrders,
  createPromos,
  createSettlement,
  createStars,
  createUsers,
} from "@telepay/commerce";
import type { BotServices } from "../context.ts";

type BotCore = {
  access: ReturnType<typeof createAccess>;
  channels: ReturnType<typeof createChannels>;
  orders: ReturnType<typeof createOrders>;
  users: ReturnType<typeof createUsers>;
  settlement: ReturnType<typeof createSettlement>;
  stars: ReturnType<typeof createStars>;
  checkouts: ReturnType<typeof createCheckouts>;
  broadcasts: ReturnType<typeof createBroadcasts>;
  promos: ReturnType<typeof createPromos>;
};
const cache = new WeakMap<BotServices, BotCore>();

/** The commerce core bound to the bot's database, clock and relay kick (one per services object). */
export function core(services: BotServices): BotCore {
  let c = cache.get(services);
  if (!c) {
    const deps = {
      db: services.db,
      now: services.now,
      onEnqueued: services.kickRelay,
      reminderDays: services.settings.reminderDays,
      // SETTLEMENT=direct: every new wallet is checked with NOWPayments (commerce verifyPayout).
      ...(services.settings.settlement.mode === "direct" ? { payoutAddresses: services.payments } : {}),
    };
    c = {
      access: createAccess(deps),
      channels: createChannels(deps),
      orders: createOrders(deps),
      users: createUsers(deps),
      settlement: createSettlement(deps),
      stars: createStars(deps),
      checkouts: createCheckouts(deps),
      broadcasts: createBroadcasts(deps),
      promos: createPromos(deps),
    };
    cache.set(services, c);
  }
  return c;
}
