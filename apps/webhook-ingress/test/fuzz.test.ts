import { outbox } from "@telepay/db";
import { TOPICS } from "@telepay/events";
import { signIpn } from "@telepay/payments";
import { createTestDatabase, type TestDatabase } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/index.ts";
import {
  type App,
  baseConfig,
  ipnBody,
  memoryLogger,
  postIpn,
  prng,
  type SeededOrder,
  seedOrder,
} from "./helpers.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
const CASES = 500;

let database: TestDatabase;
let app: App;
let paid: SeededOrder;
let base: Record<string, unknown>;

beforeAll(async () => {
  database = await createTestDatabase(process.env.TEST_DATABASE_URL);
  // The rate limiter is not under test here; a large bucket keeps it from masking other answers.
  app = (
    await createApp({
      db: database,
      config: { ...baseConfig, rateLimit: { perMinute: 100_000, burst: 100_000 } },
      logger: memoryLogger().logger,
    })
  ).app;
  paid = await seedOrder(database);
  base = ipnBody(paid, "finished");
  const first = await postIpn(app, base);
  expect(await first.json()).toMatchObject({ outcome: "confirmed" });
});
afterAll(async () => {
  await database?.close();
});

function generator(seed: number) {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const deep = (n: number): unknown => (n === 0 ? "bottom" : { d: deep(n - 1) });
  const values: (() => unknown)[] = [
    () => null,
    () => "",
    () => 0,
    () => -1,
    () => -0,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 0.1 + 0.2,
    () => 1e-7,
    () => "1e999",
    () => "NaN",
    () => "  4.99 ",
    () => "abc",
    () => true,
    () => [],
    () => [1, "two", { three: 3 }],
    () => ({}),
    () => ({ nested: { deeper: [null, 1.5] } }),
    () => "\u0000",
    () => "a\ud800b",
    () => "x".repeat(600),
    () => "Доступ «VIP» 🚀",
    () => "finished",
    () => paid.reference,
    () => paid.reference.toUpperCase(),
    () => String(Math.floor(rand() * 1e12)),
    () => Math.floor(rand() * 1e12),
    () => deep(20),
    () => "'; drop table payments; --",
  ];
  const value = () => pick(values)();
  const keys = Object.keys(base);
  const statuses = [
    "waiting",
    "confirming",
    "confirmed",
    "sending",
    "partially_paid",
    "finished",
    "failed",
    "refunded",
    "expired",
    "FINISHED",
    "paid",
    "",
  ];

  function mutate(): unknown {
    if (rand() < 0.05) return value(); // a random body of any shape
    const body: Record<string, unknown> = structuredClone(base);
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.2) delete body[pick(keys)];
      else if (r < 0.5) body[pick(keys)] = value();
      else if (r < 0.6) body[`extra_${Math.floor(rand() * 100)}`] = value();
      else if (r < 0.75) body.payment_status = pick(statuses);
      else if (r < 0.85)
        body.payment_id = pick([value(), Math.floor(rand() * 1e10), String(Math.floor(rand() * 1e10))]);
      else if (r < 0.95) body.order_id = value();
      else body.fee = value();
    }
    return body;
  }

  /** A byte-level change to the JSON text (truncation, a flipped character, junk appended). */
  function corrupt(text: string): string {
    const at = Math.floor(rand() * text.length);
    const r = rand();
    if (r < 0.33) return text.slice(0, at);
    if (r < 0.66)
      return `${text.slice(0, at)}${String.fromCharCode(32 + Math.floor(rand() * 90))}${text.slice(at + 1)}`;
    return `${text}${pick(["}", ",", " ", "null", "\u0000"])}`;
  }
  return { rand, mutate, corrupt };
}

describe("fuzz: mutated and random IPN bodies", () => {
  it(`${CASES} seeded cases (seed ${SEED}) never answer 5xx and never confirm anything new`, async () => {
    const g = generator(SEED);
    const originalSignature = signIpn(base, baseConfig.ipnSecret);
    const seen: Record<number, number> = {};
    for (let i = 0; i < CASES; i++) {
      const body = g.mutate();
      const mode = g.rand();
      let res: Response;
      if (mode < 0.6) {
        // Correctly signed: gets past authentication, so validation and processing are what is tested.
        res = await postIpn(app, body);
      } else if (mode < 0.85) {
        // The original signature on a changed body: a forgery.
        res = await postIpn(app, body, { signature: originalSignature });
      } else {
        res = await postIpn(app, body, {
          raw: g.corrupt(JSON.stringify(body) ?? "null"),
          signature: originalSignature,
        });
      }
      seen[res.status] = (seen[res.status] ?? 0) + 1;
      if (res.status >= 500) {
        throw new Error(
          `case ${i} (seed ${SEED}) answered ${res.status}: ${await res.text()}\n${JSON.stringify(body)}`,
        );
      }
    }
    // Each kind of answer was exercised, not just one.
    expect(seen[200]).toBeGreaterThan(20);
    expect(seen[400]).toBeGreaterThan(20);
    expect(seen[401]).toBeGreaterThan(20);
    const confirmed = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.topic, TOPICS.paymentConfirmed));
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.orderingKey).toBe(paid.reference);
  });
});
