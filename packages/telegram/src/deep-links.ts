/**
 * /start payloads (Telegram allows [A-Za-z0-9_-], at most 64 characters). They only *name*
 * things; prices and durations are always read from the database (docs/legacy-mistakes.md#lm-8).
 *
 *   c<channelId>            the channel's tier menu
 *   t<channelId>_<tierId>   one tier of a channel
 *   s<channelId>_<tierId>   one tier of a channel, bought with Telegram Stars
 *   d<channelId>            a donation to a channel
 *   o<orderReference>       an order's status page (invoice success_url)
 *   p<channelId>_<CODE>     the channel's tier menu with a promo code applied (CODE: 3-32 of
 *                           [A-Za-z0-9_-], case-insensitive; at most 1+10+1+32 = 44 characters)
 */
export type DeepLink =
  | { kind: "channel"; channelId: number }
  | { kind: "tier"; channelId: number; tierId: number }
  | { kind: "stars_tier"; channelId: number; tierId: number }
  | { kind: "donation"; channelId: number }
  | { kind: "order"; reference: string }
  | { kind: "promo"; channelId: number; code: string };

const MAX_PAYLOAD = 64;
const ID = "([1-9][0-9]{0,9})";
const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => DeepLink]> = [
  [new RegExp(`^c${ID}$`), (m) => ({ kind: "channel", channelId: Number(m[1]) })],
  [new RegExp(`^t${ID}_${ID}$`), (m) => ({ kind: "tier", channelId: Number(m[1]), tierId: Number(m[2]) })],
  [
    new RegExp(`^s${ID}_${ID}$`),
    (m) => ({ kind: "stars_tier", channelId: Number(m[1]), tierId: Number(m[2]) }),
  ],
  [new RegExp(`^d${ID}$`), (m) => ({ kind: "donation", channelId: Number(m[1]) })],
  [/^o([A-Za-z0-9_-]{8,63})$/, (m) => ({ kind: "order", reference: m[1]! })],
  // The id is digits only, so the first "_" ends it and the code may itself contain "_".
  [
    new RegExp(`^p${ID}_([A-Za-z0-9_-]{3,32})$`),
    (m) => ({ kind: "promo", channelId: Number(m[1]), code: m[2]!.toUpperCase() }),
  ],
];

/** Parses a /start payload; undefined for anything malformed, too long or unknown. */
export function parseDeepLink(payload: string | undefined | null): DeepLink | undefined {
  if (!payload || payload.length > MAX_PAYLOAD) return undefined;
  for (const [re, build] of PATTERNS) {
    const m = payload.match(re);
    if (m) {
      const link = build(m);
      const ids = Object.values(link).filter((v): v is number => typeof v === "number");
      if (ids.every((n) => Number.isSafeInteger(n) && n <= 2_147_483_647)) return link;
    }
  }
  return undefined;
}

/** Builds the /start payload for a deep link. */
export function deepLinkPayload(link: DeepLink): string {
  switch (link.kind) {
    case "channel":
      return `c${link.channelId}`;
    case "tier":
      return `t${link.channelId}_${link.tierId}`;
    case "stars_tier":
      return `s${link.channelId}_${link.tierId}`;
    case "donation":
      return `d${link.channelId}`;
    case "order":
      return `o${link.reference}`;
    case "promo":
      if (!/^[A-Za-z0-9_-]{3,32}$/.test(link.code)) throw new Error(`not a promo code: ${link.code}`);
      return `p${link.channelId}_${link.code}`;
  }
}

/** https://t.me/<bot>?start=<payload>, URL-encoded (docs/legacy-mistakes.md#lm-2). */
export function deepLinkUrl(botUsername: string, link: DeepLink): string {
  const url = new URL(`https://t.me/${encodeURIComponent(botUsername)}`);
  url.searchParams.set("start", deepLinkPayload(link));
  return url.toString();
}
