import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";
import {
  LOCALES,
  languageCallbackData,
  localesFolder,
  notifierMessages,
  parseLanguageCallback,
  resolveLocale,
  translate,
} from "../src/index.ts";

type Node =
  | string
  | { type: string; name?: string; selector?: Node; variants?: Array<{ value: Node }> }
  | Node[];

/** The $variables a Fluent pattern uses (in any variant of any select). */
function variables(node: Node | null, into = new Set<string>()): Set<string> {
  if (node === null || typeof node === "string") return into;
  if (Array.isArray(node)) {
    for (const n of node) variables(n, into);
    return into;
  }
  if (node.type === "var" && node.name) into.add(node.name);
  if (node.type === "select") {
    variables(node.selector ?? null, into);
    for (const v of node.variants ?? []) variables(v.value, into);
  }
  return into;
}

function load(locale: string) {
  const source = readFileSync(join(localesFolder, `${locale}.ftl`), "utf8");
  const resource = new FluentResource(source);
  const entries = new Map<string, string[]>();
  for (const m of resource.body) entries.set(m.id, [...variables(m.value as Node)].sort());
  // FluentResource silently drops entries it cannot parse: every `key =` line must have become one.
  const declared = source.split("\n").filter((l) => /^[a-zA-Z][\w-]*\s*=/.test(l)).length;
  return { entries, declared };
}

describe("catalogs", () => {
  const en = load("en");

  it("parse completely, in every locale", () => {
    for (const locale of LOCALES) {
      const { entries, declared } = load(locale);
      expect(entries.size, `${locale}.ftl has entries Fluent could not parse`).toBe(declared);
    }
  });

  it("hold nothing Fluent would skip as junk (a merge's conflict markers, a stray line)", () => {
    for (const locale of LOCALES) {
      const lines = readFileSync(join(localesFolder, `${locale}.ftl`), "utf8").split("\n");
      const junk = lines.filter((l) => !/^(|#.*|[a-zA-Z][\w-]*\s*=.*|\s+\S.*|\s*\}\s*)$/.test(l));
      expect(junk, `${locale}.ftl`).toEqual([]);
    }
  });

  it.each(LOCALES.filter((l) => l !== "en"))(
    "%s has every key of en, with the same placeholders",
    (locale) => {
      const { entries } = load(locale);
      expect([...entries.keys()].sort()).toEqual([...en.entries.keys()].sort());
      for (const [key, vars] of en.entries) expect(entries.get(key), `${locale}: ${key}`).toEqual(vars);
    },
  );

  it("count days with each language's plural forms (Russian has three)", () => {
    const days = (locale: (typeof LOCALES)[number], n: number) => translate(locale, "days", { count: n });
    expect([1, 2, 30].map((n) => days("en", n))).toEqual(["1 day", "2 days", "30 days"]);
    expect([1, 2, 5, 11, 21, 22, 25].map((n) => days("ru", n))).toEqual([
      "1 день",
      "2 дня",
      "5 дней",
      "11 дней",
      "21 день",
      "22 дня",
      "25 дней",
    ]);
    expect([1, 30].map((n) => days("es", n))).toEqual(["1 día", "30 días"]);
    expect([1, 30].map((n) => days("pt-BR", n))).toEqual(["1 dia", "30 dias"]);
  });

  it("carry a picked language in callback data, and refuse any other", () => {
    for (const locale of LOCALES) {
      for (const cb of [
        { target: "user", locale },
        { target: "onboarding", locale },
        { target: "channel", channelId: 2_147_483_647, locale },
      ] as const) {
        const data = languageCallbackData(cb);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(parseLanguageCallback(data)).toEqual(cb);
      }
    }
    for (const bad of ["lg:u:de", "lg:u:pt-br", "lg:x:en", "lg:c:en", "lg:u:en:x", "", undefined])
      expect(parseLanguageCallback(bad)).toBeUndefined();
  });

  it("map Telegram's language codes onto the locales", () => {
    expect(resolveLocale("ru-RU")).toBe("ru");
    expect(resolveLocale("pt")).toBe("pt-BR");
    expect(resolveLocale("pt-br")).toBe("pt-BR");
    expect(resolveLocale("es-419")).toBe("es");
    expect(resolveLocale("de", null)).toBe("en");
    expect(resolveLocale(null, "de", "ru")).toBe("ru");
    expect(resolveLocale("es", "ru")).toBe("es");
  });

  it.each(LOCALES)("render every notifier message in %s with nothing left unfilled", (locale) => {
    const m = notifierMessages(locale);
    const at = new Date("2026-03-01T14:05:00Z");
    const access = { channelTitle: "", tierLabel: "", amount: "9.99", currency: "USD", expiresAt: at };
    const texts = [
      m.accessInvite({ ...access, inviteLink: "https://t.me/+x", mode: "join_request" }),
      m.manualGrantInvite({
        channelTitle: "C",
        expiresAt: at,
        inviteLink: "https://t.me/+x",
        mode: "member_limit",
      }),
      m.accessRenewed(access),
      m.accessExtended({ channelTitle: "C", expiresAt: at }),
      m.accessRevoked({ channelTitle: "C" }),
      m.accessExpired({ channelTitle: "C", renewUrl: "https://t.me/b" }),
      m.accessPendingOwnerAction({ channelTitle: "C", expiresAt: at }),
      m.expiryReminder({ channelTitle: "C", expiresAt: at, daysLeft: 3, renewUrl: "https://t.me/b" }),
      m.donationThanks({ channelTitle: "C", amount: "5", currency: "USD" }),
      m.ownerPaymentNotice({
        kind: "subscription",
        channelTitle: "C",
        customerName: "",
        customerUsername: "u",
        customerId: "1",
        tierLabel: "T",
        amount: "9.99",
        currency: "USD",
        actuallyPaid: "0.0001",
        payCurrency: "btc",
        expiresAt: at,
        payoutWallet: "TQ9xAbCdEfGhIjKlMnOpQrStUv3fAb",
        payoutCurrency: "usdttrc20",
        payoutNetwork: "tron",
        orderReference: "ref",
      }),
      ...(["confirming", "partially_paid", "failed", "expired", "refunded"] as const).map((status) =>
        m.paymentUpdate({
          status,
          channelTitle: "C",
          payAmount: "0.3",
          actuallyPaid: "0.1",
          payCurrency: "eth",
        }),
      ),
      ...(["removed", "shortened", "not_granted", "nothing"] as const).flatMap((outcome) => [
        m.reversalPayer({ outcome, channelTitle: "C", expiresAt: at }),
        m.ownerReversal({
          outcome,
          channelTitle: "C",
          expiresAt: at,
          kind: "subscription",
          customerName: "N",
          customerUsername: null,
          customerId: "1",
          amount: "9.99",
          currency: "USD",
          orderReference: "ref",
        }),
      ]),
      m.tierPost({
        channelTitle: "C",
        description: "D",
        tiers: [{ label: "", price: "9.99", currency: "USD", durationDays: 30, url: "https://t.me/b" }],
      }),
      m.donationPost({ channelTitle: "C", donationMessage: "", url: "https://t.me/b" }),
      ...(["starting", "running", "done", "cancelled"] as const).map((state) =>
        m.broadcastProgress({ channelTitle: "C", state, total: 3, sent: 1, blocked: 1, failed: 2 }),
      ),
      m.ownerBotLacksRights({ channelTitle: "C", action: "invite" }),
      m.ownerBotLacksRights({ channelTitle: "C", action: "publish" }),
      m.ownerRemovalFailed({ channelTitle: "C", customerId: "1", reason: "r" }),
    ];
    for (const t of texts) {
      expect(t.text).not.toMatch(/[{}]/);
      for (const row of t.options.reply_markup?.inline_keyboard ?? [])
        for (const b of row) expect(b.text).not.toMatch(/[{}]/);
    }
    if (locale !== "en")
      expect(texts.map((t) => t.text).join("\n")).not.toMatch(/\b(the|your|payment|channel)\b/i);
  });
});
