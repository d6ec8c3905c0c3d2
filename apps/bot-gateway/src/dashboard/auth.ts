import { errorResponse, type InitDataRefusal, verifyInitData, type WebAppUser } from "@telepay/security";
import type { MiddlewareHandler } from "hono";

/** What the dashboard's API routes know about the caller once `initDataAuth` let them through. */
export type DashboardVars = { owner: WebAppUser };

/**
 * Every dashboard API request carries the Mini App's initData as `Authorization: tma <initData>`.
 * It is verified (docs/dashboard.md#authentication) before anything else, the body included; the
 * refusal names its reason (`missing`, `stale`, `bad_hash`, …) so the page can tell the owner what
 * to do, and says nothing else.
 */
export function initDataAuth(options: {
  botToken: string;
  maxAgeSeconds: number;
  now: () => Date;
}): MiddlewareHandler<{ Variables: DashboardVars }> {
  return async function initDataAuth(c, next) {
    const header = c.req.header("authorization") ?? "";
    const initData = header.startsWith("tma ") ? header.slice(4) : undefined;
    const result = verifyInitData(initData, options);
    if (!result.ok) return refuse(c, result.reason);
    c.set("owner", result.value.user);
    await next();
  };
}

function refuse(c: Parameters<MiddlewareHandler>[0], reason: InitDataRefusal) {
  return errorResponse(c, "UNAUTHORIZED", `initData refused: ${reason}`);
}
