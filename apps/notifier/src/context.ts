import type { Commerce, ReconcileOptions, ReconcileResult } from "@telepay/commerce";
import type { Logger } from "@telepay/config";
import type { Database } from "@telepay/db";
import type { EventBus, OutboxRelay } from "@telepay/events";
import type { Api } from "grammy";
import type { LeaseKeeper } from "./leases.ts";

/** Settings the notifier needs (apps/notifier/src/env.ts builds them from the environment). */
export interface NotifierConfig {
  /** The bot's @username without "@", for deep links. */
  botUsername: string;
  /** Reminders before expiry, in days (default [3, 1]). */
  reminderDays?: readonly number[];
  /** Subscriptions claimed per sweep batch (default 1000). */
  sweepBatchSize?: number;
  /** Batches per sweep run at most (bounds one /jobs/sweep request; default 50). */
  sweepMaxBatches?: number;
  /** Interval of the built-in sweep loop; 0 or undefined = no loop (Cloud Scheduler calls /jobs/sweep). */
  sweepIntervalMs?: number;
  /** HMAC secret for /jobs/* (WEBHOOK_SIGNING_SECRET); several during a rotation. */
  signingSecret: string | readonly string[];
  /** ALLOWED_IPS: addresses and CIDRs that may call /jobs/* at all; empty = any (warned at start-up). */
  allowedIps: readonly string[];
  /** TRUSTED_PROXY_HOPS: proxies appending to X-Forwarded-For in front of us (default 0: the socket). */
  trustedProxyHops?: number;
  /** "subscribe" (default): start() subscribes on the bus; "push": Pub/Sub pushes to /pubsub/push. */
  consume?: "subscribe" | "push";
  /** Pub/Sub push requests (only with `consume: "push"`): their OIDC check. */
  push?: {
    /** On by default. Off only together with `emulator` (the emulator sends no token). */
    verifyOidc?: boolean;
    /** Set when Pub/Sub is the emulator (PUBSUB_EMULATOR_HOST): the only place verifyOidc may be off. */
    emulator?: boolean;
    /** Expected `aud` claim (the push endpoint URL or the audience set on the subscription). */
    audience?: string;
    /** The push subscription's service account; the token's `email` must match. */
    serviceAccountEmail?: string;
    /** Deliveries before a push message is dead-lettered (default 5). */
    maxDeliveryAttempts?: number;
  };
  /** Owner progress message edited every N deliveries (default 50). */
  broadcastProgressEvery?: number;
  /** Deliveries in flight at once during a broadcast (default 30; the sender paces them). */
  broadcastConcurrency?: number;
  /** Telegram calls in flight at once during a sweep batch (default 16). */
  sweepConcurrency?: number;
  /** How long a claimed piece of work stays claimed before another worker may take it over (default 2 min). */
  leaseMs?: number;
  /**
   * Lease on access grants and notices (default 15 s). Renewed while the worker lives, so it only
   * bounds how long a killed worker's rows wait before the re-drive takes them over.
   */
  workLeaseMs?: number;
  /** Interval of the built-in re-drive of unfinished grants and notices; 0 = none (default 10 s). */
  redriveIntervalMs?: number;
  /**
   * This process is the only one working on the database (the embedded PGlite is locked to it):
   * leases a killed previous run left are released at start instead of waiting for them to lapse.
   */
  exclusive?: boolean;
  /** Include Telegram (getMe) in /health (default false: Telegram being slow should not fail health). */
  healthChecksTelegram?: boolean;
  /**
   * Interval of the built-in reconciliation with NOWPayments (needs `reconciler` in the deps); 0 or
   * unset = none. It also runs once at start().
   */
  reconcileIntervalMs?: number;
  /**
   * Interval of the built-in Stars reconciliation (getStarTransactions, apps/notifier
   * stars-reconcile.ts); 0 or unset = none. It also runs once at start() and before every
   * scheduled sweep (POST /jobs/sweep), and only asks Telegram when Stars are in use.
   */
  starsReconcileIntervalMs?: number;
}

/** What createApp receives. */
export interface NotifierDeps {
  db: Database;
  bus: EventBus;
  /** grammY Api with the rate-limited sender installed (createTelegramApi). */
  api: Api;
  relay?: OutboxRelay;
  /** Asks NOWPayments about orders whose IPNs may have been lost (@telepay/commerce createReconciler). */
  reconciler?: { run(options?: ReconcileOptions): Promise<ReconcileResult> };
  config: NotifierConfig;
  logger: Logger;
}

/** Resolved settings and dependencies shared by every consumer. */
export interface Ctx {
  db: Database["db"];
  database: Database;
  /** The domain core: every state change of subscriptions, grants, notices and the sweep goes through it. */
  core: Commerce;
  api: Api;
  relay: OutboxRelay | undefined;
  log: Logger;
  botUsername: string;
  reminderDays: readonly number[];
  leaseMs: number;
  /** Leases on grants and notices, renewed while this process works on them. */
  leases: LeaseKeeper;
  progressEvery: number;
  broadcastConcurrency: number;
  sweepConcurrency: number;
  /** Set while the app stops: long loops (broadcasts, sweeps) stop taking new work. */
  stopping: { value: boolean };
}
