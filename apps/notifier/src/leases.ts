import { randomUUID } from "node:crypto";
import { notices } from "@telepay/db";
import { eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "./context.ts";
import { describe } from "./telegram.ts";

/**
 * Leases on durable work rows (access grants, notices). A worker claims a row with a fresh token and
 * `lease_until = now + leaseMs`; while it works, this keeper renews the lease of every token the
 * process holds every leaseMs/3, so a slow Telegram call keeps its row, and a killed process lets
 * go within leaseMs. Every write a worker makes is fenced by its token (see access.ts), so a worker
 * whose lease was taken over cannot overwrite the new holder's work.
 */
export interface LeaseKeeper {
  /** A new token, renewed until `release` (call it in `finally`). */
  acquire(): string;
  release(token: string): void;
  /** Stops renewing (process shutdown); held rows lapse after the lease. */
  stop(): void;
  readonly leaseMs: number;
}

export function createLeaseKeeper(ctx: Pick<Ctx, "db" | "core" | "log">, leaseMs: number): LeaseKeeper {
  if (!Number.isInteger(leaseMs) || leaseMs < 1_000) throw new TypeError("leaseMs must be ≥ 1000");
  const held = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let renewing = false;

  async function renew() {
    if (renewing || held.size === 0) return;
    renewing = true;
    const tokens = [...held];
    const until = sql`now() + ${leaseMs} * interval '1 millisecond'`;
    try {
      await ctx.core.grantDelivery.renewLeases(tokens, leaseMs);
      await ctx.db.update(notices).set({ leaseUntil: until }).where(inArray(notices.leaseToken, tokens));
    } catch (err) {
      // The lease may lapse and another worker take over; fencing keeps that safe.
      ctx.log.warn({ err: describe(err), held: tokens.length }, "lease renewal failed");
    } finally {
      renewing = false;
    }
  }

  function ensureTimer() {
    if (timer || held.size === 0) return;
    timer = setInterval(() => void renew(), Math.max(250, Math.floor(leaseMs / 3)));
    timer.unref();
  }

  return {
    leaseMs,
    acquire() {
      const token = randomUUID();
      held.add(token);
      ensureTimer();
      return token;
    },
    release(token) {
      held.delete(token);
      if (held.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    },
    stop() {
      held.clear();
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Frees every lease at once. Only for a process that knows it is alone on the database (embedded
 * PGlite, locked to one process): any lease there belongs to a run that is gone.
 */
export async function releaseLeases(ctx: Pick<Ctx, "db" | "core">): Promise<void> {
  await ctx.core.grantDelivery.releaseAllLeases();
  await ctx.db.update(notices).set({ leaseUntil: sql`now()` }).where(eq(notices.state, "sending"));
}

/** Retry delay after the n-th failed attempt: 2 s, 4 s, 8 s … at most 2 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(120_000, 1_000 * 2 ** Math.max(1, Math.min(attempts, 10)));
}

export { LeaseLostError } from "@telepay/commerce";
