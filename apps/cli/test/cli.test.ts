import { auditLog, channels, orders, outbox, payments, subscriptions, tiers, users } from "@telepay/db";
import { seedChannel } from "@telepay/testing";
import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliBackend,
  createCliBackend,
  pool,
  type RunResult,
  runTelepay,
  runTelepayInProcess,
} from "./helpers.ts";

let backend: CliBackend;
/** In this process (runCli); the few real-binary runs below call runTelepay and say why. */
const telepay = (...args: string[]) => runTelepayInProcess(args, backend.env);
const DAY = 86_400_000;

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

/** Exit code and the single stderr line, for bad-input assertions. */
function failure(result: RunResult) {
  return {
    code: result.code,
    lines: result.stderr.trimEnd().split("\n").length,
    stderr: result.stderr.trim(),
  };
}

const OPEN = "-1001000000001";
const CLOSED = "-1001000000002";
const addArgs = [
  "channel",
  "add",
  "--owner",
  "111",
  "--open",
  OPEN,
  "--closed",
  CLOSED,
  "--tier",
  "9.99:30:Monthly",
  "--tier",
  "99.00:365:Yearly: best value",
  "--wallet",
  "TXYZabcdefgh12345",
  "--currency",
  "USDTTRC20",
  "--network",
  "trx",
  "--lang",
  "pt-BR",
];
let channelId: number;

describe("db migrate", () => {
  it("applies migrations (idempotently) and reports it", async () => {
    // Spawns: the one success through the real binary (exit status 0, JSON on stdout, stderr empty).
    const out = json(await runTelepay(["db", "migrate", "--json"], backend.env));
    expect(out.status).toBe("migrated");
    expect(out.target).toContain(backend.kind);
  });
});

describe("channel", () => {
  it("adds a channel with its tiers, money as decimal strings and ids as strings", async () => {
    const out = json(await telepay(...addArgs, "--json"));
    channelId = out.id;
    expect(out).toMatchObject({
      ownerTelegramId: "111",
      openChatId: OPEN,
      closedChatId: CLOSED,
      payoutCurrency: "usdttrc20",
      payoutNetwork: "trx",
      language: "pt-BR",
      status: "active",
    });
    expect(
      out.tiers.map((t: { price: string; durationDays: number; label: string }) => [
        t.price,
        t.durationDays,
        t.label,
      ]),
    ).toEqual([
      ["9.99", 30, "Monthly"],
      ["99", 365, "Yearly: best value"],
    ]);
    const { db } = backend.database;
    const stored = await db
      .select()
      .from(tiers)
      .where(eq(tiers.channelId, channelId))
      .orderBy(asc(tiers.position));
    expect(stored.map((t) => Number(t.price))).toEqual([9.99, 99]);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.channelId, channelId));
    expect(audit).toMatchObject({ actor: "cli", action: "channel.created" });
  });

  it("refuses a chat already used by another channel, changing nothing", async () => {
    // Spawns: the one failure through the real binary (exit status 1, one line on stderr only).
    const r = await runTelepay(
      addArgs.map((a) => (a === CLOSED ? "-1001000000099" : a)),
      backend.env,
    );
    expect(r.stdout).toBe("");
    expect(failure(r)).toMatchObject({ code: 1, lines: 1 });
    expect(failure(r).stderr).toBe(`telepay: error: chat ${OPEN} is already used by channel ${channelId}`);
    const [row] = await backend.database.db.select({ n: count() }).from(channels);
    expect(row!.n).toBe(1);
  });

  it("lists and shows channels", async () => {
    const list = json(await telepay("channel", "list", "--json"));
    expect(list).toEqual([
      expect.objectContaining({ id: channelId, openChatId: OPEN, tierCount: 2, activeSubscriptions: 0 }),
    ]);
    const human = await telepay("channel", "list");
    expect(human.stdout).toMatch(
      new RegExp(`^${channelId}\\s+111\\s+${OPEN}\\s+${CLOSED}\\s+active\\s+2\\s+0`, "m"),
    );
    const show = json(await telepay("channel", "show", String(channelId), "--json"));
    expect(show).toMatchObject({ id: channelId, posts: [], subscriptionCounts: {}, language: "pt-BR" });
    expect(show.tiers).toHaveLength(2);
    expect((await telepay("channel", "show", String(channelId))).stdout).toContain("9.99 USD");
  });

  it("publish --no-wait enqueues channel.publish_requested through the outbox (never Telegram)", async () => {
    const out = json(await telepay("channel", "publish", String(channelId), "--no-wait", "--json"));
    expect(out).toMatchObject({ channelId, kinds: ["tiers", "donation"], outcome: "queued" });
    const [event] = await backend.database.db.select().from(outbox).where(eq(outbox.eventId, out.eventId));
    expect(event).toMatchObject({
      topic: "channel.publish_requested",
      payload: { channelId, kinds: ["tiers", "donation"], requestedBy: "cli" },
      publishedAt: null,
    });
  });
});

describe("subscription", () => {
  const user = "900000000001";
  let subscriptionId: number;

  it("grants for --days: row, subscription.changed event and audit entry", async () => {
    const before = Date.now();
    const out = json(
      await telepay(
        "subscription",
        "grant",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--days",
        "10",
        "--no-wait",
        "--json",
      ),
    );
    subscriptionId = out.id;
    expect(out).toMatchObject({
      userId: user,
      channelId,
      status: "active",
      action: "grant",
      previousExpiresAt: null,
    });
    const expires = Date.parse(out.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 10 * DAY);
    expect(expires).toBeLessThan(Date.now() + 10 * DAY + 1);
    const { db } = backend.database;
    const [event] = await db.select().from(outbox).where(eq(outbox.eventId, out.eventId));
    expect(event).toMatchObject({
      topic: "subscription.changed",
      payload: {
        subscriptionId,
        action: "grant",
        userId: user,
        channelId,
        actor: "cli",
        expiresAt: out.expiresAt,
      },
    });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "subscription.grant"));
    expect(audits).toEqual([
      expect.objectContaining({ actor: "cli", subjectUserId: BigInt(user), channelId }),
    ]);
  });

  it("refuses a second grant and points to extend", async () => {
    const r = failure(
      await telepay("subscription", "grant", "--channel", String(channelId), "--user", user, "--days", "5"),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already has an active subscription .* use subscription extend$/);
  });

  it("extends by --days from the current expiry, and to an exact --until", async () => {
    const [current] = await backend.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscriptionId));
    const out = json(
      await telepay(
        "subscription",
        "extend",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--days",
        "5",
        "--no-wait",
        "--json",
      ),
    );
    expect(Date.parse(out.expiresAt)).toBe(current!.expiresAt.getTime() + 5 * DAY);
    expect(out.previousExpiresAt).toBe(current!.expiresAt.toISOString());
    const until = "2031-06-30T12:00:00+02:00";
    const exact = json(
      await telepay(
        "subscription",
        "extend",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--until",
        until,
        "--no-wait",
        "--json",
      ),
    );
    expect(exact.expiresAt).toBe("2031-06-30T10:00:00.000Z");
    const earlier = failure(
      await telepay(
        "subscription",
        "extend",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--until",
        "2030-01-01T00:00:00Z",
      ),
    );
    expect(earlier.code).toBe(1);
    expect(earlier.stderr).toContain("is not after the current expiry");
  });

  it("lists with filters", async () => {
    const all = json(await telepay("subscription", "list", "--json"));
    expect(all).toEqual([expect.objectContaining({ id: subscriptionId, userId: user, status: "active" })]);
    expect(json(await telepay("subscription", "list", "--status", "revoked", "--json"))).toEqual([]);
    expect(
      json(await telepay("subscription", "list", "--channel", String(channelId), "--json")),
    ).toHaveLength(1);
  });

  it("revokes, enqueuing the removal; a second revoke fails", async () => {
    const out = json(
      await telepay(
        "subscription",
        "revoke",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--no-wait",
        "--json",
      ),
    );
    expect(out).toMatchObject({ id: subscriptionId, status: "revoked", action: "revoke" });
    const events = await backend.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.topic, "subscription.changed"))
      .orderBy(asc(outbox.id));
    expect(events.map((e) => (e.payload as { action: string }).action)).toEqual([
      "grant",
      "extend",
      "extend",
      "revoke",
    ]);
    const again = failure(
      await telepay("subscription", "revoke", "--channel", String(channelId), "--user", user),
    );
    expect(again).toMatchObject({ code: 1, lines: 1 });
    expect(again.stderr).toContain("has no active subscription");
    // Granting after a revocation starts a fresh period on the same row.
    const regrant = json(
      await telepay(
        "subscription",
        "grant",
        "--channel",
        String(channelId),
        "--user",
        user,
        "--days",
        "1",
        "--no-wait",
        "--json",
      ),
    );
    expect(regrant).toMatchObject({ id: subscriptionId, status: "active" });
  });
});

describe("bad input: one line on stderr, non-zero exit, nothing changed", () => {
  const ch = () => String(channelId);
  const base = addArgs.slice(2);
  const withOption = (name: string, value: string | null) => {
    const args = [...base];
    const i = args.indexOf(name);
    if (value === null) args.splice(i, 2);
    else args[i + 1] = value;
    return ["channel", "add", ...args];
  };
  const cases: [string, () => string[], number, RegExp][] = [
    ["non-numeric chat id", () => withOption("--open", "abc"), 2, /--open must be a channel chat id/],
    ["positive chat id", () => withOption("--open", "1001000000001"), 2, /--open must be a channel chat id/],
    ["basic-group chat id", () => withOption("--closed", "-4567"), 2, /--closed must be a channel chat id/],
    ["same open and closed", () => withOption("--closed", OPEN), 2, /must be different channels/],
    ["tier without days", () => withOption("--tier", "9.99"), 2, /--tier must look like <price>:<days>/],
    ["tier zero price", () => withOption("--tier", "0:30"), 2, /must be greater than 0/],
    ["tier float junk", () => withOption("--tier", "1e3:30"), 2, /must be a decimal amount/],
    ["tier zero days", () => withOption("--tier", "9.99:0"), 2, /days .* between 1 and 3650/],
    ["missing owner", () => withOption("--owner", null), 2, /--owner is required/],
    ["bad owner", () => withOption("--owner", "-5"), 2, /--owner must be a Telegram user id/],
    ["bad wallet", () => withOption("--wallet", "has space"), 2, /--wallet must be a payout address/],
    ["bad currency", () => withOption("--currency", "$$"), 2, /--currency must be a NOWPayments ticker/],
    [
      "unknown language",
      () => withOption("--lang", "pt-br"),
      2,
      /^telepay: error: --lang must be one of en, ru, es, pt-BR, got 'pt-br'$/,
    ],
    [
      "unknown option",
      () => ["channel", "list", "--verbose"],
      2,
      /^telepay: error: Unknown option '--verbose'$/,
    ],
    [
      "missing option value",
      () => ["channel", "add", "--owner"],
      2,
      /^telepay: error: --owner needs a value$/,
    ],
    ["unknown command", () => ["chanel", "list"], 2, /unknown command 'chanel'/],
    ["missing subcommand", () => ["subscription"], 2, /unknown or missing subscription subcommand/],
    ["unknown channel (show)", () => ["channel", "show", "9999"], 1, /no channel with id 9999/],
    ["non-numeric channel id", () => ["channel", "show", "abc"], 2, /<id> must be a channel id/],
    ["unknown channel (publish)", () => ["channel", "publish", "9999"], 1, /no channel with id 9999/],
    [
      "grant unknown channel",
      () => ["subscription", "grant", "--channel", "9999", "--user", "5", "--days", "3"],
      1,
      /no channel with id 9999/,
    ],
    [
      "grant past --until",
      () => ["subscription", "grant", "--channel", ch(), "--user", "5", "--until", "2020-01-01T00:00:00Z"],
      2,
      /--until 2020-01-01T00:00:00.000Z is in the past/,
    ],
    [
      "grant naive --until",
      () => ["subscription", "grant", "--channel", ch(), "--user", "5", "--until", "2031-01-01T10:00"],
      2,
      /ISO 8601 time with a zone/,
    ],
    [
      "grant both",
      () => [
        "subscription",
        "grant",
        "--channel",
        ch(),
        "--user",
        "5",
        "--days",
        "3",
        "--until",
        "2031-01-01Z",
      ],
      2,
      /either --days or --until/,
    ],
    [
      "grant neither",
      () => ["subscription", "grant", "--channel", ch(), "--user", "5"],
      2,
      /give --days <n> or --until/,
    ],
    [
      "grant bad days",
      () => ["subscription", "grant", "--channel", ch(), "--user", "5", "--days", "1.5"],
      2,
      /--days must be a whole number/,
    ],
    [
      "grant bad user",
      () => ["subscription", "grant", "--channel", ch(), "--user", "@bob", "--days", "3"],
      2,
      /--user must be a Telegram user id/,
    ],
    [
      "revoke with days",
      () => ["subscription", "revoke", "--channel", ch(), "--user", "5", "--days", "3"],
      2,
      /revoke takes no --days/,
    ],
    [
      "extend nothing",
      () => ["subscription", "extend", "--channel", ch(), "--user", "5", "--days", "3"],
      1,
      /use subscription grant/,
    ],
    [
      "list bad status",
      () => ["subscription", "list", "--status", "paid"],
      2,
      /--status must be one of active, expired, revoked/,
    ],
    [
      "export bad since",
      () => ["payments", "export", "--since", "yesterday"],
      2,
      /--since must be an ISO 8601 time/,
    ],
    [
      "export unknown channel",
      () => ["payments", "export", "--channel", "9999"],
      1,
      /no channel with id 9999/,
    ],
    [
      "sweep without notifier",
      () => ["sweep"],
      1,
      /start TelePay \(pnpm start\) or set NOTIFIER_URL and WEBHOOK_SIGNING_SECRET/,
    ],
    ["stray argument", () => ["channel", "list", "extra"], 2, /unexpected argument 'extra'/],
  ];

  it("rejects each case with its message and leaves the database untouched", async () => {
    const { db } = backend.database;
    const snapshot = async () => ({
      channels: await db.select().from(channels).orderBy(asc(channels.id)),
      subscriptions: await db.select().from(subscriptions).orderBy(asc(subscriptions.id)),
      outbox: (await db.select({ n: count() }).from(outbox))[0]!.n,
      audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
      users: (await db.select({ n: count() }).from(users))[0]!.n,
    });
    const before = await snapshot();
    const results = await pool(cases, 4, async ([, args]) => telepay(...args(), "--json"));
    const mismatches = cases.flatMap(([name, , code, pattern], i) => {
      const r = results[i]!;
      const lines = r.stderr.trimEnd().split("\n");
      return r.code === code && lines.length === 1 && pattern.test(lines[0]!) && r.stdout === ""
        ? []
        : [{ name, code: r.code, stderr: r.stderr, stdout: r.stdout }];
    });
    expect(mismatches).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it("rejects a malformed environment in one line", async () => {
    // Spawns: a bad environment must fail before any command runs, in the real process (exit status 2).
    const r = await runTelepay(["channel", "list"], { DATABASE_URL: "mysql://nope" });
    expect(failure(r)).toEqual({
      code: 2,
      lines: 1,
      stderr: "telepay: error: invalid environment: DATABASE_URL must be a postgres:// URL",
    });
  });
});

describe("sweep --dry-run", () => {
  it("lists who would be removed and reminded without changing anything", async () => {
    const { db } = backend.database;
    const now = Date.now();
    await db.insert(users).values([{ telegramId: 71n }, { telegramId: 72n }, { telegramId: 73n }]);
    const rows = await db
      .insert(subscriptions)
      .values([
        // expired an hour ago: would be removed
        {
          userId: 71n,
          channelId,
          startsAt: new Date(now - 31 * DAY),
          expiresAt: new Date(now - 3_600_000),
          nextCheckAt: new Date(now - 3_600_000),
        },
        // expires in 20 hours: the 1-day reminder is due
        {
          userId: 72n,
          channelId,
          startsAt: new Date(now - DAY),
          expiresAt: new Date(now + 20 * 3_600_000),
          nextCheckAt: new Date(now),
          remindersSent: [3],
        },
        // expires in 20 days: nothing yet
        {
          userId: 73n,
          channelId,
          startsAt: new Date(now),
          expiresAt: new Date(now + 20 * DAY),
          nextCheckAt: new Date(now + 17 * DAY),
        },
      ])
      .returning();
    const before = await db.select().from(subscriptions).orderBy(asc(subscriptions.id));
    const out = json(await telepay("sweep", "--dry-run", "--json"));
    expect(out.dryRun).toBe(true);
    // Only this test's users (the subscription tests left a 1-day grant that is also due a reminder).
    const mine = (list: { userId: string }[]) => list.filter((s) => ["71", "72", "73"].includes(s.userId));
    expect(mine(out.removals)).toEqual([
      expect.objectContaining({ subscriptionId: rows[0]!.id, userId: "71", channelId }),
    ]);
    expect(mine(out.reminders)).toEqual([
      expect.objectContaining({ subscriptionId: rows[1]!.id, userId: "72", daysBefore: 1 }),
    ]);
    expect(await db.select().from(subscriptions).orderBy(asc(subscriptions.id))).toEqual(before);
    const human = await telepay("sweep", "--dry-run");
    expect(human.stdout).toContain("Would remove (1):");
    expect(human.stdout).toMatch(/^\d+\s+71\s+/m);
  });
});

describe("payments export", () => {
  const TOTAL = 1203; // crosses two batch boundaries (500)

  beforeAll(async () => {
    const { db } = backend.database;
    const { channel: other } = await seedChannel(db, { ownerTelegramId: 5n });
    await db.insert(users).values({ telegramId: 4242n }).onConflictDoNothing();
    const [tier] = await db.select().from(tiers).where(eq(tiers.channelId, channelId)).limit(1);
    const base = Date.parse("2026-01-01T00:00:00Z");
    const orderRows = await db
      .insert(orders)
      .values(
        Array.from({ length: TOTAL }, (_, i) => ({
          reference: `ref_${i}`,
          kind: "subscription" as const,
          userId: 4242n,
          channelId: i % 3 === 0 ? other.id : channelId,
          tierId: tier!.id,
          durationDays: 30,
          amount: "9.99",
          currency: "USD",
          status: "finished" as const,
        })),
      )
      .returning({ id: orders.id, reference: orders.reference, channelId: orders.channelId });
    // Payments share timestamps in groups of 7, so the keyset's payment_id tie-break matters.
    for (let start = 0; start < TOTAL; start += 400) {
      await db.insert(payments).values(
        orderRows.slice(start, start + 400).map((o, j) => {
          const i = start + j;
          return {
            paymentId: `p${String(i).padStart(5, "0")}`,
            orderId: o.id,
            orderReference: o.reference,
            invoiceId: i === 5 ? 'inv,"quoted"\nline' : `inv${i}`,
            status: "finished",
            priceAmount: "9.99",
            priceCurrency: "usd",
            payAmount: "0.000123456789012345",
            actuallyPaid: "0.000123456789012345",
            payCurrency: "btc",
            raw: { i },
            // Microseconds on purpose: a cursor that drops them (JS Date) repeats rows across pages.
            createdAt: sql`${new Date(base + Math.floor(i / 7) * 60_000).toISOString()}::timestamptz + interval '250 microseconds'`,
          };
        }),
      );
    }
  }, 60_000);

  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        row.push(field);
        field = "";
      } else if (c === "\n") {
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
      } else field += c;
    }
    return rows;
  }

  it("streams every payment as RFC 4180 CSV, oldest first, amounts exact", async () => {
    const r = await telepay("payments", "export");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(""); // no progress noise when stderr is not a terminal
    const [header, ...rows] = parseCsv(r.stdout);
    expect(rows).toHaveLength(TOTAL);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => row[col("paymentId")])).toEqual(
      Array.from({ length: TOTAL }, (_, i) => `p${String(i).padStart(5, "0")}`),
    );
    expect(rows[5]![col("invoiceId")]).toBe('inv,"quoted"\nline');
    expect(rows[0]![col("payAmount")]).toBe("0.000123456789012345");
    expect(rows[0]![col("orderAmount")]).toBe("9.99");
    expect(rows[1]![col("userId")]).toBe("4242");
    expect(rows[1]![col("createdAt")]).toBe("2026-01-01T00:00:00.000Z"); // ISO, millisecond precision
  }, 60_000);

  it("filters by --channel and --since, and --json gives NDJSON", async () => {
    const r = await telepay(
      "payments",
      "export",
      "--channel",
      String(channelId),
      "--since",
      "2026-01-01T02:00:00Z",
      "--json",
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    // --since 2h → index ≥ 120*7 = 840; the channel has indexes not divisible by 3.
    const expected = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i >= 840 && i % 3 !== 0);
    expect(lines.map((l) => l.paymentId)).toEqual(expected.map((i) => `p${String(i).padStart(5, "0")}`));
    expect(lines[0]).toMatchObject({
      channelId,
      userId: "4242",
      status: "finished",
      actuallyPaid: "0.000123456789012345",
    });
  }, 60_000);
});

describe("--help", () => {
  it("every command prints its usage and exits 0", async () => {
    const paths = [
      ["db", "migrate"],
      ["channel", "add"],
      ["channel", "list"],
      ["channel", "show"],
      ["channel", "publish"],
      ["subscription", "list"],
      ["subscription", "grant"],
      ["subscription", "extend"],
      ["subscription", "revoke"],
      ["sweep"],
      ["relay"],
      ["payments", "export"],
    ];
    const results = await pool(paths, 4, (p) => runTelepayInProcess([...p, "--help"], {}));
    results.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`Usage: telepay ${paths[i]!.join(" ")}`)).toBe(true);
      expect(r.stdout).toContain("--json");
    });
    // Spawns: --help of the real binary, with no environment at all, exits 0 with the list on stdout.
    const top = await runTelepay(["--help"], {});
    expect(top.code).toBe(0);
    for (const p of paths) expect(top.stdout).toContain(p.join(" "));
  }, 60_000);
});
