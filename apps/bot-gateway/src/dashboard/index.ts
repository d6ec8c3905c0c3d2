import { securityHeaders } from "@telepay/security";
import { resolveLocale } from "@telepay/telegram";
import { Hono } from "hono";
import { type DashboardApiDeps, dashboardApi } from "./api.ts";
import { DASHBOARD_CSS, DASHBOARD_JS } from "./client.ts";
import { dashboardPage } from "./page.ts";

export type { DashboardApiDeps } from "./api.ts";

/** The page and its assets (the API under /dashboard/api keeps the JSON API's headers). */
export function isDashboardPage(path: string): boolean {
  return path === "/dashboard" || path === "/dashboard/app.js" || path === "/dashboard/app.css";
}

/**
 * The headers of the dashboard's page and assets: the API's strict defaults, except that the page
 * may run its own script and style, call its own API, and be framed by Telegram Web (the Mini App
 * runs in an iframe there; phone clients use a web view).
 */
export const dashboardHeaders = () =>
  securityHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["https://web.telegram.org"],
    },
    xFrameOptions: false,
  });

/**
 * The owner dashboard (a Telegram Mini App), mounted at /dashboard by bot-gateway (and so by
 * standalone): the page, its one script and stylesheet, and the JSON API under /dashboard/api.
 * docs/dashboard.md describes it.
 */
export function createDashboard(deps: DashboardApiDeps): Hono {
  const app = new Hono();
  app.get("/dashboard", (c) => c.html(dashboardPage(resolveLocale(c.req.query("lang")))));
  app.get("/dashboard/app.js", (c) =>
    c.body(DASHBOARD_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/dashboard/app.css", (c) =>
    c.body(DASHBOARD_CSS, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  app.route("/dashboard/api", dashboardApi(deps));
  return app;
}
