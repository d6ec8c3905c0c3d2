import type { Failure } from "./types.ts";

interface CountedRule {
  method: string;
  failure: Failure;
  remaining: number;
}

interface WindowRule {
  method: string;
  failure: Failure;
  until: number;
}

/**
 * Failures tests schedule: "the next N calls of sendMessage answer 429", or "every call for the next
 * 30 s answers 502". The wildcard "*" matches every method except getUpdates, so a failure storm does
 * not also stall the bot's own long polling (name getUpdates explicitly to fail it).
 */
export class FailurePlan {
  private counted: CountedRule[] = [];
  private windows: WindowRule[] = [];

  failNext(method: string, failure: Failure, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext: count must be a positive integer`);
    this.counted.push({ method, failure, remaining: count });
  }

  failFor(ms: number, failure: Failure, method: string): void {
    if (!(ms > 0)) throw new Error(`failFor: ms must be positive`);
    this.windows.push({ method, failure, until: Date.now() + ms });
  }

  clear(): void {
    this.counted = [];
    this.windows = [];
  }

  /** The failure this call should see, consuming one use of a counted rule. */
  take(method: string): Failure | undefined {
    const matches = (rule: string) => rule === method || (rule === "*" && method !== "getUpdates");
    const rule = this.counted.find((r) => matches(r.method));
    if (rule) {
      rule.remaining--;
      if (rule.remaining <= 0) this.counted.splice(this.counted.indexOf(rule), 1);
      return rule.failure;
    }
    const now = Date.now();
    this.windows = this.windows.filter((w) => w.until > now);
    return this.windows.find((w) => matches(w.method))?.failure;
  }
}
