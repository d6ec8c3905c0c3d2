import { randomUUID } from "node:crypto";
import type { Logger } from "@telepay/config";
import type { EventEnvelope } from "../src/index.ts";
import { TOPICS } from "../src/index.ts";

// @telepay/testing depends on @telepay/events, so a package dependency back would be a cycle;
// the fixture file is imported by path instead (it only needs @telepay/db and postgres).
export { createTestDatabase } from "../../testing/src/test-database.ts";

export const databaseUrl = process.env.TEST_DATABASE_URL;
export const emulatorHost = process.env.PUBSUB_EMULATOR_HOST;

/** A valid subscription.changed payload; `subscriptionId` tells events apart. */
export function subscriptionChanged(subscriptionId: number) {
  return {
    subscriptionId,
    action: "grant" as const,
    userId: "7000000001",
    channelId: 1,
    expiresAt: "2030-01-01T00:00:00.000Z",
    actor: "cli" as const,
    actorTelegramId: null,
  };
}

export function envelope(
  subscriptionId: number,
  orderingKey?: string,
): EventEnvelope<"subscription.changed"> {
  return {
    id: randomUUID(),
    topic: TOPICS.subscriptionChanged,
    occurredAt: new Date().toISOString(),
    ...(orderingKey ? { orderingKey } : {}),
    data: subscriptionChanged(subscriptionId),
  };
}

/** A promise plus its resolver, for awaiting "the handler saw N events" without sleeping. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects after `ms` so a broken test fails with a reason instead of hanging. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Records log lines so tests can assert what operators would see. */
export function memoryLogger() {
  type Level = "debug" | "info" | "warn" | "error";
  const lines: { level: Level; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: Level) => (obj: object, msg?: string) =>
    void lines.push({ level, msg: msg ?? "", obj: obj as Record<string, unknown> });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

export const unique = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** Polls `condition` until it holds; rejects with `what` after `ms` (for state reached by retries). */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
