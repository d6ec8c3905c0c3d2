import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedPaths, readLock } from "@telepay/db";
import {
  type BotApiEmulator,
  freePort,
  type NowPaymentsEmulator,
  sourceNodeFlags,
  startBotApiEmulator,
  startNowPaymentsEmulator,
} from "@telepay/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunResult, runTelepay } from "./helpers.ts";

// `pnpm start` for real (apps/standalone/src/main.ts in its own process, embedded PGlite in a temp
// DATA_DIR, long polling against the Bot API emulator, invoices and IPNs from the NOWPayments
// emulator) and the operator's CLI beside it: the CLI registers and publishes the channel, a
// subscriber buys a tier through the bot, and the CLI keeps querying the same database the whole
// time. Nothing is mocked that TelePay owns.

const STANDALONE = fileURLToPath(new URL("../../standalone/src/main.ts", import.meta.url));
const OWNER = 700_001;
const SUBSCRIBER = 700_002;
const OPEN = -1_002_700_000_001;
const CLOSED = -1_002_700_000_002;

let dataDir: string;
let tg: BotApiEmulator;
let np: NowPaymentsEmulator;
let child: ChildProcess | undefined;
let output = "";
let port: number;

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (child?.exitCode !== null && child?.exitCode !== undefined) {
      throw new Error(`standalone exited ${child.exitCode} while waiting for ${what}:\n${output}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cli = (...args: string[]) => runTelepay(args, { DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "telepay-e2e-"));
  tg = await startBotApiEmulator();
  np = await startNowPaymentsEmulator({ apiKey: "np-e2e-key", ipnSecret: "np-e2e-ipn-secret" });
  tg.addUser({ id: OWNER, first_name: "Olga" });
  tg.addUser({ id: SUBSCRIBER, first_name: "Sam" });
  tg.addChat({ id: OPEN, type: "channel", title: "Signals (public)" });
  tg.addChat({ id: CLOSED, type: "channel", title: "Signals" });
  tg.setChatMember(OPEN, OWNER, "creator");
  tg.setChatMember(CLOSED, OWNER, "creator");

  port = await freePort();
  child = spawn(process.execPath, [...sourceNodeFlags("start"), STANDALONE], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: "warn",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      NOWPAYMENTS_API_KEY: "np-e2e-key",
      NOWPAYMENTS_IPN_SECRET: "np-e2e-ipn-secret",
      NOWPAYMENTS_API_BASE: np.apiBase,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  await until(
    "standalone /health",
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    120_000,
  );
}, 150_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await tg?.stop();
  await np?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("standalone + CLI, concurrently", () => {
  it("CLI-created channel → subscriber pays → access granted, while the CLI keeps working", async () => {
    // The CLI talks to the running process's database through its socket.
    expect(await readLock(embeddedPaths(dataDir).lockFile)).toMatchObject({ mode: "serve" });
    const add = await cli(
      "channel",
      "add",
      "--owner",
      String(OWNER),
      "--open",
      String(OPEN),
      "--closed",
      String(CLOSED),
      "--tier",
      "9.99:30:Monthly",
      "--wallet",
      "TQ9xWalletAddress0000000000000003fAb",
      "--currency",
      "usdttrc20",
      "--json",
    );
    expect(add.stderr).toBe("");
    const channel = JSON.parse(add.stdout) as { id: number; tiers: { id: number }[] };

    // Operator traffic all along the purchase: every command must succeed and never block the app.
    const background: RunResult[] = [];
    let purchaseDone = false;
    const operator = (async () => {
      while (!purchaseDone) {
        background.push(await cli("subscription", "list", "--channel", String(channel.id), "--json"));
        background.push(await cli("channel", "show", String(channel.id), "--json"));
      }
    })();

    const publish = await cli("channel", "publish", String(channel.id), "--json");
    expect(publish.code).toBe(0);
    // The notifier posts the tier menu in the open channel.
    await tg.waitForCall("sendMessage", (c) => Number(c.params.chat_id) === OPEN, 60_000);

    const fromBot = () => tg.messages(SUBSCRIBER).filter((m) => m.from_id === tg.botId && !m.deleted);
    const buttonsOf = (m: { reply_markup: unknown }) =>
      (
        (m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] })
          ?.inline_keyboard ?? []
      ).flat();

    tg.sendUserMessage({ from: SUBSCRIBER, text: `/start c${channel.id}` });
    const menu = await until("tier menu", () =>
      fromBot().find((m) =>
        buttonsOf(m).some((b) => b.callback_data === `tier:${channel.id}:${channel.tiers[0]!.id}`),
      ),
    );
    tg.pressButton({
      from: SUBSCRIBER,
      messageId: menu.message_id,
      data: `tier:${channel.id}:${channel.tiers[0]!.id}`,
    });
    const payUrl = await until(
      "invoice",
      () =>
        fromBot()
          .flatMap((m) => buttonsOf(m))
          .find((b) => b.url && /^💳 Pay/.test(b.text))?.url,
    );
    const invoice = np.invoices.find((i) => i.invoice_url === payUrl)!;
    expect(String(invoice.price_amount)).toBe("9.99");

    const ipns = await np.payInvoice(invoice.id, ["waiting", "confirming", "finished"]);
    expect(ipns.map((r) => r.status)).toEqual([200, 200, 200]);

    // The notifier grants access: an invite link to the closed channel, sent to the subscriber.
    const invite = await tg.waitForCall(
      "createChatInviteLink",
      (c) => Number(c.params.chat_id) === CLOSED,
      60_000,
    );
    const link = (invite.response as { result: { invite_link: string } }).result.invite_link;
    await until("invite DM", () =>
      fromBot().find((m) => (m.text ?? "").includes(link) || buttonsOf(m).some((b) => b.url === link)),
    );

    purchaseDone = true;
    await operator;
    const failures = background.filter((r) => r.code !== 0 || r.stderr !== "");
    expect(failures).toEqual([]);
    expect(background.length).toBeGreaterThanOrEqual(2);

    const subs = JSON.parse(
      (await cli("subscription", "list", "--channel", String(channel.id), "--json")).stdout,
    );
    expect(subs).toEqual([expect.objectContaining({ userId: String(SUBSCRIBER), status: "active" })]);
    const days = (Date.parse(subs[0].expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // The CSV export sees the payment, amounts as decimal strings.
    const csv = await cli("payments", "export", "--channel", String(channel.id));
    const lines = csv.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",finished,9.99,");

    // The signed job routes: the CLI finds the process (PORT, DATA_DIR/signing-secret), signs each
    // request for its own route, and the process lets it in (127.0.0.1 is in ALLOWED_IPS).
    const jobEnv = { DATA_DIR: dataDir, PORT: String(port) };
    const sweep = await runTelepay(["sweep", "--json"], jobEnv);
    expect([sweep.code, sweep.stderr]).toEqual([0, ""]);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ status: "swept", result: { failed: 0 } });
    const relay = await runTelepay(["relay", "--json"], jobEnv);
    expect([relay.code, relay.stderr]).toEqual([0, ""]);
    expect(JSON.parse(relay.stdout)).toMatchObject({
      status: "relayed",
      result: { published: expect.any(Number) },
    });

    // pnpm start stops cleanly and lets go of DATA_DIR.
    child!.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) =>
      child!.exitCode !== null ? resolve(child!.exitCode) : child!.on("exit", resolve),
    );
    expect(code).toBe(0);
    expect(await readLock(embeddedPaths(dataDir).lockFile)).toBeUndefined();
  }, 240_000);
});
