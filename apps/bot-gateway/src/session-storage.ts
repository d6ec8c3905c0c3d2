import { botSessions, type Db } from "@telepay/db";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { StorageAdapter } from "grammy";

export interface SessionStorageOptions {
  /** Rows untouched for this long are treated as gone (and may be pruned). Default 30 days. */
  ttlMs?: number;
  /** Key prefix so several adapters (session, conversations) can share the table. */
  prefix?: string;
  now?: () => Date;
}

const DEFAULT_TTL_MS = 30 * 86_400_000;

/**
 * A grammY StorageAdapter over `bot_sessions`: conversation and keypad state survives restarts and
 * is shared by every instance (docs/legacy-mistakes.md#lm-6). An empty object is stored as "no row", so users
 * who finished every flow leave nothing behind.
 */
export function createSessionStorage<T extends object>(
  db: Db,
  options: SessionStorageOptions = {},
): StorageAdapter<T> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new Error(`ttlMs must be positive, got ${ttlMs}`);
  const prefix = options.prefix ?? "s:";
  const now = options.now ?? (() => new Date());
  const k = (key: string) => `${prefix}${key}`;

  return {
    async read(key) {
      const [row] = await db
        .select({ value: botSessions.value })
        .from(botSessions)
        .where(
          and(
            eq(botSessions.key, k(key)),
            or(isNull(botSessions.expiresAt), gt(botSessions.expiresAt, now())),
          ),
        );
      return row ? (row.value as T) : undefined;
    },
    async write(key, value) {
      if (isEmpty(value)) {
        await db.delete(botSessions).where(eq(botSessions.key, k(key)));
        return;
      }
      const at = now();
      const expiresAt = new Date(at.getTime() + ttlMs);
      await db
        .insert(botSessions)
        .values({ key: k(key), value, expiresAt, updatedAt: at })
        .onConflictDoUpdate({ target: botSessions.key, set: { value, expiresAt, updatedAt: at } });
    },
    async delete(key) {
      await db.delete(botSessions).where(eq(botSessions.key, k(key)));
    },
  };
}

function isEmpty(value: object): boolean {
  return Object.values(value).every((v) => v === undefined || v === null);
}
