import { describe, expect, it } from "vitest";
import { securitySummary } from "./summary.ts";

describe("securitySummary", () => {
  it("reports each protection", () => {
    expect(
      securitySummary({ hmac: true, ipAllowlist: ["1.2.3.4"], rateLimit: true, securityHeaders: true }),
    ).toEqual({
      hmac: "enabled",
      ip_whitelist: "enabled",
      rate_limiting: "enabled",
      security_headers: "enabled",
    });
    expect(securitySummary({ hmac: false, ipAllowlist: [], securityHeaders: true })).toEqual({
      hmac: "disabled",
      ip_whitelist: "disabled",
      rate_limiting: "disabled",
      security_headers: "enabled",
    });
  });
});
