import { startBotApiEmulator, startNowPaymentsEmulator } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { createCliRunner } from "../demo/cli-runner.ts";
import { runWalkthrough, WalkthroughError } from "../demo/walkthrough.ts";

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
      expect((error as Error).message).toMatch(/reply matching \/Step 1 of 7\/ in chat 5100000001 .*none/);
      expect(transcript).toEqual([expect.stringMatching(/^✘ owner onboards a channel: /)]);
    } finally {
      await tg.stop();
      await np.stop();
    }
  });
});
