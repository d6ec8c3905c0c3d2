import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { broadcasts, promoCodes, subscriptions, users } from "@telepay/db";
import { seedChannel } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, runTelepayInProcess } from "./helpers.ts";

let backend: CliBackend;
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);
let channelId: number;

beforeAll(async () => {
  backend = await createCliBackend();
  const { db } = backend.database;
  const { channel } = await seedChannel(db, {
    ownerTelegramId: 444n,
    tiers: [
      { price: "10", durationDays: 30 },
      { price: "25", durationDays: 90 },
    ],
  });
  channelId = channel.id;
}, 120_000);
afterAll(async () => {
  await backend?.close();
});

describe("telepay promo", () => {
  it("adds, lists and disables codes with --json", async () => {
    const added = await telepay(
      "promo",
      "add",
      "--channel",
      String(channelId),
      "--code",
      "spring-26",
      "--percent",
      "20",
      "--max-uses",
      "5",
      "--expires",
      "2099-01-01T00:00:00Z",
      "--tier",
      "2",
      "--json",
    );
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      channelId,
      code: "SPRING-26",
      percentOff: 20,
      amountOff: null,
      maxUses: 5,
      uses: 0,
      tierPositions: [2],
      active: true,
      expiresAt: "2099-01-01T00:00:00.000Z",
    });
    const fixed = await telepay(
      "promo",
      "add",
      "--channel",
      String(channelId),
      "--code",
      "FIVE",
      "--off",
      "5",
    );
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("Created code FIVE");
    const listed = await telepay("promo", "list", "--channel", String(channelId), "--json");
    expect(JSON.parse(listed.stdout).map((p: { code: string }) => p.code)).toEqual(["SPRING-26", "FIVE"]);
    const human = await telepay("promo", "list", "--channel", String(channelId));
    expect(human.stdout).toContain("SPRING-26");
    const disabled = await telepay(
      "promo",
      "disable",
      "--channel",
      String(channelId),
      "--code",
      "five",
      "--json",
    );
    expect(JSON.parse(disabled.stdout)).toMatchObject({ code: "FIVE", active: false });
  }, 120_000);

  it("refuses bad input with a one-line reason and a non-zero exit, changing nothing", async () => {
    const before = await backend.database.db
      .select()
      .from(promoCodes)
      .where(eq(promoCodes.channelId, channelId));
    const c = String(channelId);
    const cases: [string[], RegExp][] = [
      [["--code", "BAD1", "--percent", "-5"], /--percent must be a whole number from 1 to 99/],
      [["--code", "BAD2", "--percent", "150"], /--percent must be a whole number from 1 to 99/],
      [["--code", "BAD3", "--percent", "10", "--off", "1"], /either --percent/],
      [["--code", "bad code!", "--percent", "10"], /promo code is 3-32 letters/],
      [["--code", "BAD4", "--off", "1.234"], /amount off must be a positive amount/],
      [["--code", "BAD5", "--percent", "10", "--tier", "7"], /no tier at position 7/],
      [
        ["--code", "BAD6", "--percent", "10", "--expires", "2001-01-01T00:00:00Z"],
        /expiry must be in the future/,
      ],
      [["--code", "BAD7", "--percent", "10", "--max-uses", "0"], /--max-uses must be a whole number/],
    ];
    for (const [args, reason] of cases) {
      const r = await telepay("promo", "add", "--channel", c, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
    const missing = await telepay("promo", "add", "--channel", "999999", "--code", "NOPE", "--percent", "5");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no channel with id 999999/);
    const unknown = await telepay("promo", "disable", "--channel", c, "--code", "NOPE");
    expect(unknown.code).toBe(1);
    const after = await backend.database.db
      .select()
      .from(promoCodes)
      .where(eq(promoCodes.channelId, channelId));
    expect(after).toEqual(before);
  }, 180_000);
});

describe("telepay channel add --trial-days --grace-days", () => {
  const base = (open: string, closed: string) => [
    "channel",
    "add",
    "--owner",
    "444",
    "--open",
    open,
    "--closed",
    closed,
    "--tier",
    "9.99:30",
    "--wallet",
    "TWallet12345678",
    "--currency",
    "usdttrc20",
  ];
  it("stores them and channel show --json reports them", async () => {
    const added = await telepay(
      ...base("-1003200000001", "-1003200000002"),
      "--trial-days",
      "7",
      "--grace-days",
      "3",
      "--json",
    );
    expect(added.stderr).toBe("");
    const created = JSON.parse(added.stdout);
    expect(created).toMatchObject({ trialDays: 7, graceDays: 3 });
    const shown = JSON.parse((await telepay("channel", "show", String(created.id), "--json")).stdout);
    expect(shown).toMatchObject({ trialDays: 7, graceDays: 3 });
    const plain = JSON.parse((await telepay(...base("-1003200000003", "-1003200000004"), "--json")).stdout);
    expect(plain).toMatchObject({ trialDays: 0, graceDays: 0 });
  }, 120_000);

  it("refuses negative or too long values with one line, creating nothing", async () => {
    for (const [flag, value] of [
      ["--trial-days", "-1"],
      ["--trial-days", "400"],
      ["--grace-days", "91"],
      ["--grace-days", "two"],
    ] as const) {
      const r = await telepay(...base("-1003200000005", "-1003200000006"), flag, value);
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag} must be a whole number of days`));
    }
    const listed = JSON.parse((await telepay("channel", "list", "--json")).stdout);
    expect(listed.some((c: { openChatId: string }) => c.openChatId === "-1003200000005")).toBe(false);
  }, 120_000);
});

describe("telepay broadcast", () => {
  it("sends to an audience, reports status, cancels; --json everywhere", async () => {
    const { db } = backend.database;
    await db.insert(users).values([{ telegramId: 9001n }, { telegramId: 9002n }]);
    const now = new Date();
    await db.insert(subscriptions).values(
      [9001n, 9002n].map((userId) => ({
        userId,
        channelId,
        startsAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        nextCheckAt: new Date(now.getTime() + 86_400_000),
      })),
    );
    const file = join(tmpdir(), `broadcast-${process.pid}.txt`);
    await writeFile(file, "<b>Not bold</b> & news");
    const sent = await telepay("broadcast", "send", "--channel", String(channelId), "--file", file, "--json");
    expect(sent.stderr).toBe("");
    const created = JSON.parse(sent.stdout);
    expect(created).toMatchObject({ channelId, audience: "active", status: "sending", total: 2, pending: 2 });
    const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, created.id));
    expect(row!.text).toBe("<b>Not bold</b> & news");
    const status = JSON.parse((await telepay("broadcast", "status", String(created.id), "--json")).stdout);
    expect(status).toMatchObject({ id: created.id, status: "sending", sent: 0, blocked: 0 });
    const cancelled = JSON.parse((await telepay("broadcast", "cancel", String(created.id), "--json")).stdout);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelled: 2 });
    const again = await telepay("broadcast", "cancel", String(created.id));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already cancelled/);
  }, 120_000);

  it("refuses bad input and the daily limit with one line; validates the limit variable", async () => {
    const c = String(channelId);
    const bad: [string[], number, RegExp][] = [
      [["--text", "hi", "--audience", "everyone"], 2, /audience must be one of active, expired, all/],
      [["--text", "   "], 2, /message is empty/],
      [["--text", "hi", "--file", "/nope"], 2, /either --text/],
      [["--file", "/no/such/file"], 2, /no such file/],
      [["--text", "hi", "--audience", "expired"], 2, /nobody to send this to/],
    ];
    for (const [args, code, reason] of bad) {
      const r = await telepay("broadcast", "send", "--channel", c, ...args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).toMatch(reason);
    }
    const limited = await runTelepayInProcess(["broadcast", "send", "--channel", c, "--text", "hi"], {
      ...backend.env,
      BROADCASTS_PER_CHANNEL_PER_DAY: "1",
    });
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/already sent 1 broadcast\(s\) in the last 24 hours/);
    const invalid = await runTelepayInProcess(["broadcast", "send", "--channel", c, "--text", "hi"], {
      ...backend.env,
      BROADCASTS_PER_CHANNEL_PER_DAY: "lots",
    });
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/BROADCASTS_PER_CHANNEL_PER_DAY/);
  }, 180_000);
});
