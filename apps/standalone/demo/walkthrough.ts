import { signInitData } from "@telepay/security";
import type { Locale } from "@telepay/telegram";
import type { BotApiEmulator, NowPaymentsEmulator, RecordedCall, StoredMessage } from "@telepay/testing";
import type { CliRunner } from "./cli-runner.ts";
import {
  buttonsOf,
  createConversation,
  findButton,
  oneLine,
  startPayload,
  withText,
} from "./conversation.ts";
import { OWNER_TOOLS_STEPS, runOwnerToolsStory } from "./owner-tools-story.ts";
import {
  CLOSED,
  isTierPost,
  OPEN,
  OWNER,
  onboardChannel,
  SUBSCRIBER,
  setUpWorld,
  storyPhrases,
  TIERS,
} from "./story.ts";

/**
 * The user-visible story of TelePay, driven from outside the system: people act through the Bot
 * API emulator (messages, button presses, join requests), NOWPayments acts through its emulator
 * (signed IPNs to the system's public URL), the operator acts through the real CLI. Every step is
 * verified by what those three observe — never by reaching into the system's process or memory —
 * so the same walkthrough proves the standalone process and the three Cloud Run services alike.
 */
export interface WalkthroughOptions {
  tg: BotApiEmulator;
  np: NowPaymentsEmulator;
  /** PUBLIC_BASE_URL of the system: invoices must call back to `<it>/webhooks/nowpayments`. */
  publicBaseUrl: string;
  cli: CliRunner;
  /** Transcript sink (default: stdout). */
  print?: (line: string) => void;
  /** How long one step may take before the walkthrough fails naming it (default 90 s). */
  stepTimeoutMs?: number;
  /**
   * The system also sweeps on its own timer (standalone's SWEEP_INTERVAL_SECONDS), so either that
   * sweep or `telepay sweep` may be the one that reminds or removes; the transcript says which.
   * Without it, `telepay sweep` must have done it.
   */
  systemSweeps?: boolean;
  /**
   * The language both people's Telegram is set to (DEMO_LANG): every bot text the walkthrough
   * waits for is expected in it. Default English.
   */
  locale?: Locale;
}

/** The figures `telepay sweep --json` reports. */
export interface SweepFigures {
  claimed: number;
  reminded: number;
  removed: number;
}

/**
 * Who did what a sweep step saw happen (`did`), in words true to the figures `telepay sweep`
 * printed: the CLI's sweep if it counted it, else the system's own sweep timer — which only
 * exists when `systemSweeps`; otherwise the figures contradict what happened and this throws.
 */
export function describeSweep(
  did: "reminded" | "removed",
  figures: SweepFigures,
  systemSweeps: boolean,
): string {
  const counted = `claimed ${figures.claimed}, reminded ${figures.reminded}, removed ${figures.removed}`;
  if (figures[did] >= 1) return `by telepay sweep (${counted})`;
  if (!systemSweeps) {
    throw new Error(
      `telepay sweep reports ${counted}, yet the subscriber was ${did} and nothing else sweeps`,
    );
  }
  return `by standalone's own sweep timer; telepay sweep then found nothing left to do (${counted})`;
}

export interface WalkthroughStep {
  name: string;
  line: string;
  ms: number;
}

export interface WalkthroughResult {
  steps: WalkthroughStep[];
  totalMs: number;
}

/** A step that did not happen: which one, and what was (not) seen. */
export class WalkthroughError extends Error {
  readonly step: string;
  constructor(step: string, message: string) {
    super(`step "${step}" failed: ${message}`);
    this.name = "WalkthroughError";
    this.step = step;
  }
}

const DAY_MS = 86_400_000;

/** Every step, in order; a walkthrough that resolves has done all of them. */
export const WALKTHROUGH_STEPS = [
  "owner onboards a channel",
  "the tier post appears in the open channel",
  "a subscriber taps a tier deep link",
  "the subscriber gets the invoice",
  "the subscriber pays",
  "the subscriber receives the invite DM",
  "the subscriber joins through the join request",
  "the owner is notified of the payment",
  "a donation through the keypad",
  "the owner opens the dashboard from /mychannels",
  "the operator moves the subscription close to expiry",
  "the sweep sends a reminder",
  "the subscriber is removed on expiry",
  "the subscriber renews and gets access again",
  "a refund takes access back",
  "a subscriber buys with Telegram Stars",
  "the Stars subscription renews by itself",
  "the subscriber stops the Stars renewal",
  "the owner refunds the Stars payments with the Refund button",
  ...OWNER_TOOLS_STEPS,
] as const;

type StepName = (typeof WALKTHROUGH_STEPS)[number];

const DONATION_KEYS = ["1", "5"];
const DONATION_AMOUNT = "15.00";

const sleepUntil = (at: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** Runs the whole story; resolves only if every step was observed, else rejects with a WalkthroughError. */
export async function runWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult> {
  const { tg, np, cli } = options;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stepTimeoutMs = options.stepTimeoutMs ?? 90_000;
  const systemSweeps = options.systemSweeps ?? false;
  const locale = options.locale ?? "en";
  const phrases = storyPhrases(locale);
  /** The operator's CLI. */
  const telepay = <T>(args: string[]): Promise<T> => cli.json<T>(args);
  const ipnUrl = `${options.publicBaseUrl.replace(/\/+$/, "")}/webhooks/nowpayments`;
  const steps: WalkthroughStep[] = [];
  const started = Date.now();
  let deadline = 0;
  const remaining = () => Math.max(1, deadline - Date.now());

  async function step<T>(name: StepName, run: () => Promise<{ line: string; value: T }>): Promise<T> {
    const at = Date.now();
    deadline = at + stepTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const { line, value } = await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          // The backstop for waits that have no timeout of their own (a hung CLI, an IPN); a
          // moment after the deadline, so a wait that names what it missed reports first.
          timer = setTimeout(
            () => reject(new Error(`timed out after ${Math.round(stepTimeoutMs / 1000)} s`)),
            stepTimeoutMs + 1_000,
          );
        }),
      ]);
      const ms = Date.now() - at;
      steps.push({ name, line, ms });
      print(`✔ ${line}  [${(ms / 1000).toFixed(1)} s]`);
      return value;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      print(`✘ ${name}: ${message}`);
      throw new WalkthroughError(name, message);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- observing the emulators -------------------------------------------------------------

  const conversation = createConversation(tg, remaining);
  const { mark, botMessage, say, press } = conversation;

  async function call(method: string, what: string, predicate: (c: RecordedCall) => boolean) {
    try {
      return await tg.waitForCall(method, predicate, remaining());
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  }

  /** Taps the tier, takes the invoice, and checks it against NOWPayments' side. */
  async function invoiceFor(user: number, offer: StoredMessage, tierLabel: string) {
    const screen = await press(
      user,
      offer,
      phrases.buy,
      (m) => buttonsOf(m).some((b) => phrases.pay.test(b.text) && b.url),
      "invoice with a Pay button",
    );
    const payUrl = findButton(screen, phrases.pay).url!;
    const invoice = np.invoices.find((i) => i.invoice_url === payUrl);
    if (!invoice) throw new Error(`the Pay button opens ${payUrl}, which is no NOWPayments invoice`);
    const tier = TIERS.find((t) => t.label === tierLabel)!;
    if (invoice.price_amount !== tier.price || invoice.price_currency !== "usd") {
      throw new Error(
        `invoice ${invoice.id} is for ${invoice.price_amount} ${invoice.price_currency}, expected ${tier.price} usd`,
      );
    }
    if (invoice.ipn_callback_url !== ipnUrl) {
      throw new Error(`invoice ${invoice.id} calls back to ${invoice.ipn_callback_url}, expected ${ipnUrl}`);
    }
    return { invoice, payUrl, screen };
  }

  /** NOWPayments reports the payment's progress; the system must accept every IPN. */
  async function ipns(invoiceId: string, statuses: string[]): Promise<number[]> {
    const answers: number[] = [];
    for (const status of statuses) {
      const result = await np.sendIpn(invoiceId, status);
      answers.push(result.status);
      if (result.status !== 200) {
        throw new Error(
          `the ${status} IPN for invoice ${invoiceId} was answered ${result.status} ${result.error ?? oneLine(result.body)}`,
        );
      }
    }
    return answers;
  }

  /**
   * A payment as it happens: seen on chain (waiting → confirming; the payer is told it is on its
   * way), then finished once confirmed. A `confirming` that arrives after `finished` is rightly not
   * told, so the confirmations are awaited before the payment completes, as on a real chain.
   */
  async function pay(invoiceId: string): Promise<string> {
    const since = mark();
    const early = await ipns(invoiceId, ["waiting", "confirming"]);
    await botMessage(SUBSCRIBER.id, since, "'waiting for confirmations' DM", withText(phrases.paymentSeen));
    const late = await ipns(invoiceId, ["finished"]);
    return `waiting → confirming ("we see your payment" DM) → finished, answered ${[...early, ...late].join(", ")}`;
  }

  /** The invite DM after a paid subscription: a join-request link to the closed channel. */
  async function inviteDm(since: Set<RecordedCall>) {
    const dm = await botMessage(
      SUBSCRIBER.id,
      since,
      "invite DM",
      (m) => phrases.accessInvite.test(m.plainText ?? "") && buttonsOf(m).some((b) => b.url),
    );
    const link = findButton(dm, phrases.join).url!;
    const record = tg.inviteLinks(CLOSED.id).find((l) => l.invite_link === link);
    if (!record)
      throw new Error(`the invite DM links ${link}, which the bot never created for ${CLOSED.title}`);
    if (!record.creates_join_request) throw new Error(`${link} is not a join-request link`);
    return { dm, link };
  }

  /** The subscriber follows the link, asks to join, and the bot approves them. */
  async function join(link: string): Promise<void> {
    const since = mark();
    tg.joinViaLink({ from: SUBSCRIBER.id, inviteLink: link });
    await call(
      "approveChatJoinRequest",
      "the bot did not approve the join request",
      (c) =>
        !since.has(c) && Number(c.params.chat_id) === CLOSED.id && Number(c.params.user_id) === SUBSCRIBER.id,
    );
    const status = tg.getMember(CLOSED.id, SUBSCRIBER.id).status;
    if (status !== "member") throw new Error(`after approval Sam's status in ${CLOSED.title} is ${status}`);
  }

  interface SubscriptionJson {
    id: number;
    userId: string;
    channelId: number;
    status: string;
    expiresAt: string;
  }

  async function subscriptionOf(channelId: number): Promise<SubscriptionJson> {
    const rows = await telepay<SubscriptionJson[]>([
      "subscription",
      "list",
      "--channel",
      String(channelId),
      "--user",
      String(SUBSCRIBER.id),
    ]);
    if (rows.length !== 1)
      throw new Error(`telepay subscription list shows ${rows.length} subscriptions for Sam`);
    return rows[0]!;
  }

  async function sweep(): Promise<SweepFigures> {
    const out = await telepay<{ status: string; result: Record<string, unknown> }>(["sweep"]);
    if (out.status !== "swept") throw new Error(`telepay sweep answered ${JSON.stringify(out)}`);
    const r = out.result as Partial<SweepFigures>;
    const figures = { claimed: r.claimed, reminded: r.reminded, removed: r.removed };
    if (!Object.values(figures).every((n) => Number.isInteger(n))) {
      throw new Error(`telepay sweep printed no figures: ${JSON.stringify(out)}`);
    }
    return figures as SweepFigures;
  }

  /** How long the last `subscription extend` took, start-up to the notifier's outcome. */
  let lastMoveMs = 0;

  /**
   * The operator moves the expiry; the CLI waits for the notifier, who tells Sam — still a member —
   * of the new end by DM (no invite: that would mean a sweep removed him before the notifier looked).
   */
  async function moveExpiry(channelId: number, until: Date): Promise<SubscriptionJson> {
    const at = Date.now();
    const out = await telepay<SubscriptionJson & { details?: { member?: boolean; notice?: string } }>([
      "subscription",
      "extend",
      "--channel",
      String(channelId),
      "--user",
      String(SUBSCRIBER.id),
      "--until",
      until.toISOString(),
      "--allow-earlier",
    ]);
    if (Date.parse(out.expiresAt) !== until.getTime()) {
      throw new Error(`the CLI set the expiry to ${out.expiresAt}, not ${until.toISOString()}`);
    }
    if (out.details?.member !== true || out.details.notice !== "sent") {
      throw new Error(
        `the notifier did not tell Sam, a member, of the move by DM: ${JSON.stringify(out.details)}`,
      );
    }
    lastMoveMs = Date.now() - at;
    return out;
  }

  // ---- the story --------------------------------------------------------------------------

  setUpWorld(tg, locale);
  const beforeOnboarding = mark();

  const channel = await step("owner onboards a channel", async () => {
    await onboardChannel(conversation, phrases, { stars: true });
    const list = await telepay<Array<{ id: number; closedChatId: string; ownerTelegramId: string }>>([
      "channel",
      "list",
    ]);
    const row = list.find((c) => c.closedChatId === String(CLOSED.id));
    if (!row) throw new Error(`telepay channel list does not show ${CLOSED.title}: ${JSON.stringify(list)}`);
    if (row.ownerTelegramId !== String(OWNER.id))
      throw new Error(`the channel's owner is ${row.ownerTelegramId}`);
    const shown = await telepay<{
      rails: string;
      tiers: Array<{
        id: number;
        price: string;
        durationDays: number;
        label: string;
        starsPrice: number | null;
      }>;
    }>(["channel", "show", String(row.id)]);
    const tiers = shown.tiers.map((t) => `${t.label} ${t.price}/${t.durationDays} d ⭐${t.starsPrice}`);
    if (tiers.join() !== TIERS.map((t) => `${t.label} ${t.price}/${t.days} d ⭐${t.stars}`).join()) {
      throw new Error(`telepay channel show lists tiers ${tiers.join(", ")}`);
    }
    if (shown.rails !== "both") throw new Error(`telepay channel show says rails ${shown.rails}, not both`);
    return {
      line: `owner ${OWNER.first_name} onboarded channel '${CLOSED.title}' (public '${OPEN.title}') with ${shown.tiers.length} tiers through /newchannel, sold for crypto and Telegram Stars: ${tiers.join(", ")} — channel ${row.id} in telepay channel list`,
      value: { id: row.id, tierIds: shown.tiers.map((t) => t.id) },
    };
  });

  const posts = await step("the tier post appears in the open channel", async () => {
    const post = await botMessage(OPEN.id, beforeOnboarding, "tier post", isTierPost);
    const links = buttonsOf(post).filter((b) => b.url?.includes("start=t"));
    for (const [i, tierId] of channel.tierIds.entries()) {
      const expected = `t${channel.id}_${tierId}`;
      if (startPayload(links[i]!.url!) !== expected) {
        throw new Error(`tier button ${i + 1} opens ${links[i]!.url}, expected start=${expected}`);
      }
    }
    const donation = await botMessage(CLOSED.id, beforeOnboarding, "donation post", (m) =>
      buttonsOf(m).some((b) => b.url?.includes(`start=d${channel.id}`)),
    );
    return {
      line: `the tier post appeared in '${OPEN.title}': "${oneLine(post.plainText, 90)}" with buttons ${links.map((b) => `[${b.text}]`).join(" ")}; the donation post is in '${CLOSED.title}'`,
      value: {
        monthly: links[0]!.url!,
        donation: findButton(donation, phrases.donate).url!,
        // The Monthly tier's ⭐ button (the channel sells for Stars too).
        starsMonthly: buttonsOf(post).find((b) =>
          b.url?.includes(`start=s${channel.id}_${channel.tierIds[0]}`),
        )?.url,
      },
    };
  });

  const offer = await step("a subscriber taps a tier deep link", async () => {
    const payload = startPayload(posts.monthly);
    const offer = await say(SUBSCRIBER.id, `/start ${payload}`, /Monthly/);
    return {
      line: `subscriber ${SUBSCRIBER.first_name} tapped Monthly (/start ${payload}) and sees "${oneLine(offer.plainText, 80)}"`,
      value: offer,
    };
  });

  const first = await step("the subscriber gets the invoice", async () => {
    const { invoice, payUrl } = await invoiceFor(SUBSCRIBER.id, offer, "Monthly");
    return {
      line: `${SUBSCRIBER.first_name} got invoice ${invoice.id} for ${invoice.price_amount} USD; Pay opens ${payUrl} (IPNs to ${ipnUrl})`,
      value: invoice,
    };
  });

  const beforePayment = mark();
  await step("the subscriber pays", async () => {
    const paid = await pay(first.id);
    return {
      line: `NOWPayments sent signed IPNs to /webhooks/nowpayments: ${paid}`,
      value: undefined,
    };
  });

  const firstInvite = await step("the subscriber receives the invite DM", async () => {
    const { dm, link } = await inviteDm(beforePayment);
    return {
      line: `${SUBSCRIBER.first_name} received the invite DM "${oneLine(dm.plainText, 70)}" with join-request link ${link}`,
      value: link,
    };
  });

  await step("the subscriber joins through the join request", async () => {
    await join(firstInvite);
    return {
      line: `${SUBSCRIBER.first_name} sent a join request through the link; the bot approved it (approveChatJoinRequest) and ${SUBSCRIBER.first_name} is a member of '${CLOSED.title}'`,
      value: undefined,
    };
  });

  await step("the owner is notified of the payment", async () => {
    const notice = await botMessage(
      OWNER.id,
      beforePayment,
      "owner payment notice",
      withText(phrases.ownerPayment),
    );
    if (!/Sam/.test(notice.plainText ?? "") || !/Monthly/.test(notice.plainText ?? "")) {
      throw new Error(`the owner notice does not name the customer and tier: "${oneLine(notice.plainText)}"`);
    }
    return { line: `owner ${OWNER.first_name} got "${oneLine(notice.plainText, 110)}"`, value: undefined };
  });

  await step("a donation through the keypad", async () => {
    const payload = startPayload(posts.donation);
    let keypad = await say(SUBSCRIBER.id, `/start ${payload}`, phrases.keypad);
    let typed = "";
    for (const key of DONATION_KEYS) {
      typed += key;
      const expect = phrases.keypadAmount(typed);
      keypad = await press(
        SUBSCRIBER.id,
        keypad,
        new RegExp(`^${key}$`),
        withText(expect),
        `keypad showing ${typed}`,
      );
    }
    const invoiceScreen = await press(
      SUBSCRIBER.id,
      keypad,
      phrases.confirm,
      (m) => buttonsOf(m).some((b) => phrases.pay.test(b.text)),
      "donation invoice",
    );
    const payUrl = findButton(invoiceScreen, phrases.pay).url!;
    const invoice = np.invoices.find((i) => i.invoice_url === payUrl);
    if (!invoice)
      throw new Error(`the donation's Pay button opens ${payUrl}, which is no NOWPayments invoice`);
    if (Number(invoice.price_amount) !== Number(DONATION_AMOUNT)) {
      throw new Error(`the donation invoice is for ${invoice.price_amount}, expected ${DONATION_AMOUNT}`);
    }
    const since = mark();
    const paid = await pay(invoice.id);
    await botMessage(
      SUBSCRIBER.id,
      since,
      "donation thanks",
      withText(phrases.donationThanks(DONATION_AMOUNT)),
    );
    await botMessage(OWNER.id, since, "owner donation notice", withText(phrases.ownerDonation));
    return {
      line: `${SUBSCRIBER.first_name} donated ${DONATION_AMOUNT} USD through the keypad (/start ${payload}, ${DONATION_KEYS.join(", ")}, Confirm; IPNs ${paid}): thanks DM and owner notice arrived`,
      value: undefined,
    };
  });

  await step("the owner opens the dashboard from /mychannels", async () => {
    // As Telegram does: /mychannels → the channel's panel → its web_app button opens the Mini App
    // page, which calls the dashboard API with the initData Telegram signed for the owner.
    const since = mark();
    tg.sendUserMessage({ from: OWNER.id, text: "/mychannels" });
    const list = await botMessage(OWNER.id, since, "/mychannels list", (m) =>
      buttonsOf(m).some((b) => b.text.includes(CLOSED.title)),
    );
    const panel = await press(
      OWNER.id,
      list,
      new RegExp(CLOSED.title),
      (m) => buttonsOf(m).some((b) => b.webApp),
      "channel panel with the dashboard button",
    );
    const button = buttonsOf(panel).find((b) => b.webApp)!;
    const page = new URL(button.webApp!);
    if (page.searchParams.get("channel") !== String(channel.id)) {
      throw new Error(`the dashboard button opens ${page}, not channel ${channel.id}`);
    }
    const html = await fetch(page);
    if (html.status !== 200 || !/text\/html/.test(html.headers.get("content-type") ?? "")) {
      throw new Error(`the dashboard page ${page} answered ${html.status}`);
    }
    const initData = (userId: number) =>
      signInitData(
        {
          auth_date: String(Math.floor(Date.now() / 1000)),
          query_id: "AAHdemo",
          user: JSON.stringify({ id: userId, first_name: OWNER.first_name }),
        },
        tg.token,
      );
    const api = new URL(`api/channels/${channel.id}`, `${page.origin}${page.pathname.replace(/\/?$/, "/")}`);
    const asOwner = await fetch(api, { headers: { authorization: `tma ${initData(OWNER.id)}` } });
    if (asOwner.status !== 200) throw new Error(`the dashboard API answered the owner ${asOwner.status}`);
    const view = (await asOwner.json()) as {
      report: {
        revenueMonthly: Array<{ currency: string; amount: string; tierId: number | null }>;
        subscribers: { active: number };
        funnel: { paid: number };
      };
    };
    const total = view.report.revenueMonthly.reduce((sum, r) => sum + Number(r.amount), 0);
    const expected = Number(TIERS[0]!.price) + Number(DONATION_AMOUNT);
    if (Math.abs(total - expected) > 0.001 || view.report.subscribers.active !== 1) {
      throw new Error(
        `the dashboard shows revenue ${total} and ${view.report.subscribers.active} active, expected ${expected} and 1`,
      );
    }
    const stranger = await fetch(api, { headers: { authorization: `tma ${initData(SUBSCRIBER.id)}` } });
    if (stranger.status === 200)
      throw new Error("the dashboard showed the owner's figures to the subscriber");
    return {
      line: `owner ${OWNER.first_name} tapped [${button.text}] in /mychannels: the Mini App shows revenue ${expected.toFixed(2)} USD this month (subscription + donation), ${view.report.subscribers.active} active subscriber, ${view.report.funnel.paid} paid in the funnel; ${SUBSCRIBER.first_name}'s initData gets ${stranger.status}`,
      value: undefined,
    };
  });

  // Before the move: standalone's own sweep may send the reminder the moment the move commits.
  const beforeMove = mark();
  await step("the operator moves the subscription close to expiry", async () => {
    const before = await subscriptionOf(channel.id);
    const left = Date.parse(before.expiresAt) - Date.now();
    if (before.status !== "active" || left < 29.9 * DAY_MS || left > 30 * DAY_MS) {
      throw new Error(`before the move the subscription is ${before.status} until ${before.expiresAt}`);
    }
    // One day ahead of now, to the second (rounded down): the 1-day reminder is due already when
    // the move commits, so the sweep finds it at once — no waiting on the clock.
    const until = new Date(Date.now() + DAY_MS);
    until.setMilliseconds(0);
    await moveExpiry(channel.id, until);
    return {
      line: `operator ran telepay subscription extend --until ${until.toISOString()} --allow-earlier: Sam's subscription (was until ${before.expiresAt}) now ends in ~1 day`,
      value: undefined,
    };
  });

  await step("the sweep sends a reminder", async () => {
    const since = beforeMove;
    const swept = await sweep();
    const reminder = await botMessage(
      SUBSCRIBER.id,
      since,
      "expiry reminder",
      withText(phrases.reminderOneDay),
    );
    findButton(reminder, phrases.renew);
    return {
      line: `${SUBSCRIBER.first_name} got the reminder "${oneLine(reminder.plainText, 80)}" [Renew], sent ${describeSweep("reminded", swept, systemSweeps)}`,
      value: undefined,
    };
  });

  const renewUrl = await step("the subscriber is removed on expiry", async () => {
    const since = mark();
    // Where nothing else sweeps, nothing acts between the move and this step's sweep: the expiry
    // may already be past (extend --allow-earlier accepts that, as an operator's correction), and
    // there is nothing to wait for. Standalone's own sweep, though, would remove Sam the moment
    // such a move commits, before the notifier has told him of it: the CLI would then report its
    // event skipped. So there the expiry stays ahead for twice the last move's measured run
    // (start-up to the notifier's outcome), and is waited out after this move's run.
    const aheadMs = systemSweeps ? Math.min(30_000, Math.max(2_000, 2 * lastMoveMs)) : 0;
    const until = new Date(Date.now() + aheadMs);
    until.setMilliseconds(0);
    await moveExpiry(channel.id, until);
    await sleepUntil(until.getTime() + 100);
    const swept = await sweep();
    const removedBy = (c: RecordedCall) =>
      !since.has(c) && Number(c.params.chat_id) === CLOSED.id && Number(c.params.user_id) === SUBSCRIBER.id;
    await call("banChatMember", "Sam was not banned", removedBy);
    await call(
      "unbanChatMember",
      "Sam was not unbanned only_if_banned",
      (c) => removedBy(c) && c.params.only_if_banned === true,
    );
    const status = tg.getMember(CLOSED.id, SUBSCRIBER.id).status;
    if (status !== "left") throw new Error(`after the removal Sam's status in ${CLOSED.title} is ${status}`);
    const ended = await botMessage(
      SUBSCRIBER.id,
      since,
      "'subscription ended' DM",
      withText(phrases.accessExpired),
    );
    const sub = await subscriptionOf(channel.id);
    if (sub.status !== "expired")
      throw new Error(`telepay subscription list shows ${sub.status}, expected expired`);
    return {
      line: `operator moved the expiry to ${until.toISOString()}; after it passed, banChatMember + unbanChatMember(only_if_banned) removed ${SUBSCRIBER.first_name} (now '${status}') ${describeSweep("removed", swept, systemSweeps)}; ${SUBSCRIBER.first_name} was told "${oneLine(ended.plainText, 60)}"; the CLI shows the subscription expired`,
      value: findButton(ended, phrases.renew).url!,
    };
  });

  const renewal = await step("the subscriber renews and gets access again", async () => {
    const payload = startPayload(renewUrl);
    const offer = await say(SUBSCRIBER.id, `/start ${payload}`, /Monthly/);
    const { invoice } = await invoiceFor(SUBSCRIBER.id, offer, "Monthly");
    if (invoice.id === first.id) throw new Error("the renewal reused the first, paid invoice");
    const since = mark();
    const paid = await pay(invoice.id);
    const { link } = await inviteDm(since);
    if (link === firstInvite) throw new Error("the renewal re-sent the first, used invite link");
    await join(link);
    const sub = await subscriptionOf(channel.id);
    const left = Date.parse(sub.expiresAt) - Date.now();
    if (sub.status !== "active" || left < 29.9 * DAY_MS || left > 30 * DAY_MS) {
      throw new Error(`after renewing the subscription is ${sub.status} until ${sub.expiresAt}`);
    }
    return {
      line: `${SUBSCRIBER.first_name} renewed from the Renew button (/start ${payload}): invoice ${invoice.id}, IPNs ${paid}, a new invite, join request approved — member again, active until ${sub.expiresAt}`,
      value: invoice,
    };
  });

  await step("a refund takes access back", async () => {
    const since = mark();
    const answers = await ipns(renewal.id, ["refunded"]);
    const removedBy = (c: RecordedCall) =>
      !since.has(c) && Number(c.params.chat_id) === CLOSED.id && Number(c.params.user_id) === SUBSCRIBER.id;
    await call("banChatMember", "Sam was not banned after the refund", removedBy);
    await call(
      "unbanChatMember",
      "Sam was not unbanned only_if_banned after the refund",
      (c) => removedBy(c) && c.params.only_if_banned === true,
    );
    const status = tg.getMember(CLOSED.id, SUBSCRIBER.id).status;
    if (status !== "left") throw new Error(`after the refund Sam's status in ${CLOSED.title} is ${status}`);
    const told = await botMessage(SUBSCRIBER.id, since, "refund DM", withText(/was refunded/));
    const owner = await botMessage(OWNER.id, since, "owner refund notice", withText(/Refund — Alpha VIP/));
    const sub = await subscriptionOf(channel.id);
    if (sub.status !== "expired")
      throw new Error(`after the refund telepay subscription list shows ${sub.status}, expected expired`);
    const audit = await telepay<Array<{ action: string; details: { withdrawnMs?: number } }>>([
      "audit",
      "list",
      "--channel",
      String(channel.id),
    ]);
    const reversed = audit.find((a) => a.action === "order.reversed");
    if (!reversed) throw new Error("telepay audit list shows no order.reversed entry");
    const days = ((reversed.details.withdrawnMs ?? 0) / DAY_MS).toFixed(2);
    return {
      line: `NOWPayments sent a signed 'refunded' IPN for invoice ${renewal.id} (answered ${answers.join(", ")}): the reversal withdrew the renewal's ${days} unused days, leaving none, so banChatMember + unbanChatMember(only_if_banned) removed ${SUBSCRIBER.first_name} (now '${status}'); ${SUBSCRIBER.first_name} was told "${oneLine(told.plainText, 70)}"; owner ${OWNER.first_name} got "${oneLine(owner.plainText, 60)}"; the CLI shows the subscription expired and audits order.reversed`,
      value: undefined,
    };
  });

  // ---- Telegram Stars: buy, renew, stop the renewal, refund (docs/stars.md) ------------------

  const lastOwnerMessage = Math.max(0, ...tg.messages(OWNER.id).map((m) => m.message_id));
  const stars = await step("a subscriber buys with Telegram Stars", async () => {
    if (!posts.starsMonthly) throw new Error("the tier post has no ⭐ button for Monthly");
    const payload = startPayload(posts.starsMonthly);
    const screen = await say(SUBSCRIBER.id, `/start ${payload}`, phrases.starsRenews);
    const link = findButton(screen, phrases.starsPay).url!;
    const invoice = tg.starsInvoices().find((i) => i.link === link);
    const tier = TIERS[0]!;
    if (!invoice) throw new Error(`the Stars Pay button opens ${link}, which is no invoice the bot created`);
    if (
      invoice.currency !== "XTR" ||
      invoice.amount !== tier.stars ||
      invoice.subscriptionPeriod !== 30 * 86_400
    ) {
      throw new Error(
        `the Stars invoice is ${invoice.amount} ${invoice.currency} every ${invoice.subscriptionPeriod} s, expected ${tier.stars} XTR every 30 days`,
      );
    }
    const since = mark();
    const query = tg.preCheckout({ from: SUBSCRIBER.id, invoice: link }) as unknown as {
      pre_checkout_query: { id: string };
    };
    const queryId = query.pre_checkout_query.id;
    await call(
      "answerPreCheckoutQuery",
      "the bot did not answer the pre-checkout query",
      (c) => !since.has(c) && c.params.pre_checkout_query_id === queryId,
    );
    const answer = tg.preCheckoutAnswer(queryId);
    if (!answer?.ok) throw new Error(`the pre-checkout was refused: ${answer?.errorMessage ?? "no answer"}`);
    const { chargeId } = tg.payStars({ from: SUBSCRIBER.id, invoice: link });
    const { link: invite } = await inviteDm(since);
    await join(invite);
    const sub = await subscriptionOf(channel.id);
    const left = Date.parse(sub.expiresAt) - Date.now();
    if (sub.status !== "active" || left < 29.9 * DAY_MS || left > 30 * DAY_MS) {
      throw new Error(`after paying in Stars the subscription is ${sub.status} until ${sub.expiresAt}`);
    }
    return {
      line: `${SUBSCRIBER.first_name} tapped [${findButton(screen, phrases.starsPay).text}] (/start ${payload}): an auto-renewing invoice for ${invoice.amount} XTR every 30 days; the bot approved the pre-checkout, Telegram charged ${chargeId}, the invite DM came and ${SUBSCRIBER.first_name} joined — active until ${sub.expiresAt}`,
      value: { chargeId, expiresAt: sub.expiresAt },
    };
  });

  const renewalCharge = await step("the Stars subscription renews by itself", async () => {
    const since = mark();
    const renewal = tg.renewStars({ chargeId: stars.chargeId });
    const dm = await botMessage(SUBSCRIBER.id, since, "renewal DM", withText(phrases.accessRenewed));
    const sub = await subscriptionOf(channel.id);
    const added = Date.parse(sub.expiresAt) - Date.parse(stars.expiresAt);
    if (Math.abs(added - 30 * DAY_MS) > 2_000) {
      throw new Error(`the renewal moved the expiry from ${stars.expiresAt} to ${sub.expiresAt}`);
    }
    return {
      line: `30 days on, Telegram charged the subscription again (${renewal.chargeId}, is_recurring): the expiry moved 30 days to ${sub.expiresAt}; ${SUBSCRIBER.first_name} was told "${oneLine(dm.plainText, 70)}"`,
      value: renewal.chargeId,
    };
  });

  await step("the subscriber stops the Stars renewal", async () => {
    const since = mark();
    tg.sendUserMessage({ from: SUBSCRIBER.id, text: "/subscriptions" });
    const list = await botMessage(SUBSCRIBER.id, since, "/subscriptions with a stop-renewal button", (m) =>
      buttonsOf(m).some((b) => phrases.starsStop.test(b.text)),
    );
    // Read before pressing: the bot redraws this same message.
    const stopButton = findButton(list, phrases.starsStop).text;
    const off = await press(
      SUBSCRIBER.id,
      list,
      phrases.starsStop,
      withText(phrases.starsRenewalOff),
      "/subscriptions showing the renewal off",
    );
    const edit = tg.calls.find(
      (c) =>
        c.method === "editUserStarSubscription" &&
        !since.has(c) &&
        c.params.telegram_payment_charge_id === stars.chargeId &&
        c.params.is_canceled === true,
    );
    if (!edit || tg.starSubscription(stars.chargeId)?.canceled !== true) {
      throw new Error("the bot did not cancel the renewal at Telegram (editUserStarSubscription)");
    }
    return {
      line: `${SUBSCRIBER.first_name} pressed [${stopButton}] in /subscriptions: the bot called editUserStarSubscription(is_canceled) and shows "${oneLine(
        (off.plainText ?? "").split("\n").find((l) => phrases.starsRenewalOff.test(l)),
        80,
      )}"`,
      value: undefined,
    };
  });

  await step("the owner refunds the Stars payments with the Refund button", async () => {
    // The owner's notices of both Stars charges, each with its Refund button.
    const starsNotices = () =>
      tg
        .messages(OWNER.id)
        .filter(
          (m) =>
            m.message_id > lastOwnerMessage &&
            m.from_id === tg.botId &&
            phrases.starsAmount(TIERS[0]!.stars).test(m.plainText ?? "") &&
            buttonsOf(m).some((b) => phrases.refundButton.test(b.text)),
        );
    while (starsNotices().length < 2) {
      if (remaining() <= 1)
        throw new Error(`the owner got ${starsNotices().length} Stars payment notices, not 2`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [firstNotice, renewalNotice] = starsNotices();
    const refund = async (notice: StoredMessage, chargeId: string, told: RegExp) => {
      const since = mark();
      const confirm = await press(
        OWNER.id,
        notice,
        phrases.refundButton,
        (m) => buttonsOf(m).some((b) => phrases.refundConfirmStars.test(b.text)),
        "the refund's confirm step",
      );
      const done = await press(
        OWNER.id,
        confirm,
        phrases.refundConfirmStars,
        withText(phrases.refundDoneStars),
        "the refund's result",
      );
      const refunded = tg.calls.filter(
        (c) =>
          c.method === "refundStarPayment" &&
          !since.has(c) &&
          c.params.telegram_payment_charge_id === chargeId,
      );
      if (refunded.length !== 1)
        throw new Error(`refundStarPayment(${chargeId}) was called ${refunded.length} times`);
      const dm = await botMessage(SUBSCRIBER.id, since, "refund DM", withText(told));
      return { confirm, done, dm, since };
    };
    // The renewal first: its 30 days come off, the first charge's stay.
    const refundButton = findButton(renewalNotice!, phrases.refundButton).text;
    const r1 = await refund(renewalNotice!, renewalCharge, phrases.reversalShortened);
    const shortened = await subscriptionOf(channel.id);
    // Then the first charge: no paid time is left, so the subscriber is removed.
    const r2 = await refund(firstNotice!, stars.chargeId, phrases.reversalRemoved);
    const removedBy = (c: RecordedCall) =>
      !r2.since.has(c) &&
      Number(c.params.chat_id) === CLOSED.id &&
      Number(c.params.user_id) === SUBSCRIBER.id;
    await call("banChatMember", "Sam was not banned after the Stars refunds", removedBy);
    await call(
      "unbanChatMember",
      "Sam was not unbanned only_if_banned after the Stars refunds",
      (c) => removedBy(c) && c.params.only_if_banned === true,
    );
    const sub = await subscriptionOf(channel.id);
    if (sub.status !== "expired")
      throw new Error(
        `after the Stars refunds telepay subscription list shows ${sub.status}, expected expired`,
      );
    return {
      line: `owner ${OWNER.first_name} pressed [${refundButton}] on the renewal's payment notice, read "${oneLine(r1.confirm.plainText, 60)}", confirmed: refundStarPayment(${renewalCharge}) once, "${oneLine(r1.done.plainText, 50)}"; ${SUBSCRIBER.first_name}'s access now ends ${shortened.expiresAt}. The same on the first charge: refundStarPayment(${stars.chargeId}), no paid time left, so banChatMember + unbanChatMember(only_if_banned) removed ${SUBSCRIBER.first_name}, told "${oneLine(r2.dm.plainText, 60)}"; the CLI shows the subscription expired`,
      value: undefined,
    };
  });
  // Issue 15: a free trial and a promo-code purchase, set up by the owner in the bot.
  await runOwnerToolsStory({ step, conversation, tg, np, telepay, ipns, channelId: channel.id, locale });

  return { steps, totalMs: Date.now() - started };
}
