import { channels } from "@telepay/db";
import { type NowPaymentsEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, createCliBackend, runTelepayInProcess } from "./helpers.ts";

// SETTLEMENT=direct through the CLI (runCli in this process): NOWPayments checks a new wallet before
// it is stored, and `payouts due` says the operator owes nothing for direct payments (docs/settlement.md).

const API_KEY = "CLI-DIRECT-KEY";
const TRON = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE";
let backend: CliBackend;
let np: NowPaymentsEmulator;
const direct = () => ({
  ...backend.env,
  SETTLEMENT: "direct",
  NOWPAYMENTS_API_KEY: API_KEY,
  NOWPAYMENTS_API_BASE: np.apiBase,
});

beforeAll(async () => {
  backend = await createCliBackend();
  np = await startNowPaymentsEmulator({ apiKey: API_KEY, ipnSecret: "ipn" });
}, 120_000);
afterAll(async () => {
  await np?.stop();
  await backend?.close();
});

const add = (env: Record<string, string>, wallet: string, open: string, closed: string) =>
  runTelepayInProcess(
    [
      "channel",
      "add",
      "--owner",
      "4700001",
      "--open",
      open,
      "--closed",
      closed,
      "--tier",
      "9.99:30",
      "--wallet",
      wallet,
      "--currency",
      "usdttrc20",
      "--json",
    ],
    env,
  );

describe("SETTLEMENT=direct in the CLI", () => {
  it("channel add refuses a wallet NOWPayments refuses (exit 2, its reason, nothing stored)", async () => {
    const result = await add(direct(), `0x${"ef".repeat(20)}`, "-1004700000001", "-1004700000002");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Invalid payout_address");
    const rows = await backend.database.db
      .select()
      .from(channels)
      .where(eq(channels.openChatId, -1004700000001n));
    expect(rows).toEqual([]);
    expect(np.requests.some((r) => r.path === "/v1/payout/validate-address" && r.status === 400)).toBe(true);
  });

  it("channel add stores a wallet NOWPayments accepts, with its memo", async () => {
    const result = await runTelepayInProcess(
      [
        "channel",
        "add",
        "--owner",
        "4700001",
        "--open",
        "-1004700000003",
        "--closed",
        "-1004700000004",
        "--tier",
        "9.99:30",
        "--wallet",
        TRON,
        "--currency",
        "usdttrc20",
        "--extra-id",
        "memo-42",
        "--json",
      ],
      direct(),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      payoutWallet: TRON,
      payoutCurrency: "usdttrc20",
      payoutExtraId: "memo-42",
    });
    const checked = np.requests.filter((r) => r.path === "/v1/payout/validate-address" && r.status === 200);
    expect(checked.length).toBeGreaterThan(0);
  });

  it("channel add without the API key says what is missing", async () => {
    const { NOWPAYMENTS_API_KEY: _, ...env } = direct();
    const result = await add(env, TRON, "-1004700000005", "-1004700000006");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("NOWPAYMENTS_API_KEY");
  });

  it("payouts due says direct payments are never owed by the operator", async () => {
    const result = await runTelepayInProcess(["payouts", "due"], direct());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("settle straight to each owner's wallet");
    expect(result.stdout).toContain("Nothing owed.");
  });
});
