import { ConfigError } from "@telepay/config";
import { describe, expect, it } from "vitest";
import { loadIngressEnv, toIngressConfig } from "./env.ts";

const base = { NOWPAYMENTS_IPN_SECRET: "ipn-secret", DATA_DIR: "memory://" };

describe("webhook-ingress env", () => {
  it("reads PAYMENT_UNDERPAID_TOLERANCE_PERCENT into IngressConfig, 1 when unset", async () => {
    const unset = await loadIngressEnv(base);
    expect(toIngressConfig(unset.config).underpaidTolerancePercent).toBe("1");
    const set = await loadIngressEnv({ ...base, PAYMENT_UNDERPAID_TOLERANCE_PERCENT: "2.50" });
    expect(toIngressConfig(set.config).underpaidTolerancePercent).toBe("2.5");
  });

  it("refuses a tolerance above 50 % together with the other problems", async () => {
    const err = await loadIngressEnv({ PAYMENT_UNDERPAID_TOLERANCE_PERCENT: "51" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(
      expect.arrayContaining([
        { variable: "PAYMENT_UNDERPAID_TOLERANCE_PERCENT", message: "must be at most 50" },
        expect.objectContaining({ variable: "NOWPAYMENTS_IPN_SECRET" }),
      ]),
    );
  });
});
