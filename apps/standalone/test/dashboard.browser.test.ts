import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { enqueue, TOPICS } from "@telepay/events";
import { signInitData } from "@telepay/security";
import { dashboardTexts } from "@telepay/telegram";

const DASHBOARD_TEXTS = dashboardTexts("en");

import {
  type BotApiEmulator,
  createTestDatabase,
  type DashboardSeed,
  type NowPaymentsEmulator,
  seedDashboard,
  startBotApiEmulator,
  startNowPaymentsEmulator,
  type TestDatabase,
} from "@telepay/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStandalone, type Standalone } from "../src/compose.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const README_SHOT = fileURLToPath(new URL("../../../docs/dashboard.png", import.meta.url));
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const SEEN = { timeout: 30_000 };
// Telegram's own theme parameters (desktop light and dark).
const LIGHT = {
  bg_color: "#ffffff",
  text_color: "#000000",
  hint_color: "#999999",
  link_color: "#2481cc",
  button_color: "#40a7e3",
  button_text_color: "#ffffff",
  secondary_bg_color: "#f1f1f1",
};
const DARK = {
  bg_color: "#17212b",
  text_color: "#f5f5f5",
  hint_color: "#708499",
  link_color: "#6ab3f3",
  button_color: "#5288c1",
  button_text_color: "#ffffff",
  secondary_bg_color: "#232e3c",
};

describe.skipIf(!available)("owner dashboard in a real browser (standalone, emulated Telegram)", () => {
  let database: TestDatabase;
  let tg: BotApiEmulator;
  let np: NowPaymentsEmulator;
  let standalone: Standalone;
  let server: ReturnType<typeof serve>;
  let base: string;
  let seed: DashboardSeed;
  let browser: Browser;
  const openChat = -1009000000001;
  const closedChat = -1009000000002;

  beforeAll(async () => {
    database = await createTestDatabase(process.env.TEST_DATABASE_URL);
    tg = await startBotApiEmulator();
    np = await startNowPaymentsEmulator({ apiKey: "k", ipnSecret: "s" });
    seed = await seedDashboard(database, { ownerId: 4242n, otherOwnerId: 4343n, chatBase: -1009000000000n });
    tg.addUser({ id: 4242, first_name: "Olivia" });
    tg.addUser({ id: 4343, first_name: "Mallory" });
    tg.addChat({ id: openChat, type: "channel", title: "Alpha News" });
    tg.addChat({ id: closedChat, type: "channel", title: "Alpha VIP" });
    tg.setChatMember(openChat, 4242, "creator");
    tg.setChatMember(closedChat, 4242, "creator");
    standalone = await createStandalone({
      database,
      config: {
        telegram: { token: tg.token, apiRoot: tg.apiRoot },
        nowPayments: { apiKey: "k", ipnSecret: "s", apiBase: np.apiBase, allowedIps: [] },
        publicBaseUrl: "http://127.0.0.1:9",
        signingSecret: "dashboard-browser-signing-secret-0123",
        allowedIps: ["127.0.0.1/32"],
        rateLimit: { perMinute: 10_000, burst: 10_000 },
        trustedProxyHops: 0,
        sweepIntervalMs: 3_600_000,
      },
      logger: quiet,
      // The figures as of the seed's instant, so every total is known by hand.
      now: () => seed.now,
    });
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: standalone.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await standalone.start();
    // The tier post as it stands before the owner edits anything.
    await enqueue(database.db, TOPICS.channelPublishRequested, {
      channelId: seed.channelId,
      kinds: ["tiers"],
      requestedBy: "owner",
    });
    standalone.relay.kick();
    await until(() => /Monthly/.test(tierPost()?.plainText ?? ""), "the first tier post");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await standalone?.stop();
    server?.close();
    await np?.stop();
    await tg?.stop();
    await database?.close();
  });

  async function until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + SEEN.timeout;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tierPost = () =>
    tg
      .messages(openChat)
      .filter((m) => !m.deleted && /Alpha/.test(m.plainText ?? ""))
      .at(-1);

  /** The URL Telegram opens for a web_app button: launch parameters in the fragment. */
  function launchUrl(userId: number, theme: object, token = tg.token, lang = "en"): string {
    const initData = signInitData(
      {
        auth_date: String(Math.floor(seed.now.getTime() / 1000) - 10),
        query_id: "AAHdF6IQAAAAAN0XohDhrOrc",
        user: JSON.stringify({ id: userId, first_name: "Olivia", language_code: "en" }),
      },
      token,
    );
    const fragment = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: "8.0",
      tgWebAppPlatform: "android",
      tgWebAppThemeParams: JSON.stringify(theme),
    });
    return `${base}/dashboard?channel=${seed.channelId}&lang=${lang}#${fragment.toString()}`;
  }

  async function phone(): Promise<Page> {
    return browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
  }
  const attr = (page: Page, selector: string, name: string) =>
    page.locator(selector).first().getAttribute(name);

  it("shows the seeded figures and chart data, in Telegram's light and dark themes on a phone", async () => {
    const page = await phone();
    await page.goto(launchUrl(4242, LIGHT));
    await page.locator(`[data-loaded="${seed.channelId}"]`).waitFor(SEEN);
    expect(await page.locator("h1").textContent()).toBe("Alpha VIP");
    expect(await page.locator('[data-stat="active"] strong').textContent()).toBe("2");
    expect(await page.locator('[data-stat="mrr"] strong').textContent()).toBe("18.32 USD");

    // Monthly bars per rail+currency: USD and EUR are separate charts, never added.
    const usd = 'svg[data-chart="monthly"][data-series="crypto:USD"]';
    expect(await attr(page, `${usd} rect[data-period="2026-11"]`, "data-amount")).toBe("39.98");
    expect(await attr(page, `${usd} rect[data-period="2026-10"]`, "data-amount")).toBe("9.99");
    expect(await attr(page, `${usd} rect[data-period="2026-09"]`, "data-amount")).toBe("0");
    expect(await page.locator(`${usd} rect`).count()).toBe(12);
    expect(
      await attr(
        page,
        'svg[data-chart="monthly"][data-series="crypto:EUR"] rect[data-period="2026-11"]',
        "data-amount",
      ),
    ).toBe("7.50");
    const daily = 'svg[data-chart="daily"][data-series="crypto:USD"]';
    expect(await page.locator(`${daily} rect`).count()).toBe(30);
    expect(await attr(page, `${daily} rect[data-period="2026-11-29"]`, "data-amount")).toBe("24.99");
    expect(await attr(page, `${daily} rect[data-period="2026-11-30"]`, "data-amount")).toBe("14.99");
    // New vs churned, funnel, reviews.
    expect(await attr(page, 'svg[data-chart="subscribers"] rect[data-month="2026-11"].new', "data-new")).toBe(
      "2",
    );
    expect(
      await attr(page, 'svg[data-chart="subscribers"] rect[data-month="2026-11"].churned', "data-churned"),
    ).toBe("2");
    expect(await attr(page, '[data-step="opened"]', "data-count")).toBe("5");
    expect(await attr(page, '[data-step="invoices"]', "data-count")).toBe("5");
    expect(await attr(page, '[data-step="paid"]', "data-count")).toBe("2");
    expect(await page.locator("[data-payment]").count()).toBe(1);
    expect(
      await page.locator(`[data-payment="${seed.expected.reviewPaymentIds[0]}"]`).textContent(),
    ).toContain("underpaid");
    expect(await page.locator('[data-stat="trials-started"] strong').textContent()).toBe("2");
    expect(await page.locator('[data-stat="trials-converted"] strong').textContent()).toBe("1");
    expect(await page.locator("[data-promo]").count()).toBe(2);
    expect(await attr(page, '[data-promo="FIVEOFF"]', "data-active")).toBe("false");
    // Phone-sized: nothing wider than the screen; the theme's colours are applied.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(await page.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe(
      "rgb(255, 255, 255)",
    );
    await page.screenshot({ path: `${ARTIFACTS}dashboard-light.png`, fullPage: true });

    const dark = await phone();
    await dark.goto(launchUrl(4242, DARK));
    await dark.locator(`[data-loaded="${seed.channelId}"]`).waitFor(SEEN);
    expect(await dark.evaluate<string>("document.documentElement.dataset.theme")).toBe("dark");
    expect(await dark.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe(
      "rgb(23, 33, 43)",
    );
    await dark.screenshot({ path: `${ARTIFACTS}dashboard-dark.png`, fullPage: true });
    await copyFile(`${ARTIFACTS}dashboard-light.png`, README_SHOT);
    await page.close();
    await dark.close();
  });

  it("edits a plan and the tier post in the public channel changes", async () => {
    const page = await phone();
    await page.goto(launchUrl(4242, LIGHT));
    await page.locator(`[data-loaded="${seed.channelId}"]`).waitFor(SEEN);
    const before = tierPost()!;
    const first = page.locator(".tier-row").first();
    await first.locator('[name="label"]').fill("Monthly Plus");
    await first.locator('[name="price"]').fill("12.50");
    await page.getByRole("button", { name: DASHBOARD_TEXTS.saveTiers }).click();
    await page.locator('[data-role="tier-message"][data-saved="1"]').waitFor(SEEN);
    expect(await page.locator('[data-role="tier-message"]').textContent()).toBe(DASHBOARD_TEXTS.savedTiers);
    // The notifier edits the same post in place.
    await expect.poll(() => tierPost()?.plainText ?? "", SEEN).toContain("Monthly Plus: $12.50 for 30 days");
    expect(tierPost()!.message_id).toBe(before.message_id);
    expect(tierPost()!.plainText).toContain("Quarterly");
    await page.close();
  });

  it("refuses a forged initData and another owner's, showing why", async () => {
    const forged = await phone();
    await forged.goto(launchUrl(4242, LIGHT, "123456:not-the-bots-token"));
    await forged.locator('.error[data-error="401"]').waitFor(SEEN);
    expect(await forged.locator(".error").textContent()).toBe(DASHBOARD_TEXTS.refusedForged);
    expect(await forged.locator("[data-chart]").count()).toBe(0);
    await forged.screenshot({ path: `${ARTIFACTS}dashboard-forged.png` });

    const other = await phone();
    await other.goto(launchUrl(4343, DARK));
    await other.locator('.error[data-error="403"]').waitFor(SEEN);
    expect(await other.locator(".error").textContent()).toBe(DASHBOARD_TEXTS.refusedNotOwner);
    await forged.close();
    await other.close();
  });

  it("in Russian, dismisses a payment needing review with a note, as the review DM does", async () => {
    const ru = dashboardTexts("ru");
    const page = await phone();
    await page.goto(launchUrl(4242, LIGHT, tg.token, "ru"));
    await page.locator(`[data-loaded="${seed.channelId}"]`).waitFor(SEEN);
    expect(await page.locator("html").getAttribute("lang")).toBe("ru");
    expect(await page.locator('[data-section="reviews"] h2').textContent()).toBe(ru.reviews);
    const review = page.locator(`[data-payment="${seed.expected.reviewPaymentIds[0]}"]`);
    await review.getByRole("button", { name: ru.reviewDismiss }).click();
    await review.getByRole("textbox", { name: ru.reviewNote }).fill("вернула разницу покупателю");
    await review.getByRole("button", { name: ru.reviewDismiss }).click();
    await review.locator('[data-resolved="dismiss"]').waitFor(SEEN);
    expect(await review.locator('[data-role="review-message"]').textContent()).toBe(ru.reviewDismissed);
    // Settled in the database: a fresh view lists nothing to review.
    await page.reload();
    await page.locator(`[data-loaded="${seed.channelId}"]`).waitFor(SEEN);
    expect(await page.locator("[data-payment]").count()).toBe(0);
    expect(await page.locator('[data-section="reviews"]').textContent()).toContain(ru.reviewsNone);
    await page.close();
  });
});
