import { describe, expect, it } from "vitest";
import { cloudTraceFields, createLogger, SECRET_VARIABLES } from "../src/index.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (chunk: string) => void lines.push(JSON.parse(chunk)) };
  return { lines, destination };
}

describe("createLogger", () => {
  it("writes JSON Cloud Logging understands", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "webhook-ingress", level: "debug", destination });
    log.debug("d");
    log.info({ orderId: 7 }, "paid");
    log.warn("w");
    log.error("e");
    log.fatal("f");
    expect(lines.map((l) => l.severity)).toEqual(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);
    expect(lines[1]).toMatchObject({ message: "paid", service: "webhook-ingress", orderId: 7 });
    expect(new Date(lines[1]!.time as string).toISOString()).toBe(lines[1]!.time);
  });

  it("respects the level", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "s", level: "warn", destination });
    log.info("hidden");
    log.warn("shown");
    expect(lines.map((l) => l.message)).toEqual(["shown"]);
  });

  // Secrets are long enough never to occur in a timestamp (a value like "T1" matched "T10:04").
  it("never writes secret-like values, at the top level or nested in requests and configs", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "s", destination });
    log.info(
      {
        token: "tok-secret-one",
        apiKey: "key-secret-one",
        config: {
          TELEGRAM_BOT_TOKEN: "tok-secret-two",
          DATABASE_URL: "postgres://u:hunter2@h/d",
          PORT: 8080,
        },
        req: {
          headers: {
            authorization: "Bearer auth-secret-one",
            "x-api-key": "key-secret-two",
            "x-nowpayments-sig": "sig-secret-one",
            host: "h",
          },
        },
        db: { databaseUrl: "postgres://u:hunter3@h/d", password: "pass-secret-one" },
      },
      "request",
    );
    const text = JSON.stringify(lines);
    for (const secret of [
      "tok-secret-one",
      "key-secret-one",
      "tok-secret-two",
      "hunter2",
      "Bearer auth-secret-one",
      "key-secret-two",
      "sig-secret-one",
      "hunter3",
      "pass-secret-one",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      token: "[redacted]",
      config: { PORT: 8080 },
      req: { headers: { host: "h" } },
    });
  });

  it("redacts every variable of SECRET_VARIABLES, top level and nested, so a new secret needs no second list", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "s", destination });
    const values = Object.fromEntries(SECRET_VARIABLES.map((name, i) => [name, `value-of-secret-${i}-xyz`]));
    log.info({ ...values, env: values, app: { env: values } }, "config");
    const text = JSON.stringify(lines);
    for (const value of Object.values(values)) expect(text).not.toContain(value);
    expect(lines[0]).toMatchObject({ env: { [SECRET_VARIABLES[0]]: "[redacted]" } });
  });

  it("tags lines with the trace when given", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "s", trace: "projects/p/traces/abc", destination });
    log.info("x");
    expect(lines[0]?.["logging.googleapis.com/trace"]).toBe("projects/p/traces/abc");
  });
});

describe("cloudTraceFields", () => {
  const traceId = "105445aa7843bc8bf206b12000100000";

  it("reads Cloud Run's X-Cloud-Trace-Context", () => {
    expect(cloudTraceFields(`${traceId}/1;o=1`, "telepay")).toEqual({
      "logging.googleapis.com/trace": `projects/telepay/traces/${traceId}`,
      "logging.googleapis.com/spanId": "0000000000000001",
      "logging.googleapis.com/trace_sampled": true,
    });
  });

  it("reads a W3C traceparent", () => {
    expect(cloudTraceFields(`00-${traceId}-00f067aa0ba902b7-01`, "telepay")).toEqual({
      "logging.googleapis.com/trace": `projects/telepay/traces/${traceId}`,
      "logging.googleapis.com/spanId": "00f067aa0ba902b7",
      "logging.googleapis.com/trace_sampled": true,
    });
  });

  it("adds nothing without a header, a project, or for garbage", () => {
    expect(cloudTraceFields(undefined, "p")).toEqual({});
    expect(cloudTraceFields(`${traceId}/1`, undefined)).toEqual({});
    expect(cloudTraceFields("not-a-trace", "p")).toEqual({});
  });
});
