import { type Database, type DbOrTx, replayGuard } from "@telepay/db";
import { lt, sql } from "drizzle-orm";

/**
 * Remembers request signatures for their validity window so a captured request cannot be replayed.
 * `seen` records `key` and answers whether it was already there, atomically.
 */
export interface ReplayStore {
  /** True if `key` was recorded before and has not expired; otherwise records it for `ttlSeconds`. */
  seen(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * In-process store: enough for one instance (standalone, tests). Expired keys are pruned as it goes,
 * so memory stays bounded by the traffic of one validity window.
 */
export function createMemoryReplayStore(options: { now?: () => number } = {}): ReplayStore {
  const now = options.now ?? Date.now;
  const keys = new Map<string, number>();
  let nextPrune = 0;
  return {
    async seen(key, ttlSeconds) {
      const t = now();
      if (t >= nextPrune) {
        for (const [k, expiresAt] of keys) if (expiresAt <= t) keys.delete(k);
        nextPrune = t + 60_000;
      }
      const expiresAt = keys.get(key);
      if (expiresAt !== undefined && expiresAt > t) return true;
      keys.set(key, t + ttlSeconds * 1000);
      return false;
    },
  };
}

/**
 * Store in the `replay_guard` table, shared by every instance (Cloud Run scales out: a replay sent
 * to another instance must still be refused). The insert is the claim: `on conflict` only revives a
 * key whose window has passed. Expired rows are deleted at most once per `pruneEveryMs`.
 */
export function createDbReplayStore(
  database: DbOrTx | Database,
  options: { pruneEveryMs?: number } = {},
): ReplayStore {
  // Accept the createDb() handle as well as its drizzle `db`.
  const db: DbOrTx = "health" in database && "db" in database ? database.db : (database as DbOrTx);
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let nextPrune = 0;
  return {
    async seen(key, ttlSeconds) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const claimed = await db
        .insert(replayGuard)
        .values({ key, expiresAt })
        .onConflictDoUpdate({
          target: replayGuard.key,
          set: { expiresAt },
          setWhere: sql`${replayGuard.expiresAt} <= now()`,
        })
        .returning({ key: replayGuard.key });
      if (Date.now() >= nextPrune) {
        nextPrune = Date.now() + pruneEveryMs;
        // Housekeeping only: a failure here must not fail the request.
        db.delete(replayGuard)
          .where(lt(replayGuard.expiresAt, sql`now()`))
          .then(
            () => {},
            () => {},
          );
      }
      return claimed.length === 0;
    },
  };
}
