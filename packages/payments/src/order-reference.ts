import { randomBytes } from "node:crypto";

/** 16 random bytes in base64url: 22 characters of [A-Za-z0-9_-]. */
export const ORDER_REFERENCE_LENGTH = 22;

const ORDER_REFERENCE_RE = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new opaque order reference: 128 random bits, unguessable, nothing parsed out of it
 * (docs/legacy-mistakes.md#lm-1). It is sent to NOWPayments as `order_id` and fits a /start
 * payload behind a one-letter prefix (`o<ref>`, 23 of Telegram's 64 characters).
 */
export function newOrderReference(): string {
  return randomBytes(16).toString("base64url");
}

/** True when `value` has the shape of a reference made by {@link newOrderReference}. */
export function isOrderReference(value: string): boolean {
  return ORDER_REFERENCE_RE.test(value);
}
