import { type BotApiError, tooManyRequests } from "./api-error.ts";
import type { LimitOptions } from "./types.ts";

/** Methods that send a message and so count against Telegram's flood limits. */
export const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument", "copyMessage"]);

/**
 * Sliding-window flood control shaped like Telegram's (unpublished) limits: a global rate, a per-chat
 * rate, and a per-minute cap for groups and channels. A rejected send is not counted, and
 * retry_after is the whole seconds until the oldest send in the full window expires.
 */
export class FloodControl {
  private readonly globalPerSecond: number;
  private readonly perChatBurst: number;
  private readonly perGroupPerMinute: number;
  private global: number[] = [];
  private perChat = new Map<number, number[]>();
  private perGroup = new Map<number, number[]>();

  constructor(options: LimitOptions) {
    this.globalPerSecond = options.globalPerSecond ?? 30;
    const perChat = options.perChatPerSecond ?? 1;
    this.perChatBurst = options.perChatBurst ?? perChat;
    this.perGroupPerMinute = options.perGroupPerMinute ?? 20;
    for (const [name, value] of Object.entries({
      globalPerSecond: this.globalPerSecond,
      perChatBurst: this.perChatBurst,
      perGroupPerMinute: this.perGroupPerMinute,
    })) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`enforceLimits.${name} must be a positive integer`);
    }
  }

  private prune(list: number[], windowMs: number, now: number): number[] {
    while (list.length > 0 && list[0]! <= now - windowMs) list.shift();
    return list;
  }

  /** The 429 this send would get, or undefined when it is within every limit. Records nothing. */
  check(chatId: number, isGroup: boolean, now = Date.now()): BotApiError | undefined {
    const retryAfter = (list: number[], windowMs: number) =>
      tooManyRequests(Math.max(1, Math.ceil((list[0]! + windowMs - now) / 1000)));
    const group = isGroup ? this.prune(this.perGroup.get(chatId) ?? [], 60_000, now) : [];
    if (group.length >= this.perGroupPerMinute) return retryAfter(group, 60_000);
    const chat = this.prune(this.perChat.get(chatId) ?? [], 1000, now);
    if (chat.length >= this.perChatBurst) return retryAfter(chat, 1000);
    const global = this.prune(this.global, 1000, now);
    if (global.length >= this.globalPerSecond) return retryAfter(global, 1000);
    return undefined;
  }

  /** Counts a successful send. */
  record(chatId: number, isGroup: boolean, now = Date.now()): void {
    this.global.push(now);
    const chat = this.perChat.get(chatId) ?? [];
    chat.push(now);
    this.perChat.set(chatId, chat);
    if (isGroup) {
      const group = this.perGroup.get(chatId) ?? [];
      group.push(now);
      this.perGroup.set(chatId, group);
    }
  }
}
