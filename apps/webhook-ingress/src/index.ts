import { createCommerce, type PaymentRecorded } from "@telepay/commerce";
import {
  type AppHandle,
  DEFAULT_UNDERPAID_TOLERANCE_PERCENT,
  type HealthReport,
  type Logger,
} from "@telepay/config";
import type { Database } from "@telepay/db";
import type { EventBus } from "@telepay/events";
import {
  compareDecimal,
  describeIssues,
  ipnPayloadSchema,
  ipnToPaymentReport,
  isDecimalString,
  type PaymentPolicy,
} from "@telepay/payments";
import {
  createErrorHandler,
  errorResponse,
  ipAllowlist,
  limitBody,
  notFound,
  rateLimit,
  requestIdOf,
  requestIds,
  securityHeaders,
  securitySummary,
} from "@telepay/security";
import { Hono } from "hono";
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_PROCESSING_TIMEOUT_MS,
  type IngressConfig,
} from "./ingress-config.ts";
import { type IpnVariables, nowpaymentsSignature } from "./ipn-signature.ts";

export type { IngressConfig } from "./ingress-config.ts";

export interface IngressDeps {
  db: Database;
  /** Only reported in /health: events leave through the outbox relay, never from the request. */
  bus?: EventBus;
  /** Asked to publish right after an IPN committed events (the relay also polls). */
  relay?: { kick(): void };
  config: IngressConfig;
  logger: Logger;
}

export const SERVICE_NAME = "webhook-ingress";
export const IPN_PATH = "/webhooks/nowpayments";

class ProcessingTimeout extends Error {}

/**
 * The NOWPayments IPN intake. `POST /webhooks/nowpayments` runs: request id → security headers →
 * rate limit (failures only) → body limit → IP allowlist → signature → payload validation → the
 * IPN as a payment report, recorded by the core in one statement (commerce.payments.record, which
 * kicks the relay). The rate limiter sits outside the checks whose failures it counts, so it can
 * see their status; valid IPNs never spend tokens. Answers: 200 processed or
 * duplicate (also for unknown orders, stored for review), 400 malformed, 401 signature, 403 address,
 * 413 too large, 429 too many failures, 503 when the payment could not be recorded (NOWPayments
 * retries; nothing was half-written).
 */
export async function createApp(deps: IngressDeps): Promise<AppHandle> {
  const { db, bus, relay, config, logger } = deps;
  const bodyLimitBytes = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const timeoutMs = config.processingTimeoutMs ?? DEFAULT_PROCESSING_TIMEOUT_MS;
  const tolerance = config.underpaidTolerancePercent ?? DEFAULT_UNDERPAID_TOLERANCE_PERCENT;
  // env.ts validates this too; checked here so a bad direct config fails at start, not per payment.
  if (
    !isDecimalString(tolerance) ||
    compareDecimal(tolerance, "0") < 0 ||
    compareDecimal(tolerance, "50") > 0
  ) {
    throw new TypeError(
      `createApp: underpaidTolerancePercent must be a plain decimal from 0 to 50, got ${JSON.stringify(tolerance)}`,
    );
  }
  const policy: PaymentPolicy = { underpaidTolerancePercent: tolerance };
  const commerce = createCommerce({ db: db.db, onEnqueued: () => relay?.kick() });
  if (config.allowedIps.length === 0) {
    logger.warn(
      {},
      "NOWPAYMENTS_IPN_ALLOWED_IPS is empty: IPNs are accepted from any address (signature still required)",
    );
  }
  const security = securitySummary({
    hmac: true,
    ipAllowlist: config.allowedIps,
    rateLimit: true,
    securityHeaders: true,
  });

  const app = new Hono<{ Variables: IpnVariables }>();
  app.onError(createErrorHandler({ logger }));
  app.notFound(notFound);
  app.use(requestIds());
  app.use(securityHeaders());

  app.post(
    IPN_PATH,
    rateLimit({
      perMinute: config.rateLimit.perMinute,
      burst: config.rateLimit.burst,
      trustedProxyHops: config.trustedProxyHops,
      only: "failures",
    }),
    limitBody({ maxBytes: bodyLimitBytes }),
    ipAllowlist({ allow: config.allowedIps, trustedProxyHops: config.trustedProxyHops }),
    nowpaymentsSignature({ secret: config.ipnSecret }),
    async function receiveIpn(c) {
      const requestId = requestIdOf(c);
      const parsed = ipnPayloadSchema.safeParse(c.get("ipnBody"));
      if (!parsed.success) {
        const reason = describeIssues(parsed.error);
        logger.warn({ requestId, reason }, "signed IPN rejected as malformed");
        return errorResponse(c, "BAD_REQUEST", `malformed IPN: ${reason}`);
      }
      const ipn = parsed.data;
      const log = {
        requestId,
        paymentId: ipn.paymentId,
        orderReference: ipn.orderId,
        status: ipn.paymentStatus,
      };
      let result: PaymentRecorded;
      let timer: NodeJS.Timeout | undefined;
      try {
        result = await Promise.race([
          commerce.payments.record(ipnToPaymentReport(ipn), policy),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new ProcessingTimeout()), timeoutMs);
          }),
        ]);
      } catch (err) {
        logger.error(
          { ...log, err: err instanceof ProcessingTimeout ? `timed out after ${timeoutMs} ms` : err },
          "IPN could not be recorded; answering 503 so NOWPayments retries",
        );
        return errorResponse(c, "SERVICE_UNAVAILABLE", "payment could not be recorded, retry later");
      } finally {
        clearTimeout(timer);
      }
      const summary = {
        ...log,
        outcome: result.outcome,
        orderStatus: result.orderStatus,
        reviewReason: result.reviewReason,
      };
      if (result.outcome === "unknown_order")
        logger.warn(summary, "IPN for an unknown order stored for review");
      else if (result.outcome === "review") logger.warn(summary, "IPN needs review");
      else logger.info(summary, "IPN recorded");
      return c.json({ status: "ok", outcome: result.outcome, requestId }, 200);
    },
  );

  async function health(): Promise<HealthReport> {
    const [database, busHealth] = await Promise.all([
      db.health().catch(() => false),
      bus
        ? bus.health().catch((err: unknown) => ({ ok: false, kind: bus.kind, detail: String(err) }))
        : undefined,
    ]);
    const components: Record<string, string> = { database: database ? "ok" : "unavailable" };
    if (busHealth) components.bus = busHealth.ok ? "ok" : (busHealth.detail ?? "unavailable");
    const healthy = Object.values(components).every((s) => s === "ok");
    return { status: healthy ? "healthy" : "unhealthy", service: SERVICE_NAME, components, security };
  }

  app.get("/health", async (c) => {
    const report = await health();
    return c.json(report, report.status === "healthy" ? 200 : 503);
  });

  return {
    name: SERVICE_NAME,
    app: app as unknown as Hono,
    async start() {},
    async stop() {},
    health,
  };
}
