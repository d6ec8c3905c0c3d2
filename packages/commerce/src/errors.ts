/**
 * Every way the core refuses a request, one code each. Apps map codes to their own answers (a catalog
 * text in the bot, an exit code and one line in the CLI, an HTTP status on a route); the message is
 * for logs and operators, in English.
 */
export const CommerceErrorCode = {
  /** Input breaks a rule (a tier price, a wallet, a duration…). `details.field` names it. */
  INVALID: "INVALID",
  /** The row named does not exist. */
  NOT_FOUND: "NOT_FOUND",
  /** The actor may not change this (an owner acting on someone else's channel). */
  FORBIDDEN: "FORBIDDEN",
  /** A chat already belongs to another registered channel. */
  CHAT_TAKEN: "CHAT_TAKEN",
  /** The change conflicts with the current state (a second grant of a live subscription…). */
  CONFLICT: "CONFLICT",
} as const;
export type CommerceErrorCode = (typeof CommerceErrorCode)[keyof typeof CommerceErrorCode];

export class CommerceError extends Error {
  override readonly name = "CommerceError";
  readonly code: CommerceErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: CommerceErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
