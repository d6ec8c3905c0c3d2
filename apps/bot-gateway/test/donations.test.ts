import { orders } from "@telepay/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonUrl, type Harness, seedChannel, startHarness, uniqueId } from "./harness.ts";

describe("donation keypad", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function open(opts: { donationMin?: string } = {}) {
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Dora" });
    const { channel } = await seedChannel(h, opts);
    await h.say(user, `/start d${channel.id}`);
    const keypad = h.last(user);
    const tap = async (...keys: string[]) => {
      for (const k of keys) await h.press(user, keypad.message_id, `kp:${k}`);
    };
    const lastToast = () => {
      const answers = h.tg.callsOf("answerCallbackQuery");
      return answers[answers.length - 1]?.params.text as string | undefined;
    };
    const display = () =>
      /Amount: (\S+)/.exec(
        h.botMessages(user).find((m) => m.message_id === keypad.message_id)!.plainText!,
      )?.[1];
    const donations = () =>
      h.db.db
        .select()
        .from(orders)
        .where(and(eq(orders.channelId, channel.id), eq(orders.kind, "donation")));
    return { user, channel, keypad, tap, lastToast, display, donations };
  }

  it("edits one message in place and turns a confirmed amount into a donation invoice", async () => {
    const k = await open();
    expect(k.display()).toBe("—");
    await k.tap("1", "2", ".", "5");
    expect(k.display()).toBe("12.5");
    await k.tap("ok");
    const msg = h.last(k.user);
    expect(msg.message_id).toBe(k.keypad.message_id);
    expect(h.botMessages(k.user)).toHaveLength(1);
    expect(msg.plainText).toContain("Donation to Premium Signals");
    expect(msg.plainText).toContain("$12.50");
    const [order] = await k.donations();
    expect(order).toMatchObject({ amount: "12.5", currency: "USD", tierId: null, status: "waiting" });
    const invoice = h.np.invoices.find((i) => i.order_id === order!.reference)!;
    expect(buttonUrl(msg, /^💳 Pay/)).toBe(invoice.invoice_url);
  });

  it("leading zeros collapse, a third decimal is refused with a reason", async () => {
    const k = await open();
    await k.tap("0", "0", "7");
    expect(k.display()).toBe("7");
    await k.tap("back", "clear", ".", "5", "5", "5");
    expect(k.display()).toBe("0.55");
    expect(k.lastToast()).toBe("At most 2 decimals");
  });

  it("below the minimum cannot be confirmed; the channel's own minimum applies", async () => {
    const k = await open({ donationMin: "10" });
    await k.tap("9", ".", "9", "9", "ok");
    expect(k.lastToast()).toBe("The minimum is $10.00");
    expect(await k.donations()).toHaveLength(0);
    await k.tap("clear", "1", "0", "ok");
    expect(await k.donations()).toHaveLength(1);
  });

  it("the default minimum is 4.99", async () => {
    const k = await open();
    await k.tap("4", ".", "9", "8", "ok");
    expect(k.lastToast()).toBe("The minimum is $4.99");
    expect(await k.donations()).toHaveLength(0);
  });

  it("cancel ends the keypad; later taps on it are stale", async () => {
    const k = await open();
    await k.tap("5", "cancel");
    expect(h.last(k.user).plainText).toContain("Donation cancelled");
    // The cancelled message has no keypad any more, so a late tap comes from an older copy.
    const update = h.tg.injectUpdate({
      callback_query: {
        id: `late-${k.user}`,
        from: { id: k.user, is_bot: false, first_name: "Dora" },
        chat_instance: "x",
        data: "kp:5",
        message: {
          message_id: k.keypad.message_id,
          date: 0,
          chat: { id: k.user, type: "private", first_name: "Dora" },
        },
      },
    });
    expect(await h.deliver(update)).toBe(200);
    expect(k.lastToast()).toBe("This keypad is no longer active");
    expect(await k.donations()).toHaveLength(0);
  });

  it("times out cleanly after 10 minutes of inactivity", async () => {
    const k = await open();
    await k.tap("2", "0");
    h.advance(11 * 60_000);
    try {
      await k.tap("0");
      const msg = h.last(k.user);
      expect(msg.plainText).toContain("timed out");
      expect(buttonUrl(msg, "Start again")).toContain(`start=d${k.channel.id}`);
      expect(await k.donations()).toHaveLength(0);
    } finally {
      h.advance(-11 * 60_000);
    }
  });
});
