import type { ReconcileOptions, ReconcileResult } from "@telepay/commerce";
import { createCommerce, DEFAULT_REMINDER_DAYS } from "@telepay/commerce";
import type { AppHandle, HealthReport } from "@telepay/config";
import {
  checkEnvelope,
  deadLetterMessagesToDatabase,
  type EventBus,
  type EventEnvelope,
  type EventHandler,
  handlePushMessage,
  PoisonMessageError,
  type PubSubBus,
  TOPICS,
  type Topic,
} from "@telepay/events";
import {
  BODY_LIMITS,
  createDbReplayStore,
  createErrorHandler,
  hmacAuth,
  ipAllowlist,
  limitBody,
  notFound,
  requestIds,
  securityHeaders,
  securitySummary,
} from "@telepay/security";
import { catalogs, isPermanentTelegramError } from "@telepay/telegram";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { onBroadcastRequested } from "./broadcasts.ts";
import type { Ctx, NotifierDeps } from "./context.ts";
import { createLeaseKeeper, releaseLeases } from "./leases.ts";
import { onPaymentEvent } from "./payments.ts";
import { onPublishRequested } from "./posts.ts";
import { pushAuth } from "./push-auth.ts";
import { type RedriveResult, runRedrive } from "./redrive.ts";
import { runStarsReconcile, type StarsReconcileOptions, type StarsReconcilePass } from "./stars-reconcile.ts";
import { onSubscriptionChanged } from "./subscription-changed.ts";
import { runSweep, type SweepOptions, type SweepResult } from "./sweep.ts";
import { describe, telegramReason } from "./telegram.ts";

export type { NotifierConfig, NotifierDeps } from "./context.ts";
export type { RedriveOptions, RedriveResult } from "./redrive.ts";
export type { StarsReconcileOptions, StarsReconcilePass } from "./stars-reconcile.ts";
export type { SweepItem, SweepOptions, SweepResult } from "./sweep.ts";

/** The notifier's handle: the AppHandle contract plus the sweep (the CLI calls it) and its consumers. */
export interface NotifierApp extends AppHandle {
  /** Runs the expiry sweep once (`telepay sweep [--dry-run]`). */
  runSweep(options?: SweepOptions): Promise<SweepResult>;
  /** Resumes unfinished grants and notices once (also run on a timer and before each sweep). */
  runRedrive(options?: { orderIds?: readonly number[] }): Promise<RedriveResult>;
  /** One reconciliation pass with NOWPayments (also at start and on its timer); undefined without a reconciler. */
  runReconcile?(options?: ReconcileOptions): Promise<ReconcileResult>;
  /**
   * One Stars reconciliation pass (getStarTransactions against the recorded charges); also at start,
   * on `starsReconcileIntervalMs` and before every scheduled sweep (POST /jobs/sweep).
   */
  runStarsReconcile(options?: StarsReconcileOptions): Promise<StarsReconcilePass>;
  /** The consumer for each topic (what start() subscribes and /pubsub/push dispatches to). */
  readonly handlers: { [T in Topic]: EventHandler<T> };
}

const STOP_TIMEOUT_MS = 10_000;

const configSchema = z.object({
  botUsername: z.string().regex(/^[A-Za-z0-9_]{3,64}$/, "a bot username without @"),
  reminderDays: z.array(z.number().int().positive()).default([...DEFAULT_REMINDER_DAYS]),
  sweepBatchSize: z.number().int().positive().default(1000),
  sweepMaxBatches: z.number().int().positive().default(50),
  sweepIntervalMs: z.number().int().nonnegative().optional(),
  signingSecret: z.union([z.string().min(16), z.array(z.string().min(16)).min(1)]),
  allowedIps: z.array(z.string()),
  trustedProxyHops: z.number().int().min(0).max(16).default(0),
  push: z
    .object({
      verifyOidc: z.boolean().default(true),
      emulator: z.boolean().default(false),
      audience: z.string().optional(),
      serviceAccountEmail: z.string().optional(),
      maxDeliveryAttempts: z.number().int().min(1).default(5),
    })
    .prefault({})
    // Refused whatever `consume` says, so no composition can mount an unauthenticated push route.
    .refine((push) => push.verifyOidc || push.emulator, {
      message: "verifyOidc=false is allowed only against the Pub/Sub emulator (push.emulator: true)",
      path: ["verifyOidc"],
    }),
  broadcastProgressEvery: z.number().int().positive().default(50),
  broadcastConcurrency: z.number().int().positive().default(30),
  sweepConcurrency: z.number().int().positive().default(16),
  leaseMs: z.number().int().positive().default(120_000),
  workLeaseMs: z.number().int().min(1_000).default(15_000),
  redriveIntervalMs: z.number().int().nonnegative().default(10_000),
  exclusive: z.boolean().default(false),
  healthChecksTelegram: z.boolean().default(false),
  reconcileIntervalMs: z.number().int().nonnegative().default(0),
  starsReconcileIntervalMs: z.number().int().nonnegative().default(0),
  /** "subscribe": start() subscribes on the bus (in-process, streaming pull); "push": Pub/Sub pushes to /pubsub/push. */
  consume: z.enum(["subscribe", "push"]).default("subscribe"),
});

/** Subscription name per topic: one consumer per topic, each effect idempotent on its own key. */
export function subscriptionNameFor(topic: Topic): string {
  return `notifier-${topic.replace(/\./g, "-")}`;
}

/**
 * Creates the notifier: consumers for every topic (access grants, notices, posts, revocations,
 * broadcasts), the expiry sweep, and the routes `POST /jobs/sweep`, `POST /jobs/redrive`,
 * `POST /jobs/relay`, `GET /health` and, only when it consumes by push, `POST /pubsub/push`.
 * Every /jobs/* request passes, in this order: the IP allowlist, the body limit, the X-Signature
 * check. Nothing runs until `start()`.
 */
export async function createApp(deps: NotifierDeps): Promise<NotifierApp> {
  const parsed = configSchema.safeParse(deps.config);
  if (!parsed.success) throw new TypeError(`notifier config: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const { bus, api, logger } = deps;
  // Read the message catalogs now: a package without its locales/ fails at start, not at the first DM.
  catalogs();
  const core = createCommerce({
    db: deps.db.db,
    onEnqueued: () => deps.relay?.kick(),
    reminderDays: config.reminderDays,
  });
  const ctx: Ctx = {
    db: deps.db.db,
    database: deps.db,
    core,
    api,
    relay: deps.relay,
    log: logger,
    botUsername: config.botUsername,
    reminderDays: config.reminderDays,
    leaseMs: config.leaseMs,
    leases: createLeaseKeeper({ db: deps.db.db, core, log: logger }, config.workLeaseMs),
    progressEvery: config.broadcastProgressEvery,
    broadcastConcurrency: config.broadcastConcurrency,
    sweepConcurrency: config.sweepConcurrency,
    stopping: { value: false },
  };

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  /** Validates, runs, and maps failures: poison for bad payloads, a throw (→ redelivery) for the rest. */
  function consumer<T extends Topic>(
    topic: T,
    run: (ctx: Ctx, event: EventEnvelope<T>) => Promise<"ack" | "retry" | "busy">,
  ): EventHandler<T> {
    return async function consume(event) {
      if (ctx.stopping.value) return "retry";
      // The same checks as every consumer (createConsumer); the effects differ: Telegram calls fenced
      // by work-row leases, not one claiming transaction (docs/decisions/durable-work.md).
      const checked = checkEnvelope(topic, event as EventEnvelope<Topic>);
      if ("refused" in checked) {
        logger.error({ eventId: event.id, topic, err: checked.details }, checked.refused);
        return "poison";
      }
      try {
        return await track(run(ctx, checked.event));
      } catch (err) {
        if (err instanceof PoisonMessageError) {
          logger.error({ eventId: event.id, topic, err: err.message }, "event can never be handled");
          return "poison";
        }
        if (isPermanentTelegramError(err)) {
          // Telegram refused for good (chat not found, bad request, forbidden): redelivering only
          // repeats the refusal. Dead-letter it now, and record why for whoever waits on it.
          logger.error({ eventId: event.id, topic, err: describe(err) }, "Telegram refused the event's work");
          await ctx.core.outcomes
            .record({ eventId: event.id, topic, outcome: "failed", reason: telegramReason(err) })
            .catch((e: unknown) => logger.error({ err: describe(e) }, "event outcome not recorded"));
          // Thrown, not answered, so the dead letter carries Telegram's reason.
          throw new PoisonMessageError(`Telegram refused: ${telegramReason(err)}`, {
            topic,
            eventId: event.id,
            cause: err,
          });
        }
        logger.warn(
          { eventId: event.id, topic, err: describe(err) },
          "event handling failed; will be redelivered",
        );
        throw err;
      }
    };
  }

  const handlers = {
    [TOPICS.paymentConfirmed]: consumer(TOPICS.paymentConfirmed, onPaymentEvent),
    [TOPICS.paymentUpdated]: consumer(TOPICS.paymentUpdated, onPaymentEvent),
    [TOPICS.channelPublishRequested]: consumer(TOPICS.channelPublishRequested, onPublishRequested),
    [TOPICS.subscriptionChanged]: consumer(TOPICS.subscriptionChanged, onSubscriptionChanged),
    [TOPICS.broadcastRequested]: consumer(TOPICS.broadcastRequested, onBroadcastRequested),
  } as { [T in Topic]: EventHandler<T> };

  let sweeping: Promise<SweepResult> | undefined;
  const sweep = (options: SweepOptions = {}): Promise<SweepResult> => {
    // One sweep at a time per process (others across instances are kept apart by SKIP LOCKED).
    if (!options.dryRun && sweeping) return sweeping;
    const p = track(
      runSweep(ctx, {
        ...options,
        defaults: { batchSize: config.sweepBatchSize, maxBatches: config.sweepMaxBatches },
      }),
    );
    if (!options.dryRun) {
      sweeping = p;
      p.finally(() => {
        sweeping = undefined;
      }).catch(() => {});
    }
    return p;
  };

  let redriving: Promise<RedriveResult> | undefined;
  const redrive = (options: { orderIds?: readonly number[] } = {}): Promise<RedriveResult> => {
    // A full pass at a time per process (instances are kept apart by the leases); a pass for given
    // orders (CLI) runs at once.
    if (!options.orderIds && redriving) return redriving;
    const p = track(runRedrive(ctx, options));
    if (!options.orderIds) {
      redriving = p;
      p.finally(() => {
        redriving = undefined;
      }).catch(() => {});
    }
    return p;
  };
  const redriveQuietly = () =>
    redrive().catch((err: unknown) => logger.error({ err: describe(err) }, "re-drive failed"));

  let reconciling: Promise<ReconcileResult> | undefined;
  const reconciler = deps.reconciler;
  const reconcile = reconciler
    ? (options: ReconcileOptions = {}): Promise<ReconcileResult> => {
        // One full pass at a time per process; instances are kept apart by payment_checks claims.
        const full = options.orderReference === undefined && !options.dryRun;
        if (full && reconciling) return reconciling;
        const p = track(reconciler.run(options));
        if (full) {
          reconciling = p;
          p.finally(() => {
            reconciling = undefined;
          }).catch(() => {});
        }
        return p;
      }
    : undefined;
  const reconcileQuietly = () =>
    reconcile?.()
      .then((r) => {
        if (r.checked > 0) {
          const log = r.recorded > 0 || r.errors > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
          log(
            { checked: r.checked, recorded: r.recorded, errors: r.errors, skipped: r.skipped },
            r.recorded > 0
              ? "reconciliation recorded payments whose IPNs were missing"
              : "reconciliation pass",
          );
        }
      })
      .catch((err: unknown) => logger.error({ err: describe(err) }, "reconciliation failed"));

  let starsReconciling: Promise<StarsReconcilePass> | undefined;
  const starsReconcile = (options: StarsReconcileOptions = {}): Promise<StarsReconcilePass> => {
    // One recording pass at a time per process; across instances the charge id keeps it once.
    if (!options.dryRun && starsReconciling) return starsReconciling;
    const p = track(runStarsReconcile(ctx, options));
    if (!options.dryRun) {
      starsReconciling = p;
      p.finally(() => {
        starsReconciling = undefined;
      }).catch(() => {});
    }
    return p;
  };
  const starsReconcileQuietly = () =>
    starsReconcile()
      .then((r) => {
        if (r.missing.length > 0)
          logger.warn(
            {
              scanned: r.scanned,
              recorded: r.missing.length,
              charges: r.missing.map((m) => m.orderReference),
            },
            "Stars reconciliation recorded charges whose updates were lost",
          );
        if (r.refunded.length > 0)
          logger.warn(
            { orders: r.refunded.map((x) => x.orderReference) },
            "Stars reconciliation reversed orders whose charges Telegram had refunded",
          );
      })
      .catch((err: unknown) => logger.error({ err: describe(err) }, "Stars reconciliation failed"));

  if (config.allowedIps.length === 0) {
    logger.warn({}, "ALLOWED_IPS is empty: /jobs/* take calls from any address (signature still required)");
  }

  const app = new Hono();
  app.onError(createErrorHandler({ logger }));
  app.notFound(notFound);
  app.use(requestIds());
  app.use(securityHeaders());

  // Cheapest refusal first: who is calling, then how much they send, then the signature (which
  // reads the body). On the path, so every /jobs route added later gets all three.
  app.use(
    "/jobs/*",
    ipAllowlist({ allow: config.allowedIps, trustedProxyHops: config.trustedProxyHops }),
    limitBody({ maxBytes: BODY_LIMITS.internalJob }),
    hmacAuth({ secret: config.signingSecret, replayStore: createDbReplayStore(ctx.db) }),
  );
  const sweepBody = z
    .object({
      dryRun: z.boolean().optional(),
      batchSize: z.number().int().positive().max(10_000).optional(),
      maxBatches: z.number().int().positive().optional(),
    })
    .strict();

  app.post("/jobs/sweep", async function sweepJob(c) {
    const text = await c.req.text();
    let input: unknown = {};
    try {
      input = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new HTTPException(400, { message: "body must be JSON" });
    }
    const body = sweepBody.safeParse(input);
    if (!body.success) throw new HTTPException(400, { message: z.prettifyError(body.error) });
    // The scheduled sweep is also the scheduled recovery (Cloud Run has no timer of its own): a
    // Stars renewal whose update was lost is recorded, and its grant delivered, before the sweep
    // would remove the subscriber for want of it.
    if (!body.data.dryRun) {
      await starsReconcileQuietly();
      await redriveQuietly();
    }
    return c.json(await sweep(body.data));
  });

  const redriveBody = z
    .object({ orderIds: z.array(z.number().int().positive()).max(1_000).optional() })
    .strict();
  app.post("/jobs/redrive", async function redriveJob(c) {
    const text = await c.req.text();
    let input: unknown = {};
    try {
      input = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new HTTPException(400, { message: "body must be JSON" });
    }
    const body = redriveBody.safeParse(input);
    if (!body.success) throw new HTTPException(400, { message: z.prettifyError(body.error) });
    return c.json(await redrive(body.data.orderIds ? { orderIds: body.data.orderIds } : {}));
  });

  app.post("/jobs/relay", async function relayJob(c) {
    if (!deps.relay) throw new HTTPException(503, { message: "no outbox relay in this process" });
    return c.json({ published: await deps.relay.relayOnce() });
  });

  // Only where Pub/Sub pushes here: a pulling or in-process notifier has no push route at all.
  // The token check reads no body, so it comes before the body limit.
  if (config.consume === "push")
    app.post(
      "/pubsub/push",
      pushAuth({
        verify: config.push.verifyOidc,
        ...(config.push.audience ? { audience: config.push.audience } : {}),
        ...(config.push.serviceAccountEmail ? { serviceAccountEmail: config.push.serviceAccountEmail } : {}),
      }),
      limitBody({ maxBytes: BODY_LIMITS.pubsubPush }),
      async function pubsubPush(c) {
        let body: unknown;
        try {
          body = await c.req.json();
        } catch {
          body = undefined;
        }
        const outcome = await handlePushMessage(body, {
          handlers: handlers as never,
          deadLetter: async (message) => {
            // Both Pub/Sub buses (the real one and the deferred one main.ts gets) can copy a dead letter.
            const pubsub = bus as EventBus & Partial<Pick<PubSubBus, "publishDeadLetter">>;
            if (bus.kind !== "pubsub" || !pubsub.publishDeadLetter)
              throw new Error("dead-lettering needs the Pub/Sub bus");
            await pubsub.publishDeadLetter(message);
            await recordPushDeadLetter(message);
          },
          maxDeliveryAttempts: config.push.maxDeliveryAttempts,
          logger,
        });
        return c.body(null, outcome.status);
      },
    );

  /** Also in the database, where `telepay events dead-letters` lists and replays them. */
  const recordPushDeadLetter = deadLetterMessagesToDatabase(ctx.db, logger, "pubsub-push");

  const health = async (): Promise<HealthReport> => {
    const components: Record<string, string> = {};
    const [dbOk, busHealth] = await Promise.all([
      deps.db.health(),
      bus.health().catch((e: unknown) => ({ ok: false, detail: describe(e) })),
    ]);
    components.database = dbOk ? "ok" : "unreachable";
    components.bus = busHealth.ok ? "ok" : (busHealth.detail ?? "unhealthy");
    if (config.healthChecksTelegram) {
      components.telegram = await Promise.race([
        api.getMe().then(
          () => "ok",
          (e: unknown) => `error: ${describe(e)}`,
        ),
        new Promise<string>((r) => setTimeout(() => r("timeout"), 2_000).unref()),
      ]);
    }
    const healthy = Object.values(components).every((v) => v === "ok");
    return {
      status: healthy ? "healthy" : "unhealthy",
      service: "notifier",
      components,
      security: securitySummary({
        hmac: true,
        ipAllowlist: config.allowedIps,
        rateLimit: false,
        securityHeaders: true,
      }),
    };
  };

  app.get("/health", async function healthRoute(c) {
    const report = await health();
    return c.json(report, report.status === "healthy" ? 200 : 503);
  });

  let timer: NodeJS.Timeout | undefined;
  let redriveTimer: NodeJS.Timeout | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let starsReconcileTimer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped: Promise<void> | undefined;

  return {
    name: "notifier",
    app,
    handlers,
    runSweep: sweep,
    runRedrive: redrive,
    ...(reconcile ? { runReconcile: reconcile } : {}),
    runStarsReconcile: starsReconcile,
    health,
    async start() {
      if (started) return;
      started = true;
      ctx.stopping.value = false;
      if (config.consume === "subscribe") {
        for (const topic of Object.values(TOPICS)) {
          await bus.subscribe(
            topic,
            subscriptionNameFor(topic),
            handlers[topic] as EventHandler<typeof topic>,
          );
        }
      }
      // Alone on its database (embedded): whatever a killed previous run held is free at once.
      if (config.exclusive) await releaseLeases(ctx);
      // Whatever a previous run left unfinished is resumed now, not at the first tick.
      void redriveQuietly();
      if (config.redriveIntervalMs > 0) {
        redriveTimer = setInterval(() => void redriveQuietly(), config.redriveIntervalMs);
      }
      if (reconcile) {
        // A payment whose IPNs were lost while we were down is found now, not at the first tick.
        void reconcileQuietly();
        if (config.reconcileIntervalMs > 0) {
          reconcileTimer = setInterval(() => void reconcileQuietly(), config.reconcileIntervalMs);
        }
      }
      // Stars charges whose successful_payment was lost (Telegram's side of reconciliation).
      void starsReconcileQuietly();
      if (config.starsReconcileIntervalMs > 0) {
        starsReconcileTimer = setInterval(
          () => void starsReconcileQuietly(),
          config.starsReconcileIntervalMs,
        );
      }
      if (config.sweepIntervalMs) {
        timer = setInterval(() => {
          sweep().catch((err: unknown) => logger.error({ err: describe(err) }, "scheduled sweep failed"));
        }, config.sweepIntervalMs);
      }
      logger.info(
        {
          consume: config.consume,
          sweepIntervalMs: config.sweepIntervalMs ?? 0,
          redriveIntervalMs: config.redriveIntervalMs,
          reconcileIntervalMs: reconcile ? config.reconcileIntervalMs : 0,
          starsReconcileIntervalMs: config.starsReconcileIntervalMs,
        },
        "notifier started",
      );
    },
    stop() {
      stopped ??= (async () => {
        ctx.stopping.value = true;
        clearInterval(timer);
        clearInterval(redriveTimer);
        clearInterval(reconcileTimer);
        clearInterval(starsReconcileTimer);
        let t: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((r) => {
            t = setTimeout(r, STOP_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(t);
        ctx.leases.stop();
        if (inFlight.size > 0)
          logger.warn({ inFlight: inFlight.size }, "notifier stopped with work in flight");
      })();
      return stopped;
    },
  };
}
