import type { Locale } from "@telepay/telegram";
import type { BotApiEmulator, StoredMessage } from "@telepay/testing";
import { buttonsOf, type Conversation, withText } from "./conversation.ts";
import { type DemoPhrases, demoPhrases } from "./phrases.ts";

/**
 * The people and chats of TelePay's demo story, and how the owner sets up the channel — through
 * the bot's own /newchannel flow, as a real owner would. `pnpm demo` walks on from here;
 * `pnpm sandbox` starts here and hands over to a person. Telegram ids as Telegram would give them.
 */
export const OWNER = { id: 5_100_000_001, first_name: "Olivia", username: "olivia_alpha" };
export const SUBSCRIBER = { id: 5_200_000_002, first_name: "Sam", username: "sam_reads" };
export const OPEN = { id: -1_001_900_000_001, title: "Alpha News", username: "alpha_news_demo" };
export const CLOSED = { id: -1_001_900_000_002, title: "Alpha VIP" };
export const WALLET = "TQ9xDemoWalletAddress000000000003fAb";
/** Prices in USD and, when the channel also sells for Telegram Stars, in Stars. */
export const TIERS = [
  { price: "9.99", days: 30, label: "Monthly", stars: 250 },
  { price: "24.99", days: 90, label: "Quarterly", stars: 600 },
];
export const DONATION_MESSAGE = "Thank you for supporting Alpha VIP!";

/** What the story expects the bot to say, in `locale` (DEMO_LANG; default English). */
export const storyPhrases = (locale: Locale = "en"): DemoPhrases =>
  demoPhrases(locale, CLOSED.title, OPEN.title);

/**
 * Telegram before the story: both people (their Telegram app in `locale`), and two channels
 * Olivia created with the bot as admin.
 */
export function setUpWorld(tg: BotApiEmulator, locale: Locale = "en"): void {
  tg.addUser({ ...OWNER, language_code: locale });
  tg.addUser({ ...SUBSCRIBER, language_code: locale });
  tg.addChat({ id: OPEN.id, type: "channel", title: OPEN.title, username: OPEN.username });
  tg.addChat({ id: CLOSED.id, type: "channel", title: CLOSED.title });
  // The owner created both channels and made the bot an administrator of each (addChat's default).
  tg.setChatMember(OPEN.id, OWNER.id, "creator");
  tg.setChatMember(CLOSED.id, OWNER.id, "creator");
}

/**
 * Olivia registers Alpha VIP with its tiers through /newchannel; resolves with the bot's "Done!".
 * With `stars`, each plan's line ends with its Stars price (`⭐250`): the channel sells for crypto
 * and Telegram Stars (`pnpm demo`); without, for crypto only (`pnpm sandbox`).
 */
export async function onboardChannel(
  conversation: Conversation,
  phrases: DemoPhrases = storyPhrases(),
  options: { stars?: boolean } = {},
): Promise<StoredMessage> {
  const { say, press } = conversation;
  const step = phrases.step;
  await say(OWNER.id, "/newchannel", step(1));
  await say(OWNER.id, "", step(2), { forwardFromChat: OPEN.id });
  await say(OWNER.id, "", step(3), { forwardFromChat: CLOSED.id });
  const line = (t: (typeof TIERS)[number]) =>
    `${t.price}:${t.days}:${t.label}${options.stars ? ` ⭐${t.stars}` : ""}`;
  await say(OWNER.id, TIERS.map(line).join("\n"), step(4));
  await say(OWNER.id, WALLET, step(5));
  await say(OWNER.id, "usdt trx", step(6));
  const notifications = await say(OWNER.id, DONATION_MESSAGE, step(7));
  const summary = await press(
    OWNER.id,
    notifications,
    phrases.yes,
    withText(phrases.tierLine(TIERS[0]!)),
    "summary to confirm",
  );
  return press(
    OWNER.id,
    summary,
    phrases.confirm,
    withText(phrases.onboardDone),
    "confirmation that the channel is registered",
  );
}

/** The tier post the bot publishes in the open channel once the channel is registered. */
export function isTierPost(message: StoredMessage): boolean {
  return buttonsOf(message).filter((b) => b.url?.includes("start=t")).length === TIERS.length;
}
