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
    // Its sweep lines are true to telepay sweep's figures: it is credited only with what it counted.
    const reminder = transcript.find((l) => l.includes("got the reminder"));
    const removal = transcript.find((l) => l.includes("removed Sam"));
    expect(reminder).toMatch(/sent by (telepay sweep \([^)]*reminded [1-9]|standalone's own sweep timer)/);
    expect(removal).toMatch(/by (telepay sweep \([^)]*removed [1-9]|standalone's own sweep timer)/);
    expect(transcript.at(-1)).toMatch(/standalone stopped cleanly on SIGTERM/);
  });
});
