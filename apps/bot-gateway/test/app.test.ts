import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { processedUpdates } from "@telepay/db";
import { createNowPaymentsClient } from "@telepay/payments";
import { postOversize } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import { type Harness, startHarness, uniqueId, WEBHOOK_SECRET } from "./harness.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("bot-gateway app: webhook, polling, health, config", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (body: string, secret?: string) =>
    h.app.app.request("/telegram/webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
      },
      body,
    });

  it("rejects a webhook call without the right secret token and handles nothing", async () => {
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Ivy" });
    const update = h.tg.sendUserMessage({ from: user, text: "/help" });
    expect((await post(JSON.stringify(update))).status).toBe(401);
    expect((await post(JSON.stringify(update), `${WEBHOOK_SECRET}x`)).status).toBe(401);
    expect((await post(JSON.stringify(update), "wrong")).status).toBe(401);
    expect(h.tg.messages(user).filter((m) => m.from_id === h.tg.botId)).toHaveLength(0);
    expect(
      await h.db.db.select().from(processedUpdates).where(eq(processedUpdates.updateId, update.update_id)),
    ).toHaveLength(0);
    // The genuine delivery is then handled.
    expect((await post(JSON.stringify(update), WEBHOOK_SECRET)).status).toBe(200);
    expect(h.last(user).plainText).toContain("How TelePay works");
  });

  it("answers 400 to a body that is not an update", async () => {
    expect((await post("not json", WEBHOOK_SECRET)).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 1 }), WEBHOOK_SECRET)).status).toBe(400);
  });

  it("reports health", async () => {
    const res = await h.app.app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "healthy",
      service: "bot-gateway",
      components: { database: "ok" },
    });
  });

  it("long polling mode receives updates with the needed allowed_updates and stops cleanly", async () => {
    const polling = await createApp({
      db: h.db,
      payments: createNowPaymentsClient({ apiKey: "np-test-key", baseUrl: h.np.apiBase }),
      logger: silent,
      config: {
        token: h.tg.token,
        apiRoot: h.tg.apiRoot,
        mode: "polling",
        publicBaseUrl: "https://pay.example.test",
      },
    });
    await polling.start();
    try {
      const user = uniqueId();
      h.tg.addUser({ id: user, first_name: "Jay" });
      h.tg.sendUserMessage({ from: user, text: "/start" });
      await h.tg.waitForCall("sendMessage", (c) => Number(c.params.chat_id) === user, 10_000);
      expect(h.last(user).plainText).toContain("Hi Jay!");
      const getUpdates = h.tg.callsOf("getUpdates");
      expect(getUpdates.at(-1)?.params.allowed_updates).toEqual(
        expect.arrayContaining([
          "message",
          "callback_query",
          "chat_join_request",
          "chat_member",
          "my_chat_member",
        ]),
      );
      const health = (await (await polling.app.request("/health")).json()) as {
        components: Record<string, string>;
      };
      expect(health.components.telegram).toBe("ok");
      // The menus are set in the background: English for any language, then one per locale.
      await h.tg.waitForCalls("setMyCommands", 5, 10_000);
      const menu = h.tg.commandMenu(uniqueId());
      expect(menu.map((c) => c.command)).toEqual(["start", "subscriptions", "language", "help", "cancel"]);
      expect(h.tg.commandMenu(uniqueId(), "ru")[0]).toEqual({ command: "start", description: "Начать" });
      expect(h.tg.commandMenu(uniqueId(), "pt-br")[0]).toEqual({ command: "start", description: "Começar" });
    } finally {
      await polling.stop();
    }
  });

  it("refuses bad configuration at creation", async () => {
    const payments = createNowPaymentsClient({ apiKey: "k", baseUrl: h.np.apiBase });
    await expect(
      createApp({
        db: h.db,
        payments,
        logger: silent,
        config: { token: h.tg.token, mode: "webhook", publicBaseUrl: "https://x.test" },
      }),
    ).rejects.toThrow(/webhookSecret is required/);
    await expect(
      createApp({
        db: h.db,
        payments,
        logger: silent,
        config: { token: "nope", mode: "polling", publicBaseUrl: "https://x.test" },
      }),
    ).rejects.toThrow(/token/);
  });

  it("answers errors in the one format: 404 for unknown paths, 401, and 413 before reading an oversize update", async () => {
    type ErrorBody = { error: { code: string; message: string; requestId: string } };
    const check = (status: number, body: string, header: unknown, want: [number, string]) => {
      expect(status).toBe(want[0]);
      const parsed = JSON.parse(body) as ErrorBody;
      expect(parsed.error).toEqual({ code: want[1], message: expect.any(String), requestId: header });
      expect(header).toMatch(/\S/);
    };
    const notFound = await h.app.app.request("/nope");
    check(notFound.status, await notFound.text(), notFound.headers.get("x-request-id"), [404, "NOT_FOUND"]);
    const unsigned = await post("{}", "wrong");
    check(unsigned.status, await unsigned.text(), unsigned.headers.get("x-request-id"), [
      401,
      "UNAUTHORIZED",
    ]);

    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: h.app.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
      for (const framing of ["content-length", "chunked"] as const) {
        // Even with the right secret token (a leaked one), no more than the limit is ever read.
        const res = await postOversize(url, {
          framing,
          headers: { "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        });
        check(res.status, res.body, res.headers["x-request-id"], [413, "PAYLOAD_TOO_LARGE"]);
        expect(res.finished, framing).toBe(false);
      }
    } finally {
      server.close();
    }
  });
});
