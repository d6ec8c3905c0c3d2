import { ORDER_STATUSES } from "@telepay/db";
import { botTexts, LOCALES, ORDER_STATUS_LINES } from "@telepay/telegram";
import { describe, expect, it } from "vitest";

// The catalog names the statuses it has a line for; the database's list is the truth. A status
// added to orders without its line would show subscribers "unknown status" in /orders.
describe("every order status has its own line", () => {
  it("the catalog's statuses are exactly the database's", () => {
    expect([...ORDER_STATUS_LINES].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it("in every language, no status falls back to the unknown-status line", () => {
    const order = {
      title: "Club",
      kind: "subscription" as const,
      label: "Monthly",
      amount: "9.99",
      currency: "USD",
      days: 30,
      reference: "ref_1",
      paidAt: null,
    };
    for (const locale of LOCALES) {
      const t = botTexts(locale);
      const text = (status: string) => JSON.stringify(t.orderStatus({ ...order, status }));
      // The unknown-status line shows the raw status after a ❔.
      expect(text("no_such_status")).toContain("❔ no_such_status");
      for (const status of ORDER_STATUSES) expect(text(status)).not.toContain("❔");
    }
  });
});
