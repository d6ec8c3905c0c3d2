import { describe, expect, it } from "vitest";
import { BROADCAST_STOP_CALLBACK } from "../callback-data.ts";
import { LOCALES } from "../i18n.ts";
import { broadcastTexts } from "./broadcast.ts";
import { notifierMessages } from "./notifier.ts";

const EVIL = `<b>Evil</b> & "co" </i>`;

describe("broadcast texts", () => {
  it.each(LOCALES)("render every text in %s with nothing unfilled and the title escaped", (locale) => {
    const t = broadcastTexts(locale);
    const html = [
      t.pickChannel(),
      t.noChannels(),
      t.compose({ title: EVIL, maxText: 3800, maxCaption: 900 }),
      t.tooLong({ length: 4000, max: 3800 }),
      t.unsupported(),
      t.pickAudience({ title: EVIL }),
      ...([1, 2, 5, 21] as const).map((count) => t.confirm({ title: EVIL, audience: "all", count })),
      ...([1, 3, 5] as const).map((limit) => t.dailyLimit({ title: EVIL, limit })),
      t.noRecipients(),
      t.expired(),
      t.draftCancelled(),
      ...(["starting", "running", "done", "cancelled"] as const).map(
        (state) => t.progress({ channelTitle: EVIL, state, total: 10, sent: 6, blocked: 2, failed: 3 }).text,
      ),
    ];
    for (const text of html) {
      expect(text).not.toMatch(/[{}]/);
      expect(text).not.toContain("<b>Evil</b>");
    }
    expect(html.join("\n")).toContain("&lt;b&gt;Evil&lt;/b&gt; &amp;");
    const plain = [
      t.panelButton(),
      t.command(),
      ...(["active", "expired", "all"] as const).map((audience) => t.audienceButton({ audience, count: 4 })),
      t.sendButton(),
      t.changeAudienceButton(),
      t.rewriteButton(),
      t.cancelButton(),
      t.noDraftToast(),
      t.notYoursToast(),
      t.stoppedToast(),
      t.alreadyOverToast(),
    ];
    for (const text of plain) expect(text).toMatch(/^[^{}]+$/);
  });

  it("shows the Stop button only while the broadcast runs, and blocked apart from other failures", () => {
    const t = broadcastTexts("en");
    const base = { channelTitle: "News", total: 10, sent: 6, blocked: 2, failed: 3 };
    for (const state of ["starting", "running"] as const)
      expect(t.progress({ ...base, state }).options.reply_markup?.inline_keyboard).toEqual([
        [{ text: "✖️ Stop the broadcast", callback_data: BROADCAST_STOP_CALLBACK }],
      ]);
    for (const state of ["done", "cancelled"] as const)
      expect(t.progress({ ...base, state }).options.reply_markup).toBeUndefined();
    const running = t.progress({ ...base, state: "running" }).text;
    expect(running).toContain("Delivered: 6 of 10");
    expect(running).toContain("Blocked the bot or left Telegram: 2");
    expect(running).toContain("Failed: 1");
  });

  it("a longest caption (900) under the longest channel title (128) still fits Telegram's 1024-character caption", () => {
    const msg = notifierMessages("en").broadcast({ channelTitle: "T".repeat(128), text: "x".repeat(900) });
    // What Telegram counts: the text after the HTML is parsed.
    const plain = msg.text
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(plain.length).toBeLessThanOrEqual(1024);
    expect(plain).toContain("x".repeat(900));
    expect(plain).toContain("T".repeat(90));
  });
});
