import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Logger } from "@telepay/config";
import { ApiError, createErrorHandler, errorResponse, limitBody, securityHeaders } from "@telepay/security";
import type { BotApiEmulator } from "@telepay/testing";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { type Checkout, CheckoutError } from "./checkout.ts";
import { checkoutPage, messagePage, sandboxPage } from "./page.ts";
import { buttonAction, CHANNELS, keyboardOf, PEOPLE, ROLES, sandboxState } from "./view.ts";

export interface SandboxServerDeps {
  tg: BotApiEmulator;
  checkout: Checkout;
  /** The port the page is served on; only 127.0.0.1:<port> and localhost:<port> are answered. */
  port: number;
  /** The key in the printed URL; it becomes an HttpOnly, SameSite=Strict cookie on first visit. */
  key: string;
  logger: Logger;
  /** How long a tap waits for the bot's answerCallbackQuery (its toast). Default 5 s. */
  callbackAnswerMs?: number;
}

const COOKIE = "telepay_sandbox";
const MAX_BODY_BYTES = 16 * 1024;
const ASSETS = {
  "sandbox.js": { type: "text/javascript; charset=utf-8", body: readAsset("sandbox.js") },
  "sandbox.css": { type: "text/css; charset=utf-8", body: readAsset("sandbox.css") },
} as const;

function readAsset(name: string): string {
  return readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");
}

function sameSecret(given: string | undefined, key: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

const role = z.enum(ROLES as [string, ...string[]]);
const sayBody = z.strictObject({
  as: role,
  text: z
    .string()
    .max(4096, "at most 4096 characters")
    .refine((t) => t.trim() !== "", "must not be empty"),
});
const tapBody = z.strictObject({
  as: role,
  chatId: z.number().int(),
  messageId: z.number().int().positive(),
  row: z.number().int().min(0).max(100),
  col: z.number().int().min(0).max(100),
});

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  if (!c.req.header("content-type")?.startsWith("application/json")) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "send application/json");
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError("BAD_REQUEST", "the body is not JSON");
  }
  return schema.parse(raw);
}

/**
 * The sandbox's web page and its small API, for one person on this machine: every request must
 * name this machine's address as Host (no DNS rebinding), carry the key (from the printed URL, then
 * as a SameSite=Strict cookie), and every POST must come from this page's own origin (no CSRF).
 * People act only as the two people of the story, only in their own chat or the story's channels.
 */
export function createSandboxServer(deps: SandboxServerDeps): Hono {
  const { tg, checkout, port, key } = deps;
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const app = new Hono();
  app.onError(createErrorHandler({ logger: deps.logger }));

  app.use("*", async function onlyThisMachine(c, next) {
    if (!hosts.has(c.req.header("host") ?? "")) {
      return errorResponse(c, "FORBIDDEN", `this sandbox answers only as http://127.0.0.1:${port}`);
    }
    await next();
  });
  app.use(
    "*",
    securityHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      // "no-referrer" would make Chromium send `Origin: null` with the checkout's form POST, which
      // the origin check refuses; same-origin keeps the referrer off every link out.
      referrerPolicy: "same-origin",
      strictTransportSecurity: false,
    }),
  );

  app.get("/assets/:name", (c) => {
    const asset = ASSETS[c.req.param("name") as keyof typeof ASSETS];
    if (!asset) return errorResponse(c, "NOT_FOUND", "no such asset");
    return c.body(asset.body, 200, { "content-type": asset.type });
  });

  const authenticated: MiddlewareHandler = async (c, next) => {
    const fromUrl = c.req.query("key");
    if (c.req.method === "GET" && c.req.path === "/" && fromUrl !== undefined) {
      if (!sameSecret(fromUrl, key)) {
        return c.html(messagePage("Wrong key", "Open the URL that pnpm sandbox printed."), 401);
      }
      setCookie(c, COOKIE, key, { httpOnly: true, sameSite: "Strict", path: "/" });
      // Keep the key out of the address bar (and out of screenshots and history).
      return c.redirect("/", 303);
    }
    if (!sameSecret(getCookie(c, COOKIE), key)) {
      if (c.req.path.startsWith("/api/"))
        return errorResponse(c, "UNAUTHORIZED", "open the URL pnpm sandbox printed");
      return c.html(messagePage("TelePay sandbox", "Open the URL that pnpm sandbox printed."), 401);
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      if (!origin || !hosts.has(origin.replace(/^http:\/\//, ""))) {
        return errorResponse(c, "FORBIDDEN", "requests must come from the sandbox page");
      }
    }
    await next();
  };
  app.use("/", authenticated);
  app.use("/api/*", authenticated);
  app.use("/payment", authenticated);
  app.use("/payment/*", authenticated);
  app.use("/api/*", limitBody({ maxBytes: MAX_BODY_BYTES }));
  app.use("/payment/*", limitBody({ maxBytes: MAX_BODY_BYTES }));

  app.get("/", (c) => c.html(sandboxPage(tg.botUsername)));

  app.get("/api/state", (c) => c.json(sandboxState(tg)));

  app.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      let wake: (() => void) | undefined;
      const stop = tg.onChange(() => wake?.());
      stream.onAbort(() => {
        stop();
        wake?.();
      });
      try {
        let sent = -1;
        while (!stream.aborted && !stream.closed) {
          if (tg.revision !== sent) {
            sent = tg.revision;
            await stream.writeSSE({ event: "revision", data: String(sent) });
          }
          // Woken by a change, or every 20 s to keep the connection alive through idle proxies.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 20_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (tg.revision === sent && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        stop();
      }
    }),
  );

  app.post("/api/say", async (c) => {
    const body = await jsonBody(c, sayBody);
    tg.sendUserMessage({ from: PEOPLE[body.as as keyof typeof PEOPLE].id, text: body.text });
    return c.json({ ok: true });
  });

  app.post("/api/tap", async (c) => {
    const body = await jsonBody(c, tapBody);
    const person = PEOPLE[body.as as keyof typeof PEOPLE];
    const channel = Object.values(CHANNELS).find((ch) => ch.id === body.chatId);
    if (body.chatId !== person.id && !channel) {
      throw new ApiError("FORBIDDEN", `${person.first_name} cannot see chat ${body.chatId}`);
    }
    if (channel === CHANNELS.closed) {
      const status = tg.getMember(channel.id, person.id).status;
      if (!["creator", "administrator", "member"].includes(status)) {
        throw new ApiError("FORBIDDEN", `${person.first_name} is not in ${channel.title}`);
      }
    }
    const message = tg.messages(body.chatId).find((m) => m.message_id === body.messageId && !m.deleted);
    const button = message ? keyboardOf(message)[body.row]?.[body.col] : undefined;
    if (!message || !button) throw new ApiError("NOT_FOUND", "that button is not there any more");
    const action = buttonAction(button, tg);
    try {
      switch (action.kind) {
        case "callback": {
          const update = tg.pressButton({
            from: person.id,
            chatId: body.chatId,
            messageId: body.messageId,
            data: action.data,
          });
          const queryId = (update.callback_query as { id: string }).id;
          // The bot's answer is the small toast Telegram shows under the tap.
          const answer = await tg
            .waitForCall(
              "answerCallbackQuery",
              (call) => call.params.callback_query_id === queryId,
              deps.callbackAnswerMs ?? 5_000,
            )
            .catch(() => undefined);
          const toast = answer?.params.text;
          return c.json({ ok: true, ...(typeof toast === "string" && toast !== "" ? { toast } : {}) });
        }
        case "start":
          tg.sendUserMessage({ from: person.id, text: `/start ${action.payload}` });
          return c.json({ ok: true });
        case "join": {
          const link = tg.inviteLinks().find((l) => l.invite_link === action.inviteLink)!;
          tg.joinViaLink({ from: person.id, inviteLink: action.inviteLink });
          const title = Object.values(CHANNELS).find((ch) => ch.id === link.chat_id)?.title ?? "the channel";
          return c.json({
            ok: true,
            toast: link.creates_join_request ? `Asked to join ${title}` : `Joined ${title}`,
          });
        }
        case "open":
          return c.json({ ok: true, open: action.href });
        case "inert":
          throw new ApiError("BAD_REQUEST", "this kind of button does nothing in the sandbox");
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // The emulator refuses what Telegram refuses (a used link, already a member): say so.
      throw new ApiError("BAD_REQUEST", err instanceof Error ? err.message : String(err));
    }
  });

  const showInvoice = (
    c: Context,
    iid: string | undefined,
    notice?: string,
    status: 200 | 404 | 409 = 200,
  ) => {
    const view = iid && /^\d{1,20}$/.test(iid) ? checkout.view(iid) : undefined;
    if (!view) return c.html(messagePage("No such invoice", `There is no invoice ${iid ?? ""}.`), 404);
    return c.html(checkoutPage(view, notice), status);
  };
  app.get("/payment", (c) => showInvoice(c, c.req.query("iid")));
  app.get("/payment/", (c) => showInvoice(c, c.req.query("iid")));
  app.post("/payment/pay", async (c) => {
    const form = await c.req.parseBody();
    const iid = typeof form.iid === "string" ? form.iid : undefined;
    if (!iid || !/^\d{1,20}$/.test(iid)) return showInvoice(c, undefined);
    try {
      await checkout.pay(iid);
    } catch (err) {
      if (err instanceof CheckoutError) return showInvoice(c, iid, err.message, err.status);
      throw err;
    }
    return c.redirect(`/payment/?iid=${encodeURIComponent(iid)}`, 303);
  });

  return app;
}
