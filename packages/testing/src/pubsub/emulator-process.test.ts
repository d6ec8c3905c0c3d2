import { describe, expect, it } from "vitest";
import { startPubSubEmulator } from "./emulator-process.ts";

describe("startPubSubEmulator", () => {
  it("starts a private emulator that answers, and stops it", async () => {
    const emulator = await startPubSubEmulator();
    try {
      const res = await fetch(`http://${emulator.host}/v1/projects/telepay-test/topics/emulator-check`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }).name).toBe(
        "projects/telepay-test/topics/emulator-check",
      );
    } finally {
      await emulator.stop();
    }
    await expect(fetch(`http://${emulator.host}/`)).rejects.toThrow();
  }, 90_000);
});
