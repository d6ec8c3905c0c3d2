import { startBotApiEmulator } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { escapeHtml, renderTelegramText } from "../sandbox/render.ts";
import { buttonAction } from "../sandbox/view.ts";

describe("renderTelegramText: a message as safe HTML", () => {
  it("keeps Telegram's formatting as a fixed set of plain elements", () => {
    expect(
      renderTelegramText(
        '✅ <b>Paid</b> <i>now</i> <code>x</code> <span class="tg-spoiler">s</span> <tg-emoji emoji-id="1">👍</tg-emoji>',
        "HTML",
      ),
    ).toBe('✅ <b>Paid</b> <i>now</i> <code>x</code> <span class="spoiler">s</span> 👍');
    expect(renderTelegramText('<a href="https://t.me/x?start=a&amp;b=1">go</a>', "HTML")).toBe(
      '<a href="https://t.me/x?start=a&#38;b=1" target="_blank" rel="noopener noreferrer">go</a>',
    );
  });

  it("never lets a text add an element, an attribute or a script", () => {
    const hostile = [
      ["&lt;img src=x onerror=alert(1)&gt;", "HTML"],
      ["<b onclick='alert(1)'>x</b>", "HTML"],
      ['<a href="javascript:alert(1)">x</a>', "HTML"],
      ['<a href="https://e.example/&quot; onmouseover=&quot;alert(1)">x</a>', "HTML"],
      ['<pre><code class="language-&quot;&gt;&lt;script&gt;">y</code></pre>', "HTML"],
      ["<script>alert(1)</script>", undefined],
      ["<b>unbalanced", "HTML"],
    ] as const;
    // The only markup that may come out; whatever is left after removing it must hold no tag at all.
    const allowed =
      /<\/?(b|i|u|s|code|pre|blockquote)>|<span class="(spoiler|link)">|<\/span>|<a href="https?:\/\/[^"<>]*" target="_blank" rel="noopener noreferrer">|<\/a>/g;
    for (const [text, mode] of hostile) {
      const html = renderTelegramText(text, mode);
      expect(html.replace(allowed, "")).not.toMatch(/[<>"]/);
    }
    expect(renderTelegramText('<a href="javascript:alert(1)">x</a>', "HTML")).toBe(
      '<span class="link">x</span>',
    );
    expect(renderTelegramText("&lt;img src=x&gt;", "HTML")).toBe("&#60;img src=x&#62;");
    expect(renderTelegramText("<b>x</b>", undefined)).toBe("&#60;b&#62;x&#60;/b&#62;");
  });

  it("escapes the five characters that matter in HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});

describe("buttonAction: what tapping a button means", () => {
  it("tells callbacks, deep links to this bot, invite links and web links apart", async () => {
    const tg = await startBotApiEmulator({ botUsername: "telepay_sandbox_bot" });
    try {
      tg.addChat({ id: -1001, type: "channel", title: "VIP" });
      const res = await fetch(`${tg.apiRoot}/bot${tg.token}/createChatInviteLink`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: -1001, creates_join_request: true }),
      });
      const link = ((await res.json()) as { result: { invite_link: string } }).result.invite_link;
      expect(buttonAction({ text: "a", callback_data: "buy:1" }, tg)).toEqual({
        kind: "callback",
        data: "buy:1",
      });
      expect(buttonAction({ text: "a", url: "https://t.me/Telepay_Sandbox_Bot?start=t1_2" }, tg)).toEqual({
        kind: "start",
        payload: "t1_2",
      });
      expect(buttonAction({ text: "a", url: link }, tg)).toEqual({ kind: "join", inviteLink: link });
      expect(buttonAction({ text: "a", url: "http://127.0.0.1:8090/payment/?iid=4" }, tg)).toEqual({
        kind: "open",
        href: "http://127.0.0.1:8090/payment/?iid=4",
      });
      // Another bot's deep link is just a web link; bad payloads and other schemes do nothing.
      expect(buttonAction({ text: "a", url: "https://t.me/other_bot?start=x" }, tg).kind).toBe("open");
      expect(buttonAction({ text: "a", url: "https://t.me/telepay_sandbox_bot?start=a%20b" }, tg).kind).toBe(
        "inert",
      );
      expect(buttonAction({ text: "a", url: "tg://resolve?domain=x" }, tg).kind).toBe("inert");
      expect(buttonAction({ text: "a", url: "javascript:alert(1)" }, tg).kind).toBe("inert");
      expect(buttonAction({ text: "a" }, tg).kind).toBe("inert");
    } finally {
      await tg.stop();
    }
  });
});
