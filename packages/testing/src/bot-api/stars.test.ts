import { Api, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BotApiEmulator, startBotApiEmulator } from "./emulator.ts";

const ALICE = 2001;
const BOB = 2002;
let emu: BotApiEmulator;
let api: Api;

beforeEach(async () => {
  emu = await startBotApiEmulator();
  api = new Api(emu.token, { apiRoot: emu.apiRoot });
  emu.addUser({ id: ALICE, first_name: "Alice" });
  emu.addUser({ id: BOB, first_name: "Bob" });
  emu.addChat({ id: ALICE, type: "private" });
});
afterEach(async () => {
  await emu.stop();
});

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrammyError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const link = (payload: string, amount: number, period?: number) =>
  api.createInvoiceLink(
    "VIP",
    "Monthly access",
    payload,
    "",
    "XTR",
    [{ label: "Monthly", amount }],
    period ? { subscription_period: period } : {},
  );

describe("Telegram Stars", () => {
  it("validates invoices like Telegram: XTR only, one price, 30-day subscriptions up to 10000 Stars", async () => {
    expect(await link("ord_1", 250, 2_592_000)).toMatch(/^https:\/\/t\.me\/\$/);
    expect((await apiError(link("ord_2", 250, 86_400))).description).toMatch(/SUBSCRIPTION_PERIOD_INVALID/);
    expect((await apiError(link("ord_3", 10_001, 2_592_000))).error_code).toBe(400);
    expect((await apiError(link("ord_4", 1.5))).description).toMatch(/CURRENCY_TOTAL_AMOUNT_INVALID/);
    expect(
      (await apiError(api.createInvoiceLink("VIP", "x", "p", "", "USD", [{ label: "x", amount: 1 }])))
        .error_code,
    ).toBe(400);
    const sent = await api.sendInvoice(ALICE, "VIP", "Weekly", "ord_5", "XTR", [
      { label: "Weekly", amount: 60 },
    ]);
    expect(sent.invoice).toMatchObject({ currency: "XTR", total_amount: 60 });
  });

  it("pre-checkout is answered once; charges, renewals, cancel, refund and transactions", async () => {
    const url = await link("ord_sub", 250, 2_592_000);
    const q = emu.preCheckout({ from: ALICE, invoice: url }) as unknown as {
      pre_checkout_query: { id: string; total_amount: number; invoice_payload: string };
    };
    expect(q.pre_checkout_query).toMatchObject({ total_amount: 250, invoice_payload: "ord_sub" });
    expect((await apiError(api.answerPreCheckoutQuery(q.pre_checkout_query.id, false))).error_code).toBe(400);
    await api.answerPreCheckoutQuery(q.pre_checkout_query.id, true);
    expect(emu.preCheckoutAnswer(q.pre_checkout_query.id)).toEqual({ ok: true });
    expect((await apiError(api.answerPreCheckoutQuery(q.pre_checkout_query.id, true))).error_code).toBe(400);

    const first = emu.payStars({ from: ALICE, invoice: url });
    const payment = (first.update as unknown as { message: { successful_payment: Record<string, unknown> } })
      .message.successful_payment;
    expect(payment).toMatchObject({
      currency: "XTR",
      total_amount: 250,
      invoice_payload: "ord_sub",
      telegram_payment_charge_id: first.chargeId,
      is_recurring: true,
      is_first_recurring: true,
    });
    const renewal = emu.renewStars({ chargeId: first.chargeId });
    const renewed = (
      renewal.update as unknown as { message: { successful_payment: Record<string, unknown> } }
    ).message.successful_payment;
    expect(renewed.is_recurring).toBe(true);
    expect(renewed.is_first_recurring).toBeUndefined();

    expect((await apiError(api.editUserStarSubscription(BOB, first.chargeId, true))).error_code).toBe(400);
    await api.editUserStarSubscription(ALICE, first.chargeId, true);
    expect(() => emu.renewStars({ chargeId: first.chargeId })).toThrow(/cancelled/);

    await api.refundStarPayment(ALICE, renewal.chargeId);
    expect((await apiError(api.refundStarPayment(ALICE, renewal.chargeId))).description).toMatch(
      /CHARGE_ALREADY_REFUNDED/,
    );
    const { transactions } = await api.getStarTransactions({ offset: 0, limit: 10 });
    expect(transactions.map((t) => [t.id, t.amount, t.source ? "in" : "out"])).toEqual([
      [renewal.chargeId, 250, "out"],
      [renewal.chargeId, 250, "in"],
      [first.chargeId, 250, "in"],
    ]);
    expect((await apiError(api.getStarTransactions({ limit: 101 }))).error_code).toBe(400);
  });
});
