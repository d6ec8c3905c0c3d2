import { channels, promoCodes, tiers } from "@telepay/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, runTelepay } from "./helpers.ts";

let backend: CliBackend;
const telepay = (...args: string[]) => runTelepay(args, backend.env);
let channelId: number;

beforeAll(async () => {
  backend = await createCliBackend();
  const { db } = backend.database;
  const [channel] = await db
    .insert(channels)
    .values({
      ownerTelegramId: 444n,
      openChatId: -1003100000001n,
      closedChatId: -1003100000002n,
      payoutWallet: "TWallet",
      payoutCurrency: "usdttrc20",
    })
    .returning();
  channelId = channel!.id;
  await db.insert(tiers).values([
    { channelId, position: 1, price: "10", durationDays: 30 },
    { channelId, position: 2, price: "25", durationDays: 90 },
  ]);
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
