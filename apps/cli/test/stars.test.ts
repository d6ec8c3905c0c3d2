import { auditLog, channels, tiers } from "@telepay/db";
import { asc, count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, pool, type RunResult, runTelepay } from "./helpers.ts";

let backend: CliBackend;
const telepay = (...args: string[]) => runTelepay(args, backend.env);

beforeAll(async () => {
  backend = await createCliBackend();
}, 60_000);
afterAll(async () => {
  await backend?.close();
});

function json(result: RunResult) {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

let chat = -1001770000000;
function addArgs(...extra: string[]) {
  return [
    "channel",
    "add",
    "--owner",
    "111",
    "--open",
    String(--chat),
    "--closed",
    String(--chat),
    "--tier",
    "9.99:30:Monthly",
    "--tier",
    "99:365:Yearly",
    "--wallet",
    "TXYZabcdefgh12345",
    "--currency",
    "usdttrc20",
    ...extra,
  ];
}

describe("channel add --rails --stars", () => {
  it("stores the rails and one Stars price per tier; channel show --json reports them", async () => {
    const created = json(await telepay(...addArgs("--rails", "both", "--stars", "250,2000"), "--json"));
    expect(created.rails).toBe("both");
    expect(created.tiers.map((t: { starsPrice: number }) => t.starsPrice)).toEqual([250, 2000]);
    const shown = json(await telepay("channel", "show", String(created.id), "--json"));
    expect(shown.rails).toBe("both");
    expect(shown.tiers.map((t: { starsPrice: number | null }) => t.starsPrice)).toEqual([250, 2000]);
    const human = await telepay("channel", "show", String(created.id));
    expect(human.stdout).toContain("rails          both");
  }, 60_000);

  it("defaults to crypto without Stars prices", async () => {
    const created = json(await telepay(...addArgs(), "--json"));
    expect(created.rails).toBe("crypto");
    expect(created.tiers.map((t: { starsPrice: number | null }) => t.starsPrice)).toEqual([null, null]);
  }, 60_000);

  it("refuses bad rails and Stars prices in one line, changing nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["--rails", "paypal"], /--rails must be crypto, stars or both/],
      [["--rails", "stars"], /--rails stars\|both needs --stars/],
      [["--rails", "both", "--stars", "250"], /--stars needs one price per --tier \(2\), got 1/],
      [["--rails", "stars", "--stars", "250,0"], /--stars price for tier 2 must be a whole number/],
      [["--rails", "stars", "--stars", "250,10001"], /--stars price for tier 2 must be a whole number/],
      [["--rails", "stars", "--stars", "2.5,10"], /--stars price for tier 1 must be a whole number/],
      [["--rails", "stars", "--stars", "abc,10"], /--stars price for tier 1 must be a whole number/],
    ];
    const { db } = backend.database;
    const snapshot = async () => ({
      channels: (await db.select({ n: count() }).from(channels))[0]!.n,
      tiers: (await db.select({ n: count() }).from(tiers))[0]!.n,
      audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
    });
    const before = await snapshot();
    const results = await pool(cases, 3, ([extra]) => telepay(...addArgs(...extra), "--json"));
    const wrong = cases.flatMap(([extra, pattern], i) => {
      const r = results[i]!;
      const lines = r.stderr.trimEnd().split("\n");
      return r.code === 2 && lines.length === 1 && pattern.test(lines[0]!) && r.stdout === ""
        ? []
        : [{ extra, code: r.code, stderr: r.stderr }];
    });
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const rows = await db.select().from(channels).orderBy(asc(channels.id));
    expect(rows.every((c) => c.rails === "crypto" || c.rails === "both")).toBe(true);
  }, 120_000);
});
