import { BotApiError, badRequest } from "./api-error.ts";
import type { Update, WebhookDelivery } from "./types.ts";

/** Update types delivered when allowed_updates is empty or not given (Telegram's default). */
const DEFAULT_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

interface Waiter {
  resolve: (updates: Update[]) => void;
  reject: (error: BotApiError) => void;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

export interface WebhookConfig {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
}

/**
 * The bot's update queue, drained either by getUpdates (long polling, confirmed by `offset`) or by a
 * webhook that receives each update as a POST until it answers 2xx. Telegram keeps an update until
 * it is confirmed, so a failing webhook sees the same update again — exactly like production.
 */
export class UpdateQueue {
  private queue: Update[] = [];
  private nextId = 100_000_001;
  private waiter: Waiter | undefined;
  private allowed: string[] = [];
  private webhook: WebhookConfig | undefined;
  private lastError: { date: number; message: string } | undefined;
  private delivering = false;
  private wake: (() => void) | undefined;
  private stopped = false;
  private readonly inflight = new Set<AbortController>();
  readonly deliveries: WebhookDelivery[] = [];
  /** Updates dropped because allowed_updates excluded their type. */
  readonly filtered: Update[] = [];

  private readonly retry: { initialDelayMs: number; maxDelayMs: number };
  private readonly webhookTimeoutMs: number;

  constructor(retry: { initialDelayMs: number; maxDelayMs: number }, webhookTimeoutMs: number) {
    this.retry = retry;
    this.webhookTimeoutMs = webhookTimeoutMs;
  }

  isAllowed(type: string): boolean {
    return this.allowed.length === 0 ? !DEFAULT_EXCLUDED.has(type) : this.allowed.includes(type);
  }

  /** Adds an update (with the next update_id) unless allowed_updates excludes it. */
  push(type: string, payload: unknown): Update {
    const update = { update_id: this.nextId++, [type]: payload } as Update;
    if (!this.isAllowed(type)) {
      this.filtered.push(update);
      return update;
    }
    this.queue.push(update);
    this.flushWaiter();
    this.wake?.();
    return update;
  }

  /** Adds a raw update as given; a missing update_id gets the next one. */
  pushRaw(raw: Record<string, unknown>): Update {
    const update = {
      ...raw,
      update_id: typeof raw.update_id === "number" ? raw.update_id : this.nextId++,
    } as Update;
    if (update.update_id >= this.nextId) this.nextId = update.update_id + 1;
    this.queue.push(update);
    this.flushWaiter();
    this.wake?.();
    return update;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  private setAllowed(allowed: unknown): void {
    if (allowed === undefined || allowed === null) return;
    if (!Array.isArray(allowed)) throw badRequest("allowed_updates must be an array");
    this.allowed = allowed.map(String);
  }

  private confirm(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
  }

  private select(offset: number, limit: number): Update[] {
    if (offset < 0) return this.queue.slice(offset).slice(0, limit);
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  private flushWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const updates = this.select(waiter.offset, waiter.limit);
    if (updates.length === 0) return;
    clearTimeout(waiter.timer);
    this.waiter = undefined;
    waiter.resolve(updates);
  }

  /** getUpdates: answers at once when updates are queued, else waits up to `timeout` seconds. */
  getUpdates(params: Record<string, unknown>, onAbort: (cb: () => void) => void): Promise<Update[]> {
    if (this.webhook) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.min(50, Math.max(0, Number(params.timeout ?? 0)));
    this.setAllowed(params.allowed_updates);
    this.confirm(offset);
    // A second poller kicks out the first, as Telegram does for two running bot instances.
    if (this.waiter) {
      const old = this.waiter;
      this.waiter = undefined;
      clearTimeout(old.timer);
      old.reject(
        new BotApiError(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
      );
    }
    const ready = this.select(offset, limit);
    if (ready.length > 0 || timeout === 0 || this.stopped) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        offset,
        limit,
        timer: setTimeout(() => {
          if (this.waiter === waiter) this.waiter = undefined;
          resolve([]);
        }, timeout * 1000),
      };
      this.waiter = waiter;
      onAbort(() => {
        if (this.waiter === waiter) {
          clearTimeout(waiter.timer);
          this.waiter = undefined;
          resolve([]);
        }
      });
    });
  }

  setWebhook(params: Record<string, unknown>): void {
    const url = typeof params.url === "string" ? params.url : "";
    if (url === "") {
      this.deleteWebhook(Boolean(params.drop_pending_updates));
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    // Telegram requires https; the emulator also accepts http so tests can use a local server.
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    const secret = params.secret_token;
    if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
      throw badRequest("secret token contains unallowed characters");
    }
    this.setAllowed(params.allowed_updates);
    if (params.drop_pending_updates) this.queue = [];
    this.webhook = {
      url,
      secretToken: secret as string | undefined,
      maxConnections: Number(params.max_connections ?? 40),
    };
    this.lastError = undefined;
    // A poller still waiting gets its answer now; further getUpdates calls are refused.
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      clearTimeout(waiter.timer);
      waiter.resolve([]);
    }
    void this.deliverLoop();
  }

  deleteWebhook(dropPending: boolean): void {
    this.webhook = undefined;
    this.lastError = undefined;
    if (dropPending) this.queue = [];
    this.wake?.();
  }

  webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    };
    if (this.webhook) {
      info.max_connections = this.webhook.maxConnections;
      info.ip_address = "127.0.0.1";
      if (this.allowed.length > 0) info.allowed_updates = this.allowed;
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  /** One delivery at a time, in update order; a failed update is retried with back-off. */
  private async deliverLoop(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    let delay = this.retry.initialDelayMs;
    try {
      while (this.webhook && !this.stopped) {
        const update = this.queue[0];
        if (!update) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = undefined;
          continue;
        }
        const hook = this.webhook;
        const ok = await this.deliverOne(hook, update);
        if (ok) {
          delay = this.retry.initialDelayMs;
          if (this.queue[0] === update) this.queue.shift();
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    } finally {
      this.delivering = false;
    }
  }

  private async deliverOne(hook: WebhookConfig, update: Update): Promise<boolean> {
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.webhookTimeoutMs);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (hook.secretToken) headers["x-telegram-bot-api-secret-token"] = hook.secretToken;
    const record: WebhookDelivery = { update_id: update.update_id, at: Date.now(), status: 0 };
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      record.status = res.status;
      if (res.status >= 200 && res.status < 300) return true;
      record.error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
    } catch (error) {
      record.error = controller.signal.aborted
        ? "Read timeout expired"
        : `Connection failed: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
      this.deliveries.push(record);
    }
    this.lastError = { date: Math.floor(Date.now() / 1000), message: record.error ?? "unknown error" };
    return false;
  }

  stop(): void {
    this.stopped = true;
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.resolve([]);
      this.waiter = undefined;
    }
    for (const controller of this.inflight) controller.abort();
    this.wake?.();
  }
}
