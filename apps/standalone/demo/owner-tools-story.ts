import { type Locale, promoTexts } from "@telepay/telegram";
import { type BotApiEmulator, type NowPaymentsEmulator, parseHtml } from "@telepay/testing";
import { buttonsOf, type Conversation, oneLine, startPayload, withText } from "./conversation.ts";
import { CLOSED, OWNER } from "./story.ts";

/**
 * The walkthrough's owner-tools chapter (issue 15): the owner offers a free trial and creates a promo
 * code in /mychannels, a new reader takes the trial (and cannot take it twice), and another buys at
 * the code's price. Driven, like the rest, only through the emulators and the real CLI.
 */
export const OWNER_TOOLS_STEPS = [
  "the owner offers a free trial and creates a promo code in /mychannels",
  "a new reader takes the free trial and joins",
  "a second trial attempt is refused",
  "a reader buys with the promo code",
] as const;
export type OwnerToolsStep = (typeof OWNER_TOOLS_STEPS)[number];

/** Rita tries the channel for free; Pablo buys with Olivia's code. */
export const TRIAL_READER = { id: 5_300_000_003, first_name: "Rita", username: "rita_tries" };
export const PROMO_BUYER = { id: 5_400_000_004, first_name: "Pablo", username: "pablo_saves" };
const TRIAL_DAYS = 7;
const CODE = "SPRING";

export interface OwnerToolsDeps {
  step: <T>(name: OwnerToolsStep, run: () => Promise<{ line: string; value: T }>) => Promise<T>;
  conversation: Conversation;
  tg: BotApiEmulator;
  np: NowPaymentsEmulator;
  /** The operator's CLI (`--json` output parsed). */
  telepay: <T>(args: string[]) => Promise<T>;
  /** Sends NOWPayments' signed IPNs for an invoice; throws unless every one is accepted. */
  ipns: (invoiceId: string, statuses: string[]) => Promise<number[]>;
  channelId: number;
  locale: Locale;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A catalog message as the user sees its first line (up to `cut`, before a date or amount). */
const seen = (html: string, cut?: string) => {
  const line = parseHtml(html).split("\n")[0]!.trim();
  return new RegExp(escapeRegExp(cut ? line.split(cut)[0]! : line));
};
const exactly = (label: string) => new RegExp(`^${escapeRegExp(label)}$`);

/** Runs the chapter's steps, in order, after the main story (the channel is on sale). */
export async function runOwnerToolsStory(deps: OwnerToolsDeps): Promise<void> {
  const { step, conversation, tg, np, telepay, ipns, channelId, locale } = deps;
  const { mark, botMessage, say, press } = conversation;
  const t = promoTexts(locale);
  const title = CLOSED.title;
  tg.addUser({ ...TRIAL_READER, language_code: locale });
  tg.addUser({ ...PROMO_BUYER, language_code: locale });

  /** The invite DM after access is granted: a join-request link the bot made for the closed channel. */
  async function joinFromInvite(user: { id: number; first_name: string }, since: ReturnType<typeof mark>) {
    const isInvite = (url: string | undefined) =>
      url !== undefined && tg.inviteLinks(CLOSED.id).some((l) => l.invite_link === url);
    const dm = await botMessage(user.id, since, `${user.first_name}'s invite DM`, (m) =>
      buttonsOf(m).some((b) => isInvite(b.url)),
    );
    const link = buttonsOf(dm).find((b) => isInvite(b.url))!.url!;
    const joined = mark();
    tg.joinViaLink({ from: user.id, inviteLink: link });
    await tg.waitForCall(
      "approveChatJoinRequest",
      (c) => !joined.has(c) && Number(c.params.chat_id) === CLOSED.id && Number(c.params.user_id) === user.id,
      30_000,
    );
    const status = tg.getMember(CLOSED.id, user.id).status;
    if (status !== "member") throw new Error(`after approval ${user.first_name} is '${status}' in ${title}`);
    return dm;
  }

  const promoLink = await step(
    "the owner offers a free trial and creates a promo code in /mychannels",
    async () => {
      let since = mark();
      tg.sendUserMessage({ from: OWNER.id, text: "/mychannels" });
      const list = await botMessage(OWNER.id, since, "/mychannels list", (m) =>
        buttonsOf(m).some((b) => b.text.includes(title)),
      );
      const trialOff = exactly(t.trialSettingsButton(0));
      const panel = await press(
        OWNER.id,
        list,
        new RegExp(escapeRegExp(title)),
        (m) => buttonsOf(m).some((b) => trialOff.test(b.text)),
        "channel panel with the free trial button",
      );
      await press(
        OWNER.id,
        panel,
        trialOff,
        withText(seen(t.askTrialDays({ title, days: 0, max: 365 }))),
        "free trial question",
      );
      since = mark();
      await say(OWNER.id, String(TRIAL_DAYS), seen(t.trialDaysSaved(TRIAL_DAYS)));
      const promos = exactly(t.promosButton());
      const again = await botMessage(OWNER.id, since, "channel panel again", (m) =>
        buttonsOf(m).some((b) => promos.test(b.text)),
      );
      const codes = await press(
        OWNER.id,
        again,
        promos,
        withText(seen(t.list(title, []))),
        "promo code list",
      );
      await press(OWNER.id, codes, exactly(t.addButton()), withText(seen(t.askCode())), "new code question");
      await say(OWNER.id, CODE.toLowerCase(), seen(t.askDiscount("USD"), "USD"));
      await say(OWNER.id, "20%", seen(t.askMaxUses()));
      await say(OWNER.id, "10", seen(t.askExpiry()));
      await say(OWNER.id, "30", seen(t.askTiers([])));
      const created = await say(OWNER.id, "-", seen(t.created({ code: CODE, url: "" })));
      const url = (created.plainText ?? "").match(/https:\/\/t\.me\/\S+/)?.[0];
      if (!url || startPayload(url) !== `p${channelId}_${CODE}`)
        throw new Error(`the new code's message links ${url}, expected start=p${channelId}_${CODE}`);
      // The operator sees the same code through the CLI (one core, one rule).
      const listed = await telepay<
        Array<{ code: string; percentOff: number; maxUses: number; uses: number }>
      >(["promo", "list", "--channel", String(channelId)]);
      const row = listed.find((p) => p.code === CODE);
      if (row?.percentOff !== 20 || row.maxUses !== 10)
        throw new Error(`telepay promo list shows ${JSON.stringify(listed)}`);
      const shown = await telepay<{ trialDays: number }>(["channel", "show", String(channelId)]);
      if (shown.trialDays !== TRIAL_DAYS)
        throw new Error(`telepay channel show says trialDays ${shown.trialDays}`);
      return {
        line: `owner ${OWNER.first_name} set a ${TRIAL_DAYS}-day free trial and created code ${CODE} (20 % off, 10 uses, 30 days, all plans) in /mychannels; share link ${url}; telepay promo list and channel show agree`,
        value: url,
      };
    },
  );

  const trialMenu = await step("a new reader takes the free trial and joins", async () => {
    const menu = await say(TRIAL_READER.id, `/start c${channelId}`, new RegExp(escapeRegExp(title)));
    const since = mark();
    await press(
      TRIAL_READER.id,
      menu,
      exactly(t.trialButton(TRIAL_DAYS)),
      withText(seen(t.trialStarted({ title, days: TRIAL_DAYS, until: new Date() }), ":")),
      "trial started",
    );
    const dm = await joinFromInvite(TRIAL_READER, since);
    const subs = await telepay<Array<{ status: string; trial: boolean; expiresAt: string }>>([
      "subscription",
      "list",
      "--channel",
      String(channelId),
      "--user",
      String(TRIAL_READER.id),
    ]);
    const left = (Date.parse(subs[0]?.expiresAt ?? "") - Date.now()) / 86_400_000;
    if (
      subs.length !== 1 ||
      !subs[0]!.trial ||
      subs[0]!.status !== "active" ||
      Math.round(left) !== TRIAL_DAYS
    )
      throw new Error(
        `telepay subscription list shows ${JSON.stringify(subs)} for ${TRIAL_READER.first_name}`,
      );
    return {
      line: `reader ${TRIAL_READER.first_name} tapped [${t.trialButton(TRIAL_DAYS)}] (no invoice), got "${oneLine(dm.plainText, 60)}", joined through the join request; the CLI lists a trial subscription for ${TRIAL_DAYS} days`,
      value: menu,
    };
  });

  await step("a second trial attempt is refused", async () => {
    // The button on the old menu again: access.startTrial refuses, and says why.
    const refused = await press(
      TRIAL_READER.id,
      trialMenu,
      exactly(t.trialButton(TRIAL_DAYS)),
      withText(seen(t.trialRefused("subscribed", title))),
      "trial refusal",
    );
    const fresh = await say(TRIAL_READER.id, `/start c${channelId}`, new RegExp(escapeRegExp(title)));
    if (buttonsOf(fresh).some((b) => b.data === `trial:${channelId}`))
      throw new Error("the channel menu still offers the trial to someone who took it");
    return {
      line: `${TRIAL_READER.first_name} tapped the trial button again: "${oneLine(refused.plainText, 70)}"; a fresh menu no longer offers it`,
      value: undefined,
    };
  });

  await step("a reader buys with the promo code", async () => {
    const payload = startPayload(promoLink);
    const menu = await say(PROMO_BUYER.id, `/start ${payload}`, seen(t.codeNotice(CODE)));
    const invoiceScreen = await press(
      PROMO_BUYER.id,
      menu,
      exactly(t.tierWithCodeButton({ label: "Monthly", days: 30 })),
      (m) => buttonsOf(m).some((b) => b.url),
      "invoice with the code",
    );
    const discount = seen(t.discountLine({ code: CODE, before: "9.99", after: "7.99", currency: "USD" }));
    if (!discount.test(invoiceScreen.plainText ?? ""))
      throw new Error(`the invoice screen does not show ${discount}: "${oneLine(invoiceScreen.plainText)}"`);
    const payUrl = buttonsOf(invoiceScreen).find((b) => b.url)!.url!;
    const invoice = np.invoices.find((i) => i.invoice_url === payUrl);
    if (!invoice || Number(invoice.price_amount) !== 7.99)
      throw new Error(`the Pay button opens ${payUrl}, for ${invoice?.price_amount ?? "no invoice"}`);
    const since = mark();
    const answers = await ipns(invoice.id, ["waiting", "confirming", "finished"]);
    await joinFromInvite(PROMO_BUYER, since);
    const listed = await telepay<Array<{ code: string; uses: number; maxUses: number }>>([
      "promo",
      "list",
      "--channel",
      String(channelId),
    ]);
    const row = listed.find((p) => p.code === CODE);
    if (row?.uses !== 1)
      throw new Error(`after the purchase telepay promo list shows ${JSON.stringify(row)}`);
    return {
      line: `reader ${PROMO_BUYER.first_name} opened the share link (/start ${payload}): "${oneLine(invoiceScreen.plainText?.split("\n").at(-1), 50)}", invoice ${invoice.id} for 7.99 USD, IPNs answered ${answers.join(", ")}, invite, joined; telepay promo list: ${CODE} used ${row.uses} of ${row.maxUses}`,
      value: undefined,
    };
  });
}
