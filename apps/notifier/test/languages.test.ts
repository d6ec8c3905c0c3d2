import { channels, users } from "@telepay/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSED, type Fixture, OWNER, setup, texts } from "./fixture.ts";

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

/** Delivers an event until the handler acknowledges it (leases may say "retry" for a moment). */
async function deliver(handler: (e: never) => Promise<string>, event: unknown): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await handler(event as never)) === "ack") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("never acked");
}

describe("every recipient in their own language", () => {
  it("a Russian subscriber's invite is Russian, the Spanish-speaking owner's notice Spanish", async () => {
    f = await setup();
    await f.db.db
      .update(users)
      .set({ languageCode: "es" })
      .where(eq(users.telegramId, BigInt(OWNER)));
    await f.addUser(601, { firstName: "Иван" });
    await f.db.db.update(users).set({ languageCode: "ru" }).where(eq(users.telegramId, 601n));
    await deliver(f.app.handlers["payment.confirmed"] as never, await f.confirmed(await f.order(601)));

    const [dm] = texts(f.emulator, 601);
    expect(dm).toContain("Оплата получена — добро пожаловать в VIP <Club> & Friends!");
    expect(dm).toMatch(/Тариф: Monthly — 9,99\s\$/); // Intl puts a no-break space before the sign
    expect(dm).toMatch(/Доступ до: \d+ [а-я]+\.\s\d{4}\sг\., \d\d:\d\d UTC/);
    expect(f.emulator.messages(601)[0]!.reply_markup).toEqual({
      inline_keyboard: [[expect.objectContaining({ text: "Вступить в VIP <Club> & Friends" })]],
    });
    const [notice] = texts(f.emulator, OWNER);
    expect(notice).toContain("Nuevo pago de suscripción — VIP <Club> & Friends");
    expect(notice).toContain("Cliente: Иван 601");
    expect(notice).toMatch(/Pagado: 10,02 USDTTRC20 \(precio 9,99\sUS\$\)/);
    expect(f.emulator.inviteLinks(CLOSED)).toHaveLength(1);
  });

  it("/language beats Telegram's language_code; an owner who never wrote to the bot gets the channel's language", async () => {
    f = await setup();
    await f.db.db.delete(users).where(eq(users.telegramId, BigInt(OWNER)));
    await f.db.db.update(channels).set({ language: "pt-BR" });
    await f.addUser(602);
    await f.db.db.update(users).set({ languageCode: "ru", language: "en" }).where(eq(users.telegramId, 602n));
    await deliver(f.app.handlers["payment.confirmed"] as never, await f.confirmed(await f.order(602)));

    expect(texts(f.emulator, 602)[0]).toContain("Payment received — welcome to");
    expect(texts(f.emulator, OWNER)[0]).toContain("Novo pagamento de assinatura");
  });
});
