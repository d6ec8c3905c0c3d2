// The database suites run once per target in the same run: always on in-memory PGlite, and also on
// a fresh Postgres database when TEST_DATABASE_URL names a server (CI sets it).
//
// createTestDatabase lives in @telepay/testing, which depends on @telepay/db; importing its source
// file directly avoids a package dependency cycle that turbo would reject.
import { createTestDatabase, type TestDatabase } from "../../testing/src/test-database.ts";
import { channels, type Db, tiers, users } from "../src/index.ts";

export interface Target {
  name: "pglite" | "postgres";
  serverUrl: string | undefined;
}

export const serverUrl = process.env.TEST_DATABASE_URL || undefined;

export const targets: Target[] = [
  { name: "pglite", serverUrl: undefined },
  ...(serverUrl ? [{ name: "postgres" as const, serverUrl }] : []),
];

export function openTarget(target: Target): Promise<TestDatabase> {
  return createTestDatabase(target.serverUrl);
}

let nextChat = 1_000_000_000_000n;

/** A channel with its owner user and one active tier per price given. */
export async function seedChannel(db: Db, prices: string[] = ["9.99"]) {
  const owner = 7_000_000_001n + nextChat;
  await db.insert(users).values({ telegramId: owner, firstName: "Owner" });
  const [channel] = await db
    .insert(channels)
    .values({
      ownerTelegramId: owner,
      openChatId: -nextChat++,
      closedChatId: -nextChat++,
      openTitle: "Open",
      closedTitle: "Closed",
      payoutWallet: "TWallet",
      payoutCurrency: "usdttrc20",
    })
    .returning();
  const tierRows = await db
    .insert(tiers)
    .values(
      prices.map((price, i) => ({
        channelId: channel!.id,
        position: i + 1,
        price,
        durationDays: 30 * (i + 1),
      })),
    )
    .returning();
  return { channel: channel!, tiers: tierRows, owner };
}

/** Resolves to the rejection of `promise` (fails the test if it fulfils). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the statement to be rejected");
}
