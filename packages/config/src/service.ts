import type { Hono } from "hono";

/** One component's state in /health: "ok", or a short reason it is not. */
export type ComponentState = "ok" | string;

/** The body of GET /health (docs/architecture.md#http-routes). */
export interface HealthReport {
  status: "healthy" | "unhealthy";
  service: string;
  components: Record<string, ComponentState>;
  security?: Record<string, "enabled" | "disabled">;
}

/**
 * What every app's `createApp(deps)` returns, so `standalone`, tests and the Cloud Run
 * entrypoints compose the same code.
 */
export interface AppHandle {
  readonly name: string;
  /** The app's HTTP routes (standalone mounts all of them on one port). */
  readonly app: Hono;
  /** Starts background work (consumers, polling, intervals). HTTP serving is the caller's job. */
  start(): Promise<void>;
  /** Stops background work and waits for in-flight work, bounded in time. Idempotent. */
  stop(): Promise<void>;
  health(): Promise<HealthReport>;
}
