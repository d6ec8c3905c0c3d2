import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox/start.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const README_SHOT = fileURLToPath(new URL("../../../docs/sandbox.png", import.meta.url));
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `sandbox browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`,
  );
}

// What a person sees takes a moment to arrive (the bot, the IPNs, the page's event stream).
const SEEN = { timeout: 30_000 };

describe.skipIf(!available)("pnpm sandbox in a real browser", () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sandbox = await startSandbox({ confirmationMs: 500 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  const pane = (name: string): Locator => page.locator(`[data-pane="${name}"]`);
  const message = (where: string, text: RegExp): Locator =>
    pane(where).locator(".msg").filter({ hasText: text }).last();

  it("a newcomer buys Sam a subscription, Sam joins, and Olivia is told — all on one page", async () => {
    await page.goto(sandbox.url);
    // The key moved into a cookie and out of the address bar.
    expect(page.url()).toBe(`${sandbox.origin}/`);
    // Four panes: Olivia's chat, Sam's chat, the public and the closed channel.
    await page
      .locator("[data-pane]")
      .nth(3)
      .waitFor(SEEN)
      .catch(async (err: Error) => {
        throw new Error(
          `the page is not the sandbox (${err.message}): ${(await page.content()).slice(0, 600)}`,
        );
      });
    expect(await page.title()).toBe("TelePay sandbox");

    // The public channel shows the tier post with one button per plan.
    const post = message("open", /Alpha VIP/);
    await post.waitFor(SEEN);
    await expect
      .poll(() => post.locator(".kb").allTextContents(), SEEN)
      .toEqual(["Monthly — $9.99", "Quarterly — $24.99"]);
    // Olivia's chat shows how she registered the channel.
    await message("owner", /Done!/).waitFor(SEEN);

    // As Sam, tap Monthly in the public channel: the deep link opens Sam's chat with /start.
    await post.getByRole("button", { name: "Monthly — $9.99" }).click();
    const offer = message("subscriber", /Monthly/);
    await offer.getByRole("button", { name: /^Continue — \$9\.99/ }).click(SEEN);

    // The bot turns the offer into an invoice whose Pay button opens the emulated checkout.
    const pay = pane("subscriber").getByRole("link", { name: /💳 Pay \$9\.99/ });
    await pay.waitFor(SEEN);
    const [checkout] = await Promise.all([page.waitForEvent("popup"), pay.click()]);
    await checkout.waitForLoadState();
    expect(new URL(checkout.url()).pathname).toBe("/payment/");
    expect(await checkout.locator("h1").textContent()).toBe("9.99 USD");
    await checkout.getByRole("button", { name: "Pay 9.99 USD" }).click();
    await checkout.locator(".paid").waitFor(SEEN);
    expect(await checkout.locator(".ipns li").allTextContents()).toEqual([
      "waiting → HTTP 200",
      "confirming → HTTP 200",
      "finished → HTTP 200",
    ]);
    await checkout.close();

    // Sam sees the payment being confirmed, then the invite with its Join button.
    await message("subscriber", /We see your payment/).waitFor(SEEN);
    const invite = message("subscriber", /Payment received — welcome to Alpha VIP!/);
    await invite.waitFor(SEEN);
    await invite.getByRole("button", { name: "Join Alpha VIP" }).click();

    // The join request is approved by the bot: Sam is a member of the closed channel.
    await pane("closed").locator('.members li[data-status="member"]', { hasText: "Sam" }).waitFor(SEEN);

    // Olivia is told about the payment.
    const notice = message("owner", /New subscription payment — Alpha VIP/);
    await notice.waitFor(SEEN);
    expect(await notice.textContent()).toMatch(/Sam/);

    // Sam can now see his subscription from his chat.
    await pane("subscriber").getByLabel("Message as Sam").fill("/subscriptions");
    await pane("subscriber").getByRole("button", { name: "Send" }).click();
    await message("subscriber", /Alpha VIP/)
      .filter({ hasNotText: /Payment received/ })
      .waitFor(SEEN);

    // Nothing went wrong on the way (a refused tap shows a red toast), and the toasts have faded.
    expect(await page.locator(".toast.error:visible").count()).toBe(0);
    await expect.poll(() => page.locator(".toast:visible").count(), SEEN).toBe(0);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}sandbox.png` });
    // Refresh the README's picture by hand: UPDATE_SANDBOX_SCREENSHOT=1 npx vitest run test/sandbox.browser.test.ts
    if (process.env.UPDATE_SANDBOX_SCREENSHOT === "1") await copyFile(`${ARTIFACTS}sandbox.png`, README_SHOT);
  });
});
