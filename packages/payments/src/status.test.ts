import { describe, expect, it } from "vitest";
import {
  canTransition,
  nextOrderStatus,
  type OrderStatusValue,
  PAYMENT_STATUSES,
  statusMeaning,
} from "./status.ts";

const ALL: OrderStatusValue[] = ["created", ...PAYMENT_STATUSES, "needs_review"];

describe("canTransition", () => {
  it("never leaves finished except to refunded, never leaves refunded", () => {
    for (const to of ALL) {
      expect(canTransition("finished", to)).toBe(to === "refunded");
      expect(canTransition("refunded", to)).toBe(false);
    }
  });

  it("reaches finished from every status but finished and refunded (late money is never lost)", () => {
    for (const from of ALL) {
      expect(canTransition(from, "finished")).toBe(from !== "finished" && from !== "refunded");
    }
  });

  it("follows the normal happy path forward and refuses to go backwards", () => {
    const path: OrderStatusValue[] = ["created", "waiting", "confirming", "confirmed", "sending", "finished"];
    for (let i = 0; i < path.length; i++) {
      for (let j = 0; j < path.length; j++) {
        expect(canTransition(path[i]!, path[j]!)).toBe(j > i);
      }
    }
  });

  it("lets expired and failed accept late money but not a stale waiting", () => {
    for (const from of ["expired", "failed"] as const) {
      expect(canTransition(from, "waiting")).toBe(false);
      expect(canTransition(from, "confirming")).toBe(true);
      expect(canTransition(from, "partially_paid")).toBe(true);
      expect(canTransition(from, from === "expired" ? "failed" : "expired")).toBe(false);
    }
  });

  it("partially_paid may still finish, expire or fail but not go back to confirming", () => {
    expect(canTransition("partially_paid", "finished")).toBe(true);
    expect(canTransition("partially_paid", "expired")).toBe(true);
    expect(canTransition("partially_paid", "confirming")).toBe(false);
  });

  it("needs_review is only left by finished or refunded and never entered by an IPN status", () => {
    for (const to of ALL) {
      expect(canTransition("needs_review", to)).toBe(to === "finished" || to === "refunded");
      expect(canTransition(to, "needs_review")).toBe(false);
    }
  });

  it("a repeated status is not a transition", () => {
    for (const s of ALL) expect(canTransition(s, s)).toBe(false);
  });
});

describe("nextOrderStatus", () => {
  it("applies out-of-order IPNs by rank: late confirming after finished changes nothing", () => {
    let s: OrderStatusValue = "waiting";
    for (const incoming of ["finished", "confirming", "waiting", "sending", "finished"] as const) {
      s = nextOrderStatus(s, incoming);
    }
    expect(s).toBe("finished");
    expect(nextOrderStatus("confirming", "waiting")).toBe("confirming");
    expect(nextOrderStatus("waiting", "confirmed")).toBe("confirmed");
  });
});

describe("statusMeaning", () => {
  it("only finished grants access; unknown statuses read as needing review", () => {
    for (const s of ALL) expect(statusMeaning(s).grantsAccess).toBe(s === "finished");
    expect(statusMeaning("wrong_asset_confirmed").key).toBe("payment.needs_review");
    expect(statusMeaning("expired").final).toBe(true);
  });
});
