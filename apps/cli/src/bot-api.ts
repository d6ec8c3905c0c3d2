import type { StarTransactionSource } from "@telepay/commerce";
import { CliError } from "./args.ts";

/** The few Bot API calls the CLI makes (Stars reconciliation and refunds). */
export interface CliBotApi extends StarTransactionSource {
  refundStarPayment(userId: bigint, chargeId: string): Promise<true>;
}

/**
 * A minimal Bot API client over fetch (the CLI needs two read/refund calls, not a bot). Errors name
 * the method and Telegram's description, never the token.
 */
export function createCliBotApi(token: string, apiRoot: string): CliBotApi {
  const base = apiRoot.replace(/\/+$/, "");
  async function call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new CliError(`Telegram ${method} failed: ${(err as Error).name}`);
    }
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; result?: T; description?: string };
    if (!body.ok)
      throw new CliError(`Telegram ${method} failed: ${body.description ?? `HTTP ${res.status}`}`);
    return body.result as T;
  }
  return {
    getStarTransactions: (params) => call("getStarTransactions", params),
    refundStarPayment: (userId, chargeId) =>
      call("refundStarPayment", { user_id: Number(userId), telegram_payment_charge_id: chargeId }),
  };
}
