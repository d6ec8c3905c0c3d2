import { startBotApiEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { createCliRunner } from "../demo/cli-runner.ts";
import { describeSweep, runWalkthrough, WalkthroughError } from "../demo/walkthrough.ts";

describe("walkthrough", () => {
  it("fails on the first step that does not happen, naming it and what the bot last said", async () => {
    // Emulators but no TelePay: nobody answers the owner's /newchannel.
    const tg = await startBotApiEmulator();
    const np = await startNowPaymentsEmulator({ apiKey: "k", ipnSecret: "s" });
    const transcript: string[] = [];
    try {
      const run = runWalkthrough({
        tg,
        np,
        cli: createCliRunner({ DATA_DIR: "/nonexistent" }),
        publicBaseUrl: "http://127.0.0.1:9",
        print: (line) => transcript.push(line),
        stepTimeoutMs: 1_500,
      });
      const error = await run.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(WalkthroughError);
      expect((error as WalkthroughError).step).toBe("owner onboards a channel");
      expect((error as Error).message).toMatch(
        /reply matching \/Step 1 of 7[^/]*\/ in chat 5100000001 .*none/,
      );
      expect(transcript).toEqual([expect.stringMatching(/^✘ owner onboards a channel: /)]);
    } finally {
      await tg.stop();
      await np.stop();
    }
  });
});

describe("describeSweep: the transcript's sweep figures are the ones telepay sweep printed", () => {
  it("credits telepay sweep only when its figures count what happened", () => {
    expect(describeSweep("reminded", { claimed: 1, reminded: 1, removed: 0 }, true)).toBe(
      "by telepay sweep (claimed 1, reminded 1, removed 0)",
    );
    expect(describeSweep("removed", { claimed: 1, reminded: 0, removed: 1 }, false)).toBe(
      "by telepay sweep (claimed 1, reminded 0, removed 1)",
    );
  });

  it("says the system's own sweep did it when telepay sweep found nothing to do", () => {
    const line = describeSweep("reminded", { claimed: 0, reminded: 0, removed: 0 }, true);
    expect(line).toBe(
      "by standalone's own sweep timer; telepay sweep then found nothing left to do (claimed 0, reminded 0, removed 0)",
    );
    expect(line).not.toMatch(/^by telepay sweep/);
  });

  it("refuses figures that contradict what happened when nothing else sweeps", () => {
    expect(() => describeSweep("removed", { claimed: 1, reminded: 1, removed: 0 }, false)).toThrow(
      /telepay sweep reports claimed 1, reminded 1, removed 0, yet the subscriber was removed/,
    );
  });
});
