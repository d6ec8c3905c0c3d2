import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALLOWED_UPDATES } from "@telepay/bot-gateway";
import {
  type BotApiEmulator,
  type NowPaymentsEmulator,
  startBotApiEmulator,
  startNowPaymentsEmulator,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEntry, type ChildApp, freePort, startApp } from "../demo/processes.ts";

// `pnpm start` with TELEGRAM_MODE=webhook, as an operator runs it behind a tunnel: the process
// registers its webhook (secret and allowed updates) and handles what Telegram posts there, and
// only that. The Bot API emulator plays Telegram, posting each update as Telegram does.

const WEBHOOK_SECRET = "standalone_webhook-secret-42";
const USER = 6_200_001;

let tg: BotApiEmulator;
let np: NowPaymentsEmulator;
let app: ChildApp | undefined;
let dataDir: string;

beforeAll(async () => {
  tg = await startBotApiEmulator();
  np = await startNowPaymentsEmulator({ apiKey: "np-webhook-key", ipnSecret: "np-webhook-ipn-secret" });
  dataDir = await mkdtemp(join(tmpdir(), "telepay-webhook-"));
  const port = await freePort();
  app = startApp({
    name: "standalone",
    entry: appEntry("standalone"),
    port,
    env: {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOWPAYMENTS_API_KEY: "np-webhook-key",
      NOWPAYMENTS_IPN_SECRET: "np-webhook-ipn-secret",
      NOWPAYMENTS_API_BASE: np.apiBase,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    },
  });
  await app.waitHealthy(180_000);
}, 200_000);

afterAll(async () => {
  app?.kill();
  await tg?.stop();
  await np?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("standalone with TELEGRAM_MODE=webhook", () => {
  it("sets its webhook with the secret and the updates the bot needs, and never polls", async () => {
    const call = await tg.waitForCall("setWebhook", undefined, 60_000);
    expect(call.params.url).toBe(`${app!.url}/telegram/webhook`);
    expect(call.params.secret_token).toBe(WEBHOOK_SECRET);
    expect(call.params.allowed_updates).toEqual([...ALLOWED_UPDATES]);
    expect(tg.callsOf("getUpdates")).toEqual([]);
  });

  it("handles a correctly signed update: /start gets its reply", async () => {
    tg.addUser({ id: USER, first_name: "Wendy" });
    tg.sendUserMessage({ from: USER, text: "/start" });
    await tg.waitForCall("sendMessage", (c) => Number(c.params.chat_id) === USER, 30_000);
    const reply = tg.messages(USER).find((m) => m.from_id === tg.botId);
    expect(reply?.plainText).toContain("Hi Wendy!");
    // The bot replies before it answers Telegram's POST: the delivery is recorded a moment later.
    for (let i = 0; i < 100 && tg.webhookDeliveries.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(tg.webhookDeliveries.map((d) => d.status)).toEqual([200]);
  });

  it("answers a wrongly signed update with 401 in the standard format and handles nothing", async () => {
    const other = USER + 1;
    tg.addUser({ id: other, first_name: "Eve" });
    tg.addChat({ id: other, type: "private" });
    const update = {
      update_id: 987_654_321,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: other, type: "private", first_name: "Eve" },
        from: { id: other, is_bot: false, first_name: "Eve" },
        text: "/start",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    };
    for (const secret of [undefined, "wrong-secret", `${WEBHOOK_SECRET}x`]) {
      const res = await fetch(`${app!.url}/telegram/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(update),
      });
      expect(res.status, String(secret)).toBe(401);
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("UNAUTHORIZED");
      expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.messages(other)).toEqual([]);
  });

  it("stops cleanly on SIGTERM", async () => {
    await app!.stop();
  });
});
