/**
 * In-memory flood control for outgoing Bot API calls: sliding windows (global, per chat, per group),
 * per-chat FIFO queues served round-robin, and 429 pauses — in this process only.
 * Why, and when a call counts: docs/decisions/telegram-sender.md.
 */

export interface RateLimits {
  /** Messages per second across all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond: number;
  /** Messages per minute to one group or channel (Telegram: about 20). */
  perGroupPerMinute: number;
}

export const TELEGRAM_LIMITS: RateLimits = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perGroupPerMinute: 20,
};

/** What a call counts against. */
export interface CallScope {
  /** Chat key (the chat_id as a string), when the call targets a chat. */
  chat?: string;
  /** Counts against the chat's per-second window (and the group cap when `group`). */
  perChat: boolean;
  /** The chat is a group or channel (negative id or @username). */
  group: boolean;
  /** Counts against the global window. */
  global: boolean;
}

/**
 * A sliding window over counted calls (sorted instants, docs/decisions/telegram-sender.md) plus the calls
 * still in flight, each of which holds a slot until it is counted or released.
 */
class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;
  private inflight = 0;
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** The earliest instant at which one more call fits (Infinity: wait for an in-flight call to finish). */
  nextAt(now: number): number {
    this.prune(now);
    const free = this.limit - this.inflight;
    if (free <= 0) return Number.POSITIVE_INFINITY;
    const count = this.times.length - this.head;
    if (count < free) return now;
    return this.times[this.times.length - free]! + this.windowMs;
  }

  begin(): void {
    this.inflight++;
  }

  /** The call in flight is counted at `at` (kept sorted: `at` is normally the latest). */
  end(at: number): void {
    this.inflight--;
    let i = this.times.length;
    while (i > this.head && this.times[i - 1]! > at) i--;
    this.times.splice(i, 0, at);
  }

  /** The call in flight did not count (Telegram refused it with a 429): its slot is free again. */
  cancel(): void {
    this.inflight--;
  }

  /** True when nothing is in flight and nothing recent is remembered. */
  idle(now: number): boolean {
    this.prune(now);
    return this.inflight === 0 && this.times.length === this.head;
  }

  private prune(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** A released call; exactly one of its methods must be called once the call is over (later calls are ignored). */
export interface SlotTicket {
  /** Telegram answered (ok or an error other than 429): counted, and its round trip is measured. */
  done(): void;
  /** Telegram answered 429: it did not count the call, so its slot is free again. */
  refused(): void;
  /** No answer (network error, timeout): it may have arrived, so it is counted now. */
  failed(): void;
}

const NOOP_TICKET: SlotTicket = { done() {}, refused() {}, failed() {} };

interface Waiter {
  scope: CallScope;
  release: (ticket: SlotTicket) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

interface ChatState {
  window: SlidingWindow;
  group?: SlidingWindow;
  pausedUntil: number;
  queue: Waiter[];
  /** A message to this chat is in flight: the next one waits for its answer (see readyAt). */
  sending: boolean;
}

const NO_CHAT = "\u0000global";

/** Calls alone on the link before their fastest round trip is trusted (docs/decisions/telegram-sender.md). */
const ROUND_TRIP_SAMPLES = 8;

export class RateLimiter {
  private readonly limits: RateLimits;
  private readonly margin: number;
  private readonly global: SlidingWindow;
  private globalPausedUntil = 0;
  private readonly chats = new Map<string, ChatState>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private scheduled = false;
  private waiting = 0;
  /** Fastest round trip (ms) of a call alone on the link (docs/decisions/telegram-sender.md). */
  private fastestRoundTrip = Number.POSITIVE_INFINITY;
  /** Round trips of calls that were alone on the link, up to ROUND_TRIP_SAMPLES. */
  private roundTripSamples = 0;
  /** Throttled calls in flight, and a counter of releases (to tell whether a call was alone). */
  private inFlight = 0;
  private releases = 0;
  /** Set by close(): the process is shutting down, no call waits for a slot any more. */
  private closedWith: unknown;

  constructor(limits: RateLimits, safetyMarginMs: number) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`limits.${name} must be a positive number, got ${value}`);
    }
    if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0)
      throw new Error("safetyMarginMs must be >= 0");
    this.limits = limits;
    this.margin = safetyMarginMs;
    this.global = this.window(limits.globalPerSecond, 1000);
  }

  /** Calls waiting for a slot right now. */
  get pending(): number {
    return this.waiting;
  }

  /** Resolves when the call may be sent, having counted it against its windows. */
  acquire(scope: CallScope, signal?: AbortSignal): Promise<SlotTicket> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (!scope.global && !scope.perChat) {
      // Unthrottled calls (reads) still respect a 429 pause of their chat or of everything.
      const chatPause = scope.chat === undefined ? 0 : (this.chats.get(scope.chat)?.pausedUntil ?? 0);
      const wait = Math.max(this.globalPausedUntil, chatPause) - Date.now();
      if (wait <= 0) return Promise.resolve(NOOP_TICKET);
      return new Promise((resolve) => setTimeout(() => resolve(NOOP_TICKET), wait));
    }
    return new Promise<SlotTicket>((resolve, reject) => {
      const state = this.chatState(scope.chat ?? NO_CHAT, scope);
      const waiter: Waiter = { scope, release: resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = state.queue.indexOf(waiter);
          if (i >= 0) {
            state.queue.splice(i, 1);
            this.waiting--;
            reject(signal.reason);
            this.schedule();
          }
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      state.queue.push(waiter);
      this.waiting++;
      this.schedule();
    });
  }

  /** Pauses a chat (or, with `chat` undefined, every call) until `until` (ms epoch). */
  pause(chat: string | undefined, until: number): void {
    if (chat === undefined) {
      this.globalPausedUntil = Math.max(this.globalPausedUntil, until);
    } else {
      const state = this.chatState(chat, { perChat: true, group: false, global: true, chat });
      state.pausedUntil = Math.max(state.pausedUntil, until);
    }
    this.schedule();
  }

  /** Scopes paused right now (for stats and logs). */
  pausedScopes(now = Date.now()): string[] {
    const out: string[] = [];
    if (this.globalPausedUntil > now) out.push("global");
    for (const [key, state] of this.chats) if (state.pausedUntil > now && key !== NO_CHAT) out.push(key);
    return out;
  }

  /** Cancels the pump timer; waiting calls, and every call after this, are rejected. */
  close(reason: unknown = new Error("rate limiter closed")): void {
    this.closedWith = reason;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const state of this.chats.values()) {
      for (const w of state.queue.splice(0)) {
        if (w.onAbort) w.signal?.removeEventListener("abort", w.onAbort);
        w.reject(reason);
      }
    }
    this.waiting = 0;
  }

  private window(limit: number, windowMs: number): SlidingWindow {
    return new SlidingWindow(limit, windowMs + this.margin);
  }

  private chatState(key: string, scope: CallScope): ChatState {
    let state = this.chats.get(key);
    if (!state) {
      state = {
        window: this.window(this.limits.perChatPerSecond, 1000),
        pausedUntil: 0,
        queue: [],
        sending: false,
      };
      this.chats.set(key, state);
    }
    if (scope.group && !state.group) state.group = this.window(this.limits.perGroupPerMinute, 60_000);
    return state;
  }

  /** Coalesces many acquire() calls in one tick into one pump. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private readyAt(state: ChatState, scope: CallScope, now: number, globalAt: number): number {
    let t = Math.max(now, state.pausedUntil);
    if (scope.perChat) {
      // Messages to one chat go one at a time: two in flight at once may arrive out of order.
      // (finish() pumps again when the answer arrives.)
      if (state.sending) return Number.POSITIVE_INFINITY;
      t = Math.max(t, state.window.nextAt(now));
      if (scope.group && state.group) t = Math.max(t, state.group.nextAt(now));
    }
    if (scope.global) t = Math.max(t, globalAt);
    return t;
  }

  private pump(): void {
    const now = Date.now();
    let earliest = Number.POSITIVE_INFINITY;
    let globalAt = Math.max(this.globalPausedUntil, this.global.nextAt(now));
    const released: Array<[string, ChatState]> = [];
    for (const [key, state] of this.chats) {
      const head = state.queue[0];
      if (!head) {
        // Forget idle chats whose windows have emptied, so memory stays bounded.
        if (state.pausedUntil <= now && state.window.idle(now) && (state.group?.idle(now) ?? true))
          this.chats.delete(key);
        continue;
      }
      const at = this.readyAt(state, head.scope, now, globalAt);
      if (at > now) {
        earliest = Math.min(earliest, at);
        continue;
      }
      state.queue.shift();
      this.waiting--;
      const windows: SlidingWindow[] = [];
      if (head.scope.perChat) {
        windows.push(state.window);
        if (head.scope.group && state.group) windows.push(state.group);
      }
      if (head.scope.global) windows.push(this.global);
      for (const w of windows) w.begin();
      if (head.scope.global) globalAt = Math.max(this.globalPausedUntil, this.global.nextAt(now));
      if (head.onAbort) head.signal?.removeEventListener("abort", head.onAbort);
      let finished = false;
      const sentAt = Date.now();
      const alone = this.inFlight === 0;
      const release = ++this.releases;
      this.inFlight++;
      if (head.scope.perChat) state.sending = true;
      const finish = (how: "done" | "refused" | "failed") => {
        if (finished) return;
        finished = true;
        this.inFlight--;
        if (head.scope.perChat) state.sending = false;
        const at = Date.now();
        if (how === "refused") {
          for (const w of windows) w.cancel();
        } else {
          let countAt = at;
          if (how === "done") {
            // Alone from send to answer: nothing else was released meanwhile.
            if (alone && release === this.releases) {
              this.fastestRoundTrip = Math.min(this.fastestRoundTrip, at - sentAt);
              this.roundTripSamples = Math.min(ROUND_TRIP_SAMPLES, this.roundTripSamples + 1);
            }
            if (this.roundTripSamples >= ROUND_TRIP_SAMPLES && this.fastestRoundTrip <= at - sentAt)
              countAt = at - this.fastestRoundTrip;
          }
          for (const w of windows) w.end(countAt);
        }
        this.schedule();
      };
      head.release({
        done: () => finish("done"),
        refused: () => finish("refused"),
        failed: () => finish("failed"),
      });
      released.push([key, state]);
      if (state.queue.length > 0) {
        const next = this.readyAt(state, state.queue[0]!.scope, now, globalAt);
        earliest = Math.min(earliest, next);
      }
    }
    // Round robin: chats served in this pass go to the back of the line.
    for (const [key, state] of released) {
      this.chats.delete(key);
      this.chats.set(key, state);
    }
    if (released.length > 0 && earliest <= now) {
      this.schedule();
      return;
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    if (this.timer && this.timerAt <= earliest) return;
    clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(1, earliest - now),
    );
  }
}
