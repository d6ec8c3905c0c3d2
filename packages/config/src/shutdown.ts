import type { Logger } from "./logger.ts";

export interface StopOnSignalsOptions {
  logger: Pick<Logger, "info" | "error"> & { flush?: () => void };
  /** The whole shutdown ends within this, else the process exits 1. Cloud Run allows 10 s. Default 9 s. */
  timeoutMs?: number;
  /** What exiting means (tests). Default process.exit. */
  exit?: (code: number) => void;
  /** Where SIGTERM/SIGINT come from (tests). Default process. */
  signals?: { on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown };
}

/** A process's shutdown: steps added as resources open, run newest first on SIGTERM/SIGINT. */
export interface Shutdown {
  /** Adds a step; steps run newest first (what opened last closes first), each once. */
  add(name: string, step: () => unknown): void;
  /** Whether shutdown has begun. */
  readonly stopping: boolean;
  /** Runs every step, then exits: 0, or 1 if a step failed or the time ran out. Idempotent. */
  stop(signal: string): Promise<void>;
}

/**
 * Installs SIGTERM/SIGINT handling at once, before anything is opened: a signal that arrives while
 * the service is still starting (Cloud Run may send one as soon as /health answered) closes what
 * has opened so far and exits 0, instead of Node's default of dying mid-write by the signal.
 * Services register each resource right after opening it.
 */
export function stopOnSignals(options: StopOnSignalsOptions): Shutdown {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 9_000;
  const steps: Array<{ name: string; step: () => unknown }> = [];
  let stopping: Promise<void> | undefined;

  async function run(signal: string): Promise<void> {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long; exiting");
      exit(1);
    }, timeoutMs);
    timer.unref?.();
    let failed = false;
    for (const { name, step } of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        failed = true;
        logger.error({ step: name, err: (err as Error).message }, "shutdown step failed");
      }
    }
    clearTimeout(timer);
    logger.info({}, "stopped");
    logger.flush?.();
    exit(failed ? 1 : 0);
  }

  const shutdown: Shutdown = {
    add(name, step) {
      steps.push({ name, step });
    },
    get stopping() {
      return stopping !== undefined;
    },
    stop(signal) {
      stopping ??= run(signal);
      return stopping;
    },
  };
  const signals = options.signals ?? process;
  signals.on("SIGTERM", () => void shutdown.stop("SIGTERM"));
  signals.on("SIGINT", () => void shutdown.stop("SIGINT"));
  return shutdown;
}
