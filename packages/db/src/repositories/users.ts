import { sql } from "drizzle-orm";
import { users } from "../schema/users.ts";
import type { DbOrTx } from "../types.ts";

export type User = typeof users.$inferSelect;

export interface UpsertUserInput {
  telegramId: bigint;
  username?: string | null | undefined;
  firstName?: string | undefined;
  languageCode?: string | null | undefined;
}

/**
 * Records a Telegram user as last seen (names change; the id does not). A user who writes to the
 * bot has evidently unblocked it, so `botBlockedAt` is cleared.
 */
export async function upsertUser(db: DbOrTx, input: UpsertUserInput): Promise<User> {
  const values = {
    telegramId: input.telegramId,
    username: input.username ?? null,
    firstName: input.firstName ?? "",
    languageCode: input.languageCode ?? null,
  };
  const [row] = await db
    .insert(users)
    .values(values)
    .onConflictDoUpdate({
      target: users.telegramId,
      set: {
        username: values.username,
        firstName: values.firstName,
        languageCode: values.languageCode,
        botBlockedAt: null,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return row!;
}
