/** Exponential backoff settings for redelivery. */
export interface BackoffOptions {
  /** Delay before the second attempt; doubles on each further attempt. */
  initialMs?: number;
  /** Upper bound for one delay. */
  maxMs?: number;
}

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed attempts. */
export function backoffDelay(attempt: number, { initialMs = 50, maxMs = 5_000 }: BackoffOptions): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Resolves `p`, or `fallback` after `ms` — for shutdown paths that must not hang. */
export async function withDeadline<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback), ms);
        timer.unref?.();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
