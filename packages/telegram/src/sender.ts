import type { Logger } from "@telepay/config";
import { Api, HttpError, type Transformer } from "grammy";
import { classifyApiError, type TelegramErrorKind } from "./errors.ts";
import { type CallScope, RateLimiter, type RateLimits, TELEGRAM_LIMITS } from "./rate-limiter.ts";

/*
 * The one rate-limited, retrying Bot API sender every TelePay app uses, as a grammY API transformer;
 * its limits hold PER PROCESS only. Why not grammY's throttler/auto-retry, scopes, 429s and retries:
 * docs/decisions/telegram-sender.md.
 */

/** Methods that post or edit a message in a chat. */
const MESSAGE_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendAudio",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "sendSticker",
  "sendInvoice",
  "sendPaidMedia",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "editMessageLiveLocation",
]);

/** Other state-changing methods, counted only against the global window. */
const OTHER_WRITES = new Set([
  "banChatMember",
  "unbanChatMember",
  "restrictChatMember",
  "promoteChatMember",
  "createChatInviteLink",
  "editChatInviteLink",
  "revokeChatInviteLink",
  "exportChatInviteLink",
  "approveChatJoinRequest",
  "declineChatJoinRequest",
  "deleteMessage",
  "deleteMessages",
  "pinChatMessage",
  "unpinChatMessage",
]);

export interface SenderLimits {
  globalPerSecond?: number;
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
}

/** What `onPermanentError` and the logs learn about a call that will not be retried. */
export interface PermanentErrorInfo {
  method: string;
  chatId: string | undefined;
  kind: TelegramErrorKind;
  errorCode: number;
  description: string;
}

export interface SenderOptions {
  /** Defaults: Telegram's 30/s global, 1/s per chat, 20/min per group or channel. */
  limits?: SenderLimits;
  /** Retries after 5xx / network errors, and separately after 429s (default 5 each). */
  maxRetries?: number;
  /** First backoff after a 5xx / network error (default 500 ms); doubles each attempt. */
  baseBackoffMs?: number;
  /** Cap of one backoff (default 30 s). */
  maxBackoffMs?: number;
  /**
   * A 429 asking for more than this is not waited out inside the call: the scope is still paused,
   * but the 429 goes back to the caller (classified "rate_limited") to retry later. Default 60 s.
   */
  maxRetryAfterSeconds?: number;
  /**
   * Widens every window by this much (default 10 ms): for how the fastest round trip splits into
   * way out and way back, and clock jitter on Telegram's side (docs/decisions/telegram-sender.md).
   */
  safetyMarginMs?: number;
  /** Called once per call that failed permanently (blocked, chat not found, no rights, bad request). */
  onPermanentError?(info: PermanentErrorInfo): void;
  logger?: Logger;
}

export interface SenderStats {
  /** Calls answered ok. */
  ok: number;
  /** 429s received (each one paused its scope). */
  rateLimited: number;
  /** Retries after 5xx / network errors. */
  transientRetries: number;
  /** Calls given up after exhausting retries. */
  gaveUp: number;
  /** Calls that failed permanently. */
  permanentErrors: number;
  /** Calls waiting for a slot right now. */
  queued: number;
  /** Chats (or "global") paused by a 429 right now. */
  pausedScopes: string[];
}

/** A grammY transformer with counters and a way to release its timer. */
export type SenderTransformer = Transformer & {
  stats(): SenderStats;
  /** Rejects calls still waiting for a slot and stops the timer (shutdown). */
  close(): void;
};

/** Builds the rate-limiting, retrying transformer; install it with `api.config.use(sender)`. */
export function createSenderTransformer(options: SenderOptions = {}): SenderTransformer {
  const limits: RateLimits = { ...TELEGRAM_LIMITS, ...definedOnly(options.limits ?? {}) };
  const maxRetries = nonNegativeInt("maxRetries", options.maxRetries ?? 5);
  const baseBackoffMs = nonNegativeInt("baseBackoffMs", options.baseBackoffMs ?? 500);
  const maxBackoffMs = nonNegativeInt("maxBackoffMs", options.maxBackoffMs ?? 30_000);
  const maxRetryAfterSeconds = nonNegativeInt("maxRetryAfterSeconds", options.maxRetryAfterSeconds ?? 60);
  const limiter = new RateLimiter(limits, options.safetyMarginMs ?? 10);
  const logger = options.logger;
  const counters = { ok: 0, rateLimited: 0, transientRetries: 0, gaveUp: 0, permanentErrors: 0 };

  const backoff = (attempt: number) => {
    const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
    // "Equal jitter": at least half the ceiling, so retries neither stampede nor spin.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  };

  const sender: Transformer = async function rateLimitedSender(prev, method, payload, grammySignal) {
    // grammY types its signal with the abort-controller polyfill's class; at run time it is the platform's.
    const signal = grammySignal as unknown as AbortSignal | undefined;
    const scope = scopeOf(method, payload as Record<string, unknown> | undefined);
    let rateLimitedRetries = 0;
    let transientRetries = 0;
    for (;;) {
      const ticket = await limiter.acquire(scope, signal);
      let res: Awaited<ReturnType<typeof prev>>;
      try {
        res = await prev(method, payload, grammySignal);
      } catch (err) {
        ticket.failed();
        // Network error, timeout or a non-JSON answer (a proxy's 502 page): HttpError from grammY.
        if (signal?.aborted || !(err instanceof HttpError) || transientRetries >= maxRetries) {
          if (err instanceof HttpError) counters.gaveUp++;
          throw err;
        }
        transientRetries++;
        counters.transientRetries++;
        logger?.debug(
          { method, chatId: scope.chat, attempt: transientRetries, err: err.message },
          "telegram call failed, retrying",
        );
        await sleep(backoff(transientRetries), signal);
        continue;
      }
      // Telegram did not count a call it refused with 429; every other answer counts.
      if (!res.ok && res.error_code === 429) ticket.refused();
      else ticket.done();
      if (res.ok) {
        counters.ok++;
        return res;
      }
      if (res.error_code === 429) {
        counters.rateLimited++;
        const retryAfter = Math.max(1, Number(res.parameters?.retry_after ?? 1));
        // Pause exactly the scope that was hit: this chat, or everything for a call without a chat.
        limiter.pause(scope.chat, Date.now() + retryAfter * 1000);
        logger?.warn({ method, chatId: scope.chat, retryAfter }, "telegram 429: scope paused");
        if (rateLimitedRetries >= maxRetries || retryAfter > maxRetryAfterSeconds) {
          counters.gaveUp++;
          return res;
        }
        rateLimitedRetries++;
        continue;
      }
      if (res.error_code >= 500) {
        if (transientRetries >= maxRetries) {
          counters.gaveUp++;
          return res;
        }
        transientRetries++;
        counters.transientRetries++;
        await sleep(backoff(transientRetries), signal);
        continue;
      }
      const kind = classifyApiError(res.error_code, res.description);
      counters.permanentErrors++;
      const info: PermanentErrorInfo = {
        method,
        chatId: scope.chat,
        kind,
        errorCode: res.error_code,
        description: res.description,
      };
      logger?.debug(info, "telegram call failed permanently");
      options.onPermanentError?.(info);
      return res;
    }
  };

  return Object.assign(sender, {
    stats: (): SenderStats => ({
      ...counters,
      queued: limiter.pending,
      pausedScopes: limiter.pausedScopes(),
    }),
    close: () => limiter.close(),
  });
}

export interface TelegramApiOptions extends SenderOptions {
  token: string;
  /** Bot API base URL (default https://api.telegram.org; tests pass the emulator's). */
  apiRoot?: string;
  /** Per-request timeout (default 30 s); a timeout counts as a transient error. */
  timeoutSeconds?: number;
}

/** A grammY `Api` whose every call goes through the sender; `sender` exposes its stats. */
export type TelegramApi = Api & { readonly sender: SenderTransformer };

/** Creates the Bot API client every app uses (nothing connects until the first call). */
export function createTelegramApi(options: TelegramApiOptions): TelegramApi {
  if (!options.token || !/^\d+:[\w-]+$/.test(options.token)) {
    throw new Error("createTelegramApi: token must look like <bot id>:<secret>");
  }
  const { token, apiRoot, timeoutSeconds, ...senderOptions } = options;
  const api = new Api(token, {
    ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}),
    timeoutSeconds: timeoutSeconds ?? 30,
  });
  const sender = createSenderTransformer(senderOptions);
  api.config.use(sender);
  return Object.assign(api, { sender });
}

/** What a call counts against, from its method and chat_id. */
export function scopeOf(method: string, payload: Record<string, unknown> | undefined): CallScope {
  const chatId = payload?.chat_id;
  const chat = chatId === undefined || chatId === null ? undefined : String(chatId);
  if (MESSAGE_METHODS.has(method)) {
    // Inline-message edits (inline_message_id, no chat) count globally only.
    if (chat === undefined) return { perChat: false, group: false, global: true };
    return { chat, perChat: true, group: chat.startsWith("-") || chat.startsWith("@"), global: true };
  }
  if (OTHER_WRITES.has(method)) {
    return { ...(chat !== undefined ? { chat } : {}), perChat: false, group: false, global: true };
  }
  return { ...(chat !== undefined ? { chat } : {}), perChat: false, group: false, global: false };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
