import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auditLog, channels, LANGUAGES, orders, outbox, users } from "@telepay/db";
import { LOCALES, localesFolder } from "@telepay/telegram";
import type { StoredMessage } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installMenus } from "../src/index.ts";
import {
  buttonData,
  buttons,
  buttonUrl,
  type Harness,
  type NotifierStack,
  seedChannel,
  startHarnessWithNotifier,
  uniqueId,
} from "./harness.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Every English sentence fragment of the catalogs (the literal text between placeholders, at
 * least two words): none of them may reach a reader whose language is another.
 */
function englishFragments(): string[] {
  const source = readFileSync(join(localesFolder, "en.ftl"), "utf8");
  const out = new Set<string>();
  for (const line of source.split("\n")) {
    if (line.startsWith("#")) continue;
    const value = line
      .replace(/^[a-z][\w-]*\s*=/, "")
      .replace(/^\s*\*?\[\w+\]/, "")
      .replace(/\{[^}]*\}?/g, "\n");
    for (const piece of value.split(/\n|<[^>]*>/)) {
      const text = piece.trim();
      if (/[A-Za-z]{3,} [A-Za-z]{2,}/.test(text)) out.add(text);
    }
  }
  return [...out];
}

/** A message's text and its buttons' labels, as the user saw them. */
const seen = (m: StoredMessage) => [m.plainText ?? "", ...buttons(m).map((b) => b.text)];

let h: Harness;
let n: NotifierStack;
beforeAll(async () => {
  ({ h, n } = await startHarnessWithNotifier({ ingress: true }));
}, 120_000);
afterAll(() => h?.close());

/** A channel whose owner speaks Spanish (their Telegram language) and whose posts are in pt-BR. */
async function spanishOwnersChannel() {
  const seeded = await seedChannel(h);
  h.tg.addUser({ id: seeded.owner, first_name: "Olga", language_code: "es" });
  h.tg.addChat({ id: seeded.owner, type: "private" });
  await h.db.db
    .insert(users)
    .values({ telegramId: BigInt(seeded.owner), firstName: "Olga", languageCode: "es" });
  await h.db.db.update(channels).set({ language: "pt-BR" }).where(eq(channels.id, seeded.channel.id));
  return seeded;
}

describe("every reader in their own language", () => {
  it("the languages the database accepts are the catalogs'", () => {
    expect([...LANGUAGES]).toEqual([...LOCALES]);
  });

  it("a Russian-speaking subscriber buys from the tier offer to the invite DM entirely in Russian", async () => {
    const { channel, tiers, owner, closedChat } = await spanishOwnersChannel();
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Иван", language_code: "ru" });
    const tier = tiers[0]!;

    await h.say(user, `/start t${channel.id}_${tier.id}`);
    const offer = h.last(user);
    expect(offer.plainText).toMatch(/• Monthly — 9,99\s\$ за 30 дней/);
    await h.press(user, offer.message_id, buttonData(offer, /^Продолжить — 9,99\s\$$/));
    const invoiceMessage = h.last(user);
    expect(invoiceMessage.plainText).toContain("Ваш заказ");
    expect(invoiceMessage.plainText).toContain("Срок: 30 дней");
    const invoice = h.np.invoices.find((i) => i.invoice_url === buttonUrl(invoiceMessage, /^💳 Оплатить/))!;
    expect(invoice.order_description).toBe("Premium Signals — Monthly (30 дней)");

    await h.press(user, invoiceMessage.message_id, buttonData(invoiceMessage, "🔄 Проверить статус"));
    expect(h.last(user).plainText).toContain("Ожидает оплаты");
    const paid = await h.np.payInvoice(invoice.id, ["waiting", "confirming", "finished"]);
    expect(paid.map((r) => r.status)).toEqual([200, 200, 200]);
    // The notifier grants access and sends the invite (what its consumer and redrive both do).
    await n.notifier.runRedrive();

    const invite = h.botMessages(user).find((m) => m.plainText?.includes("Оплата получена"));
    expect(invite?.plainText).toContain("добро пожаловать в Premium Signals");
    expect(buttons(invite!).map((b) => b.text)).toEqual(["Вступить в Premium Signals"]);
    expect(h.tg.inviteLinks(closedChat)).toHaveLength(1);

    // Back from the invoice page (success_url), then /subscriptions.
    await h.say(user, `/start ${new URL(invoice.success_url!).searchParams.get("start")}`);
    expect(h.last(user).plainText).toContain("✅ Оплачен");
    await h.say(user, "/subscriptions");
    expect(h.last(user).plainText).toMatch(/Premium Signals — активна до \d+ [а-я]+\.? \d{4}/);

    const everything = h.botMessages(user).flatMap(seen);
    expect(everything.length).toBeGreaterThanOrEqual(6);
    for (const text of everything) expect(text, text).toMatch(/[а-яё]/i);
    const english = englishFragments();
    expect(english.length).toBeGreaterThan(100);
    for (const fragment of english)
      for (const text of everything)
        expect(text, `"${fragment}" reached a Russian reader`).not.toContain(fragment);

    // The Spanish-speaking owner hears about it in Spanish.
    const notice = h.botMessages(owner).find((m) => m.plainText?.includes("Nuevo pago de suscripción"));
    expect(notice?.plainText).toContain("Cliente: Иван");
    const [order] = await h.db.db.select().from(orders).where(eq(orders.channelId, channel.id));
    expect(order!.status).toBe("finished");
  });

  it("an owner hears about their channel in their own language, whoever acted", async () => {
    const { closedChat, owner } = await spanishOwnersChannel();
    const admin = uniqueId();
    h.tg.addUser({ id: admin, first_name: "Admin", language_code: "ru" });
    await h.deliver(
      h.tg.myChatMember({ chatId: closedChat, oldStatus: "administrator", newStatus: "left", from: admin }),
    );
    expect(h.last(owner).plainText).toContain("Me han sacado de Premium Signals");
    expect(h.botMessages(admin)).toEqual([]);
  });

  it("/language stores the choice, which beats Telegram's language from then on, across restarts", async () => {
    const user = uniqueId();
    h.tg.addUser({ id: user, first_name: "Ana", language_code: "ru" });
    await h.say(user, "/help");
    expect(h.last(user).plainText).toContain("Как работает TelePay");

    await h.say(user, "/language");
    const picker = h.last(user);
    expect(picker.plainText).toContain("На каком языке");
    expect(buttons(picker).map((b) => b.text)).toEqual([
      "English",
      "✓ Русский",
      "Español",
      "Português (Brasil)",
    ]);
    await h.press(user, picker.message_id, buttonData(picker, "Português (Brasil)"));
    expect(h.last(user).plainText).toContain("a partir de agora eu escrevo para você em português");
    const [row] = await h.db.db
      .select()
      .from(users)
      .where(eq(users.telegramId, BigInt(user)));
    expect(row).toMatchObject({ language: "pt-BR", languageCode: "ru" });

    await h.restart();
    await h.say(user, "/help");
    expect(h.last(user).plainText).toContain("Como o TelePay funciona");

    // A forged language the bot does not speak changes nothing.
    await h.say(user, "/language");
    const status = await h.deliver(
      h.tg.injectUpdate({
        callback_query: {
          id: `forged-${user}`,
          from: { id: user, is_bot: false, first_name: "Ana", language_code: "ru" },
          chat_instance: "1",
          data: "lg:u:de",
          message: { message_id: h.last(user).message_id, date: 0, chat: { id: user, type: "private" } },
        },
      }),
    );
    expect(status).toBe(200);
    const [after] = await h.db.db
      .select()
      .from(users)
      .where(eq(users.telegramId, BigInt(user)));
    expect(after!.language).toBe("pt-BR");
  });

  it("the owner switches a channel's post language from the panel; both posts are published again", async () => {
    const { owner, channel } = await spanishOwnersChannel();
    await h.say(owner, "/mychannels");
    await h.press(owner, h.last(owner).message_id, `mc:o:${channel.id}`);
    const panel = h.last(owner);
    expect(panel.plainText).toContain("Idioma de las publicaciones: Português (Brasil)");
    await h.press(owner, panel.message_id, buttonData(panel, "🌐 Idioma de las publicaciones"));
    const picker = h.last(owner);
    expect(buttons(picker).map((b) => b.text)).toContain("✓ Português (Brasil)");
    await h.press(owner, picker.message_id, buttonData(picker, "Русский"));
    expect(h.last(owner).plainText).toContain("Idioma de las publicaciones: Русский");
    const [row] = await h.db.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row!.language).toBe("ru");
    const changes = await h.db.db.select().from(auditLog).where(eq(auditLog.channelId, channel.id));
    expect(changes.map((a) => a.action)).toContain("channel.language_changed");
    const requests = await h.db.db.select().from(outbox).where(eq(outbox.topic, "channel.publish_requested"));
    const mine = requests.map((e) => e.payload as { channelId: number; kinds: string[] });
    expect(mine.filter((p) => p.channelId === channel.id)).toContainEqual(
      expect.objectContaining({ kinds: ["tiers", "donation"] }),
    );
  });

  it("owners see the owner commands in their own menu, in their language; subscribers never do", async () => {
    const { owner } = await spanishOwnersChannel();
    const subscriber = uniqueId();
    const result = await installMenus(h.app.bot.api, h.db.db, quiet);
    expect(result.failed).toBe(0);
    const ownerMenu = h.tg.commandMenu(owner, "es");
    expect(ownerMenu.map((c) => c.command)).toEqual([
      "start",
      "mychannels",
      "newchannel",
      "broadcast",
      "subscriptions",
      "language",
      "help",
      "cancel",
    ]);
    expect(ownerMenu[1]!.description).toBe("Gestiona los canales que vendes");
    for (const lang of [undefined, "en", "ru", "es", "pt"]) {
      const menu = h.tg.commandMenu(subscriber, lang).map((c) => c.command);
      expect(menu).toEqual(["start", "subscriptions", "language", "help", "cancel"]);
    }
    expect(h.tg.commandMenu(subscriber, "es")[1]!.description).toBe(
      "Tus suscripciones, renovaciones y cómo volver a entrar",
    );

    // The owner switches to Russian: their own menu follows.
    await h.say(owner, "/language");
    await h.press(owner, h.last(owner).message_id, buttonData(h.last(owner), "Русский"));
    expect(h.tg.commandMenu(owner, "es")[1]!.description).toBe("Управлять своими каналами");
  });
});
