import { createTestDatabase } from "@telepay/testing";
import { describe, expect, it } from "vitest";
import { runMultiProcess } from "../demo/multi-process.ts";
import { WALKTHROUGH_STEPS } from "../demo/walkthrough.ts";

const databaseUrl = process.env.TEST_DATABASE_URL;
const pubsubHost = process.env.PUBSUB_EMULATOR_HOST;
const missing = [!databaseUrl && "TEST_DATABASE_URL", !pubsubHost && "PUBSUB_EMULATOR_HOST"].filter(Boolean);
if (missing.length > 0) {
  console.warn(
    `multi-process e2e skipped: set ${missing.join(" and ")} (a Postgres server URL and a running Pub/Sub emulator) to run the three services as separate processes`,
  );
}

describe.skipIf(missing.length > 0)(
  "multi-process: the three Cloud Run services as separate processes",
  () => {
    it("the same walkthrough passes on Postgres and the Pub/Sub emulator with nothing shared in-process", async () => {
      const db = await createTestDatabase(databaseUrl);
      try {
        const transcript: string[] = [];
        const result = await runMultiProcess({
          databaseUrl: db.url!,
          pubsubEmulatorHost: pubsubHost!,
          print: (line) => {
            transcript.push(line);
            console.log(line);
          },
        });
        expect(result.steps.map((s) => s.name)).toEqual([...WALKTHROUGH_STEPS]);
        expect(transcript.filter((l) => l.startsWith("✘"))).toEqual([]);
        expect(transcript.at(-1)).toMatch(/each stopped cleanly on SIGTERM/);
      } finally {
        await db.close();
      }
    });
  },
);
