import { describe, expect, it } from "vitest";
import { runStandaloneDemo } from "../demo/standalone-demo.ts";
import { WALKTHROUGH_STEPS } from "../demo/walkthrough.ts";

describe("pnpm demo: standalone as one process", () => {
  it("walks the owner, a subscriber, NOWPayments and the operator through every step, then stops cleanly", async () => {
    const transcript: string[] = [];
    const result = await runStandaloneDemo({
      print: (line) => {
        transcript.push(line);
        console.log(line);
      },
    });
    expect(result.steps.map((s) => s.name)).toEqual([...WALKTHROUGH_STEPS]);
    expect(transcript.filter((l) => l.startsWith("✘"))).toEqual([]);
    expect(transcript.at(-1)).toMatch(/standalone stopped cleanly on SIGTERM/);
  });
});
