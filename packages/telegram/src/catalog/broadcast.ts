/**
 * The owner's broadcast texts (catalogs: packages/telegram/locales, keys `bc-*`): the bot's
 * /broadcast flow and the progress message that the bot starts and the notifier keeps editing.
 * The owner's own text never appears here: subscribers' copy is notifierMessages().broadcast.
 */
import { BROADCAST_STOP_CALLBACK } from "../callback-data.ts";
import type { Locale } from "../i18n.ts";
import { message, type OutgoingMessage } from "./message.ts";
import { translator } from "./translator.ts";

/** Who a broadcast goes to (the core's BroadcastAudience). */
export type BroadcastAudienceName = "active" | "expired" | "all";

/** Where a broadcast stands, as the progress message shows it. */
export type BroadcastProgressState = "starting" | "running" | "done" | "cancelled";

/** The figures of a progress message (the core's tallyBroadcast). */
export interface BroadcastProgress {
  channelTitle: string;
  state: BroadcastProgressState;
  total: number;
  sent: number;
  /** Recipients who blocked the bot or are gone. */
  blocked: number;
  /** Every recipient not delivered, blocked ones included. */
  failed: number;
}

/** The broadcast texts bound to one locale. */
export function broadcastTexts(locale: Locale) {
  const m = translator(locale);
  const titleOr = (title: string) => title || m.plain("this-channel");
  const audienceName = (a: BroadcastAudienceName) => m.plain(`bc-audience-name-${a}`);
  return {
    locale,
    /**
     * The owner's progress message: one message, edited as delivery proceeds, with a Stop button
     * while it runs (its data is the same for every broadcast: the message itself is the handle).
     */
    progress(d: BroadcastProgress): OutgoingMessage {
      const running = d.state === "starting" || d.state === "running";
      const head = m.html(`bc-progress-${d.state}`, { title: titleOr(d.channelTitle) });
      const body =
        d.state === "starting"
          ? head
          : m.html("bc-progress", {
              head,
              sent: d.sent,
              total: d.total,
              blocked: d.blocked,
              failed: Math.max(0, d.failed - d.blocked),
            });
      return message(
        body,
        running ? [[{ text: m.plain("bc-stop-button"), callback_data: BROADCAST_STOP_CALLBACK }]] : undefined,
      );
    },
    panelButton: () => m.plain("bc-panel-button"),
    command: () => m.plain("bc-command"),
    pickChannel: () => m.html("bc-pick-channel").value,
    noChannels: () => m.html("bc-no-channels").value,
    compose: (d: { title: string; maxText: number; maxCaption: number }) =>
      m.html("bc-compose", { title: titleOr(d.title), max: d.maxText, maxCaption: d.maxCaption }).value,
    tooLong: (d: { length: number; max: number }) => m.html("bc-too-long", d).value,
    unsupported: () => m.html("bc-unsupported").value,
    pickAudience: (d: { title: string }) => m.html("bc-pick-audience", { title: titleOr(d.title) }).value,
    audienceButton: (d: { audience: BroadcastAudienceName; count: number }) =>
      m.plain(`bc-audience-${d.audience}`, { count: d.count }),
    /** Under the preview: who gets it and how many, with Send / Change / Cancel. */
    confirm: (d: { title: string; audience: BroadcastAudienceName; count: number }) =>
      m.html("bc-confirm", { title: titleOr(d.title), audience: audienceName(d.audience), count: d.count })
        .value,
    sendButton: () => m.plain("bc-send-button"),
    changeAudienceButton: () => m.plain("bc-change-audience-button"),
    rewriteButton: () => m.plain("bc-rewrite-button"),
    cancelButton: () => m.plain("bc-cancel-button"),
    dailyLimit: (d: { title: string; limit: number }) =>
      m.html("bc-daily-limit", { title: titleOr(d.title), limit: d.limit }).value,
    noRecipients: () => m.html("bc-no-recipients").value,
    noRecipientsToast: () => m.plain("bc-no-recipients"),
    expired: () => m.html("bc-expired").value,
    draftCancelled: () => m.html("bc-draft-cancelled").value,
    /** Toasts (plain text). */
    noDraftToast: () => m.plain("bc-no-draft-toast"),
    notYoursToast: () => m.plain("bc-not-yours-toast"),
    stoppedToast: () => m.plain("bc-stopped-toast"),
    alreadyOverToast: () => m.plain("bc-already-over-toast"),
  };
}
export type BroadcastTexts = ReturnType<typeof broadcastTexts>;
