import { channels, checkouts, orders } from "@telepay/db";
import { createInProcessBus, createOutboxRelay } from "@telepay/events";
import { createApp as createNotifier } from "@telepay/notifier";
import { createApp as createIngress } from "@telepay/webhook-ingress";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buttonData,
  buttons,
  type Harness,
  INGRESS_CONFIG,
  type NotifierStack,
  notifierConfig,
  seedChannel,
  startHarnessWithNotifier,
  uniqueId,
} from "./harness.ts";

// SETTLEMENT=direct, the whole purchase as in production (docs/settlement.md): the bot makes the
// payment with the owner's wallet as payout_address, shows the in-chat checkout (coin, exact amount,
// address as text and QR photo, expiry), webhook-ingress takes the IPNs, and the notifier grants
// access and edits each status change into that same checkout message.

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const OWNER_WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";

let h: Harness;
let n: NotifierStack;
beforeAll(async () => {
  ({ h, n } = await startHarnessWithNotifier({
    ingress: true,
    config: { settlement: { mode: "direct", coins: ["btc", "usdttrc20"] } },
  }));
}, 120_000);
afterAll(() => h?.close());

/** A subscriber at the coin choice of a direct-mode order. */
async function atCoinChoice() {
  const seeded = await seedChannel(h);
  await h.db.db
    .update(channels)
    .set({ payoutWallet: OWNER_WALLET })
    .where(eq(channels.id, seeded.channel.id));
  const user = uniqueId();
  h.tg.addUser({ id: user, first_name: "Ivy" });
  await h.say(user, `/start t${seeded.channel.id}_${seeded.tiers[0]!.id}`);
  const offer = h.last(user);
  await h.press(user, offer.message_id, buttonData(offer, /^Continue/));
  const choice = h.last(user);
  return { ...seeded, user, choice };
}

/** Presses a coin and returns the checkout photo message with its stored checkout row. */
async function payWith(user: number, choice: ReturnType<Harness["last"]>, coin: string) {
  await h.press(user, choice.message_id, buttonData(choice, coin));
  const photo = h.last(user);
  const [order] = await h.db.db
    .select()
    .from(orders)
    .where(eq(orders.userId, BigInt(user)));
  const [checkout] = await h.db.db.select().from(checkouts).where(eq(checkouts.orderId, order!.id));
  return { photo, order: order!, checkout: checkout! };
}

describe("direct settlement: the in-chat checkout", () => {
  it("offers coins instead of an invoice link, then pays out to the owner's wallet", async () => {
    const { user, choice } = await atCoinChoice();
    expect(choice.plainText).toContain("Choose below the coin you will pay with");
    expect(choice.plainText).not.toContain("Tap Pay");
    expect(buttons(choice).map((b) => b.text)).toEqual(["BTC", "USDTTRC20", "🔄 Check status"]);
    expect(buttons(choice).some((b) => b.url)).toBe(false);
    expect(h.np.invoices).toHaveLength(0);

    const { photo, order, checkout } = await payWith(user, choice, "USDTTRC20");
    const remote = h.np.payment(checkout.paymentId)!;
    expect(remote).toMatchObject({
      payout_address: OWNER_WALLET,
      payout_currency: "usdttrc20",
      order_id: order.reference,
      pay_currency: "usdttrc20",
    });
    // One photo: the QR code, the exact amount and the address as copyable text, the expiry.
    expect(h.tg.callsOf("sendPhoto").filter((c) => String(c.params.chat_id) === String(user))).toHaveLength(
      1,
    );
    expect(photo.photo).toBeDefined();
    expect(photo.text).toContain(`<code>${remote.pay_amount}</code> USDTTRC20`);
    expect(photo.text).toContain(`<code>${remote.pay_address}</code>`);
    expect(photo.plainText).toContain("Pay before");
    expect(photo.plainText).toContain("Waiting for your payment");
    expect(checkout).toMatchObject({
      chatId: BigInt(user),
      messageId: photo.message_id,
      shownStatus: "waiting",
    });

    // A second tap on the same coin shows the same payment again, never a second one.
    await h.press(user, choice.message_id, buttonData(choice, "USDTTRC20"));
    expect(h.np.payments.filter((p) => p.order_id === order.reference)).toHaveLength(1);
  });

  it("edits each status change into the same message and grants access on finished", async () => {
    const { user, choice, closedChat, owner, channel } = await atCoinChoice();
    const { photo, order, checkout } = await payWith(user, choice, "BTC");

    expect((await h.np.sendPaymentIpn(checkout.paymentId, "confirming")).status).toBe(200);
    // A notifier started after the checkout was sent (a restart, another instance) finds the
    // message in the database and edits it.
    const fresh = await createNotifier({
      db: h.db,
      bus: createInProcessBus({ logger: quiet }),
      api: n.api,
      logger: quiet,
      config: notifierConfig(h),
    });
    await fresh.runRedrive();
    await fresh.stop();
    const confirming = h.botMessages(user).find((m) => m.message_id === photo.message_id)!;
    expect(confirming.plainText).toContain("waiting for the network to confirm");
    expect(confirming.plainText).toContain(checkout.payAddress);

    expect((await h.np.sendPaymentIpn(checkout.paymentId, "finished")).status).toBe(200);
    await n.notifier.runRedrive();
    const finished = h.botMessages(user).find((m) => m.message_id === photo.message_id)!;
    expect(finished.plainText).toContain("Payment received");
    // Nothing left to send: the address and the status button are gone.
    expect(finished.plainText).not.toContain(checkout.payAddress);
    expect(buttons(finished)).toEqual([]);
    const [paid] = await h.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(paid!.status).toBe("finished");
    expect(h.tg.inviteLinks(closedChat)).toHaveLength(1);
    const [row] = await h.db.db.select().from(checkouts).where(eq(checkouts.id, checkout.id));
    expect(row!.shownStatus).toBe("finished");
    // The owner's panel says the money went to their wallet, not that the operator holds it.
    await h.say(owner, "/mychannels");
    await h.press(owner, h.last(owner).message_id, `mc:o:${channel.id}`);
    expect(h.last(owner).plainText).toContain("Payments go straight to your payout wallet");
    expect(h.last(owner).plainText).not.toContain("who pays you out");
    // The re-drive does not edit a message that already shows its status.
    const edits = finished.edits.length;
    await n.notifier.runRedrive();
    expect(h.botMessages(user).find((m) => m.message_id === photo.message_id)!.edits.length).toBe(edits);
  });

  it("a coin NOWPayments refuses for this payment offers the others again, and nothing is stored", async () => {
    const { user, choice } = await atCoinChoice();
    h.np.failNext({
      status: 400,
      body: {
        status: false,
        statusCode: 400,
        code: "AMOUNT_MINIMAL_ERROR",
        message: "amountTo is too small",
      },
    });
    await h.press(user, choice.message_id, buttonData(choice, "BTC"));
    const again = h.last(user);
    expect(again.plainText).toContain("BTC can't be used for this payment right now");
    expect(buttons(again).map((b) => b.text)).toEqual(["BTC", "USDTTRC20", "🔄 Check status"]);
    const [order] = await h.db.db
      .select()
      .from(orders)
      .where(eq(orders.userId, BigInt(user)));
    expect(await h.db.db.select().from(checkouts).where(eq(checkouts.orderId, order!.id))).toEqual([]);
    // Another coin works.
    const { checkout } = await payWith(user, again, "USDTTRC20");
    expect(checkout.payCurrency).toBe("usdttrc20");
  });

  it("the payment event alone edits the message (no re-drive needed)", async () => {
    // The production path: the IPN's outbox event is relayed to the bus, the notifier's consumer
    // handles it (driveOrder), and the checkout message follows.
    const eventBus = createInProcessBus({ logger: quiet });
    const relay = createOutboxRelay({ db: h.db.db, bus: eventBus, logger: quiet });
    relay.start(60_000);
    const live = await createNotifier({
      db: h.db,
      bus: eventBus,
      api: n.api,
      relay,
      logger: quiet,
      config: notifierConfig(h),
    });
    const liveIngress = await createIngress({
      db: h.db,
      bus: eventBus,
      relay,
      logger: quiet,
      config: INGRESS_CONFIG,
    });
    const previous = h.ipn!.handler;
    try {
      const { user, choice } = await atCoinChoice();
      const { photo, checkout } = await payWith(user, choice, "BTC");
      await live.start();
      h.ipn!.handler = (req) => liveIngress.app.fetch(req);
      expect((await h.np.sendPaymentIpn(checkout.paymentId, "confirming")).status).toBe(200);
      const shown = () => h.botMessages(user).find((m) => m.message_id === photo.message_id)!.plainText ?? "";
      for (let i = 0; i < 100 && !shown().includes("waiting for the network"); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(shown()).toContain("waiting for the network to confirm");
    } finally {
      h.ipn!.handler = previous;
      await live.stop();
      await relay.stop();
      await eventBus.close();
    }
  });

  it("an expired payment is shown as expired in the same message", async () => {
    const { user, choice } = await atCoinChoice();
    const { photo, checkout } = await payWith(user, choice, "BTC");
    await h.np.sendPaymentIpn(checkout.paymentId, "expired");
    await n.notifier.runRedrive();
    expect(h.botMessages(user).find((m) => m.message_id === photo.message_id)!.plainText).toContain(
      "This payment expired",
    );
  });

  it("a forged IPN for a direct payment is refused by its signature and changes nothing", async () => {
    const { user, choice, closedChat } = await atCoinChoice();
    const { order, checkout } = await payWith(user, choice, "USDTTRC20");
    const forged = await h.np.sendPaymentIpn(checkout.paymentId, "finished", {
      signatureOverride: "ab".repeat(64),
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const unsigned = await h.np.sendPaymentIpn(checkout.paymentId, "finished", { skipSignature: true });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    await n.notifier.runRedrive();
    const [row] = await h.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.status).toBe("waiting");
    expect(h.tg.inviteLinks(closedChat)).toHaveLength(0);
  });
});

describe("direct settlement: onboarding checks the wallet with NOWPayments", () => {
  it("a wallet NOWPayments refuses is explained and asked for again; nothing is stored", async () => {
    const owner = uniqueId();
    const open = -1_003_000_000_000 - uniqueId();
    const closed = -1_003_000_000_000 - uniqueId();
    h.tg.addUser({ id: owner, first_name: "Olga" });
    h.tg.addChat({ id: open, type: "channel", title: "News", username: `news_${owner}` });
    h.tg.addChat({ id: closed, type: "channel", title: "VIP" });
    h.tg.setChatMember(open, owner, "creator");
    h.tg.setChatMember(closed, owner, "creator");
    await h.say(owner, "/newchannel");
    await h.say(owner, `@news_${owner}`);
    await h.say(owner, "", { forwardFromChat: closed });
    await h.say(owner, "9.99:30:Monthly");
    // An Ethereum address for a TRON coin: NOWPayments would never pay out there.
    await h.say(owner, `0x${"ab".repeat(20)}`);
    await h.say(owner, "usdttrc20");
    const messages = h.botMessages(owner);
    const refusal = messages.at(-2)!;
    expect(refusal.plainText).toContain("NOWPayments cannot pay out to");
    expect(refusal.plainText).toContain("Invalid payout_address");
    expect(h.np.requests.some((r) => r.path === "/v1/payout/validate-address" && r.status === 400)).toBe(
      true,
    );
    // Asked for the wallet again; the right one goes through to the next step.
    await h.say(owner, OWNER_WALLET);
    await h.say(owner, "usdttrc20");
    await h.say(owner, "skip");
    await h.press(owner, h.last(owner).message_id, "ob:notify:yes");
    const summary = h.last(owner);
    await h.press(owner, summary.message_id, buttonData(summary, "✅ Confirm"));
    const rows = await h.db.db
      .select()
      .from(channels)
      .where(eq(channels.closedChatId, BigInt(closed)));
    expect(rows.map((r) => [r.payoutWallet, r.payoutCurrency])).toEqual([[OWNER_WALLET, "usdttrc20"]]);
  });
});
